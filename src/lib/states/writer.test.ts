import { expect } from 'chai';
import fc from 'fast-check';
import type { MeshEvent, NodeRecord } from '../mesh/types';
import { FakeAdapter } from '../../test-support/fake-adapter';
import { channelRecord, fullNode, textMessage } from './fixtures.test';
import { nodeStateValues } from './batches';
import { type StatesAdapter, StateWriter } from './writer';
import { ALL, sections, manualLatency, jitter, objectsUnder, started } from './writer-fixtures.test';

describe('states/writer', () => {
    it('accepts a real ioBroker adapter as StatesAdapter (compile-time check)', () => {
        const asStatesAdapter = (adapter: ioBroker.Adapter): StatesAdapter => adapter;
        expect(asStatesAdapter).to.be.a('function');
    });

    it('handles mesh events', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake, { ownNodeNum: 0x0a1b2c3d });
        const message = textMessage();
        const dm = textMessage({ direct: true, text: 'psst', channel: 'PKI', encryption: 'pki', to: 0x0a1b2c3d });
        const events: MeshEvent[] = [
            { type: 'node', node: fullNode(), sections: sections('status'), isNew: true },
            { type: 'node', node: fullNode('0badc0de'), sections: sections('status'), isNew: false },
            { type: 'channelMessage', channel: channelRecord('LongFast', [message]), message },
            { type: 'directMessage', message: dm },
            {
                type: 'unknownChannel',
                record: { channelId: 'X', channelHash: 1, packets: 1, lastGateway: '!0badc0de', lastSeen: 1 },
                firstSeen: true,
            },
        ];
        writer.apply(events);
        await writer.flush();
        expect(fake.val('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base'); // new node: all sections
        expect(fake.val('nodes.0badc0de.status.presence')).to.equal('rf');
        expect(fake.val('nodes.0badc0de.info.longName')).to.equal(undefined);
        expect(fake.val('channels.LongFast.lastMessage')).to.equal('hello mesh');
        expect(fake.objects.get('channels.LongFast')?.type).to.equal('channel');
        expect(JSON.parse(fake.val('messages.direct') as string)).to.deep.equal(dm);
        expect(JSON.parse(fake.val('messages.last') as string)).to.deep.equal(dm);

        writer.apply([{ type: 'nodeRemoved', num: 0x0badc0de, hex: '0badc0de', reason: 'maxNodes' }]);
        await writer.flush();
        expect(objectsUnder(fake, 'nodes.0badc0de')).to.deep.equal([]);
    });

    it('writes the same text twice (event states) but coalesces nothing else', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        const message = textMessage({ text: 'ok' });
        const event: MeshEvent = { type: 'channelMessage', channel: channelRecord('LongFast', [message]), message };
        writer.apply([event]);
        await writer.flush();
        writer.apply([event]);
        await writer.flush();
        expect(fake.stateWrites.filter(w => w.id === 'channels.LongFast.lastMessage')).to.have.length(2);
        expect(fake.stateWrites.filter(w => w.id === 'channels.LongFast.history')).to.have.length(1);
    });

    it('writes stats, connection and clients; creates the skeleton and configured channels at init', async () => {
        const fake = new FakeAdapter();
        const writer = new StateWriter(fake);
        await writer.init(['LongFast', 'Admin.Chan', 'LongFast']);
        writer.writeStats(
            {
                received: 3,
                decoded: 2,
                duplicates: 1,
                undecryptable: 0,
                invalid: 0,
                ignored: 0,
                unknownChannels: 0,
                filtered: 0,
                compressedTexts: 0,
            },
            [],
        );
        writer.setConnected(true);
        writer.setClients(['gw-1']);
        await writer.flush();
        for (const id of [
            'nodes',
            'channels',
            'messages',
            'stats',
            'info',
            'channels.LongFast',
            'channels.Admin_Chan',
        ]) {
            expect(fake.objects.has(id), id).to.equal(true);
        }
        expect(fake.val('stats.received')).to.equal(3);
        expect(fake.val('stats.unknownChannelList')).to.equal('[]');
        expect(fake.val('info.connection')).to.equal(true);
        expect(fake.val('info.clients')).to.equal('["gw-1"]');
    });

    it('flush(timeout) gives up after the timeout while the DB hangs; dispose stops everything', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const writer = new StateWriter(fake);
        const init = writer.init();
        while (fake.calls.getStates === 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await init;
        writer.writeNode(fullNode(), ALL);
        const started = Date.now();
        await writer.flush(30);
        expect(Date.now() - started).to.be.within(20, 5000);
        expect(writer.backlog()).to.be.greaterThan(0);
        writer.dispose();
        await writer.flush();
        expect(writer.backlog()).to.equal(0);
        const calls = fake.calls.setState;
        writer.writeNode(fullNode('0badc0de'), ALL);
        gate.release();
        await new Promise<void>(resolve => setImmediate(resolve));
        expect(fake.calls.setState).to.equal(calls);
        expect(fake.pendingTimers()).to.equal(0);
    });

    it('clears its flush timer when the writes finish first', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode(), ALL);
        await writer.flush(60_000);
        expect(fake.pendingTimers()).to.equal(0);
    });

    it('converges to the last value of every live state under random updates, removals and latency', async () => {
        const hexes = ['00000010', '00000011', '00000012'];
        const op = fc.oneof(
            fc.record({
                kind: fc.constant('write' as const),
                node: fc.integer({ min: 0, max: 2 }),
                voltage: fc.integer({ min: 30, max: 42 }),
                presence: fc.constantFrom<NodeRecord['presence']>('mqtt', 'rf', 'offline'),
                withInfo: fc.boolean(),
            }),
            fc.record({ kind: fc.constant('remove' as const), node: fc.integer({ min: 0, max: 2 }) }),
            fc.record({ kind: fc.constant('flush' as const) }),
        );
        await fc.assert(
            fc.asyncProperty(
                fc.array(op, { maxLength: 40 }),
                fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 7 }),
                fc.integer({ min: 1, max: 8 }),
                async (ops, pattern, maxInFlight) => {
                    const fake = new FakeAdapter({ latency: jitter(pattern) });
                    const writer = new StateWriter(fake, { maxInFlight });
                    await writer.init();
                    const expected = new Map<string, ioBroker.StateValue>();
                    for (const o of ops) {
                        if (o.kind === 'flush') {
                            await writer.flush();
                            continue;
                        }
                        const hex = hexes[o.node];
                        if (o.kind === 'remove') {
                            void writer.removeNode(hex);
                            for (const id of [...expected.keys()]) {
                                if (id.startsWith(`nodes.${hex}.`)) {
                                    expected.delete(id);
                                }
                            }
                            continue;
                        }
                        const node = fullNode(hex, {
                            presence: o.presence,
                            telemetry: { device: { voltage: o.voltage / 10 } },
                        });
                        const which = o.withInfo
                            ? sections('info', 'status', 'telemetry.device')
                            : sections('status', 'telemetry.device');
                        writer.writeNode(node, which);
                        for (const entry of nodeStateValues(node, which)) {
                            expected.set(entry.id, entry.value);
                        }
                    }
                    await writer.flush();
                    const actual = new Map(
                        [...fake.states].filter(([id]) => id.startsWith('nodes.')).map(([id, s]) => [id, s.val]),
                    );
                    expect(actual).to.deep.equal(expected);
                    for (const id of actual.keys()) {
                        expect(fake.objects.has(id), id).to.equal(true);
                    }
                    for (const hex of hexes) {
                        const live = [...expected.keys()].some(id => id.startsWith(`nodes.${hex}.`));
                        if (!live) {
                            expect(objectsUnder(fake, `nodes.${hex}`), hex).to.deep.equal([]);
                        }
                    }
                    expect(fake.writesWithoutObject).to.deep.equal([]);
                    expect(fake.maxInFlightSeen).to.be.at.most(maxInFlight);
                    expect(writer.backlog()).to.equal(0);
                },
            ),
            { numRuns: 150 },
        );
    });
});
