import { expect } from 'chai';
import fc from 'fast-check';
import type { MeshEvent, NodeRecord, NodeSection } from '../mesh/types';
import type { SendStatus } from '../send/types';
import { FakeAdapter } from '../../test-support/fake-adapter';
import { channelRecord, fullNode, textMessage } from './fixtures.test';
import { allNodeSections, nodeBatch, nodeStateValues } from './batches';
import { channelBaseId } from './ids';
import { CHANNEL_SEND_STATES, MESSAGE_LAST_SENT, NODE_SEND_STATES } from './table';
import { DEFAULT_MAX_IN_FLIGHT, type StatesAdapter, StateWriter } from './writer';

const ALL = allNodeSections();

function sections(...list: NodeSection[]): Set<NodeSection> {
    return new Set(list);
}

/** Latency that holds every DB call until released. */
function manualLatency(): { latency: () => Promise<void>; release: () => void; held: () => number } {
    let waiters: (() => void)[] = [];
    return {
        latency: () => new Promise<void>(resolve => waiters.push(resolve)),
        release: () => {
            const now = waiters;
            waiters = [];
            now.forEach(resolve => resolve());
        },
        held: () => waiters.length,
    };
}

/** Latency of 0..3 macrotasks, following a fixed pattern. */
function jitter(pattern: readonly number[]): () => Promise<void> {
    let i = 0;
    return async () => {
        const hops = pattern.length ? pattern[i++ % pattern.length] : 0;
        for (let h = 0; h < hops; h++) {
            await new Promise<void>(resolve => setImmediate(resolve));
        }
    };
}

function objectsUnder(fake: FakeAdapter, prefix: string): string[] {
    return [...fake.objects.keys()].filter(id => id === prefix || id.startsWith(`${prefix}.`));
}

function statesUnder(fake: FakeAdapter, prefix: string): string[] {
    return [...fake.states.keys()].filter(id => id.startsWith(`${prefix}.`));
}

async function started(fake: FakeAdapter, options = {}): Promise<StateWriter> {
    const writer = new StateWriter(fake, options);
    await writer.init([]);
    return writer;
}

describe('states/writer', () => {
    it('accepts a real ioBroker adapter as StatesAdapter (compile-time check)', () => {
        const asStatesAdapter = (adapter: ioBroker.Adapter): StatesAdapter => adapter;
        expect(asStatesAdapter).to.be.a('function');
    });

    it('creates every object once, parents before children, before any value is written', async () => {
        const fake = new FakeAdapter({ latency: jitter([0, 2, 1, 3]) });
        const writer = await started(fake);
        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        const batch = nodeBatch(fullNode(), ALL);
        for (const id of [...batch.objects.map(o => o.id), ...batch.states.map(s => s.id)]) {
            expect(fake.objects.has(id), id).to.equal(true);
        }
        expect(fake.writesWithoutObject).to.deep.equal([]);
        for (const [index, id] of fake.createdOrder.entries()) {
            const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : undefined;
            if (parent) {
                expect(fake.createdOrder.indexOf(parent), `${parent} before ${id}`).to.be.within(0, index - 1);
            }
        }
        const created = fake.calls.setObjectNotExists;
        expect(writer.objectsCreated).to.equal(created);
        expect(fake.objects.get('nodes.a1b2c3d4')).to.deep.equal({
            type: 'device',
            common: { name: 'Alpha Base (!a1b2c3d4)' },
            native: {},
        });
        expect(fake.objects.get('nodes.a1b2c3d4.telemetry.device.voltage')?.common).to.deep.equal({
            name: 'Battery voltage',
            type: 'number',
            role: 'value.voltage',
            unit: 'V',
            read: true,
            write: false,
        });

        // new values: no object call at all
        const changed = fullNode('a1b2c3d4', { lastHeard: 1_800_000_000_000 });
        changed.telemetry.device = { ...changed.telemetry.device, voltage: 3.7 };
        writer.writeNode(changed, ALL);
        await writer.flush();
        expect(fake.calls.setObjectNotExists).to.equal(created);
        expect(fake.calls.extendObject).to.equal(0);
        expect(fake.val('nodes.a1b2c3d4.telemetry.device.voltage')).to.equal(3.7);
        expect(fake.states.get('nodes.a1b2c3d4.status.lastHeard')).to.include({ val: 1_800_000_000_000, ack: true });
    });

    it('creates a section container with its first value, also for a node whose other sections are ready', async () => {
        const fake = new FakeAdapter({ latency: jitter([1, 0, 2]) });
        const writer = await started(fake);
        const node = fullNode('0c0ffee0', {
            position: undefined,
            history: [],
            lastText: undefined,
            telemetry: { device: { batteryLevel: 80 } },
        });
        writer.writeNode(node, ALL);
        await writer.flush();
        writer.writeNode(node, ALL); // its objects exist now: every section with data is marked ready
        await writer.flush();
        const base = 'nodes.0c0ffee0';
        for (const empty of ['position', 'messages', 'telemetry.environment', 'telemetry.localStats']) {
            expect(fake.objects.has(`${base}.${empty}`), empty).to.equal(false);
        }
        const before = fake.calls.setObjectNotExists;
        node.position = { latitude: 52.5, longitude: 13.4, precisionBits: 32, accuracyMeters: 0 };
        writer.writeNode(node, sections('position'));
        await writer.flush();
        expect(fake.objects.get(`${base}.position`)?.type).to.equal('channel');
        expect(fake.val(`${base}.position.latitude`)).to.equal(52.5);
        expect(fake.writesWithoutObject).to.deep.equal([]);
        const order = fake.createdOrder;
        expect(order.indexOf(`${base}.position`)).to.be.lessThan(order.indexOf(`${base}.position.latitude`));
        expect(fake.calls.setObjectNotExists - before).to.be.greaterThan(1);
        // and from then on position updates need no object call
        const created = fake.calls.setObjectNotExists;
        node.position = { latitude: 52.6, longitude: 13.4, precisionBits: 32, accuracyMeters: 0 };
        writer.writeNode(node, sections('position'));
        await writer.flush();
        expect(fake.calls.setObjectNotExists).to.equal(created);
        expect(fake.val(`${base}.position.latitude`)).to.equal(52.6);
    });

    it('writes only values that changed', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        const writes = fake.calls.setState;
        expect(writes).to.equal(nodeStateValues(fullNode(), ALL).length);
        expect(writer.writes).to.equal(writes);

        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        // only event-like states (last text) are written again
        expect(fake.calls.setState - writes).to.equal(1);
        expect(fake.stateWrites[fake.stateWrites.length - 1].id).to.equal('nodes.a1b2c3d4.messages.lastText');

        writer.writeNode(fullNode('a1b2c3d4', { presence: 'offline' }), sections('status'));
        await writer.flush();
        expect(fake.stateWrites.slice(-2).map(w => w.id)).to.deep.equal([
            'nodes.a1b2c3d4.status.online',
            'nodes.a1b2c3d4.status.presence',
        ]);
        expect(writer.counters().unchanged).to.be.greaterThan(100);
    });

    it('coalesces bursts: only the newest value of a state is written once the DB is free', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const writer = new StateWriter(fake, { maxInFlight: 1 });
        const init = writer.init();
        while (fake.calls.getStates === 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await init;
        for (let i = 1; i <= 100; i++) {
            writer.writeStats(
                {
                    received: i,
                    decoded: 0,
                    duplicates: 0,
                    undecryptable: 0,
                    invalid: 0,
                    ignored: 0,
                    unknownChannels: 0,
                    filtered: 0,
                },
                [],
            );
        }
        expect(writer.pendingCount()).to.be.greaterThan(0);
        let rounds = 0;
        while (writer.pendingCount() > 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
            rounds++;
            expect(rounds).to.be.below(1000);
        }
        await writer.flush();
        const receivedWrites = fake.stateWrites.filter(w => w.id === 'stats.received');
        expect(receivedWrites.map(w => w.val)).to.deep.equal([100]);
        expect(fake.val('stats.received')).to.equal(100);
        expect(writer.pendingCount()).to.equal(0);
    });

    it('writes nothing when a queued change goes back to the value the DB holds', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const writer = new StateWriter(fake, { maxInFlight: 1 });
        const init = writer.init();
        while (fake.calls.getStates === 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await init;
        const stats = (received: number, decoded: number): Parameters<StateWriter['writeStats']>[0] => ({
            received,
            decoded,
            duplicates: 0,
            undecryptable: 0,
            invalid: 0,
            ignored: 0,
            unknownChannels: 0,
            filtered: 0,
        });
        const drain = async (): Promise<void> => {
            let rounds = 0;
            while (writer.pendingCount() > 0 || gate.held() > 0) {
                gate.release();
                await new Promise<void>(resolve => setImmediate(resolve));
                expect(++rounds).to.be.below(1000);
            }
            await writer.flush();
        };
        writer.writeStats(stats(2, 0), []);
        await drain();
        const before = fake.stateWrites.filter(w => w.id === 'stats.received').length;
        // 2 → 1 → 2 while the DB is busy with another state: the DB already holds 2.
        writer.writeStats(stats(2, 5), []);
        writer.writeStats(stats(1, 5), []);
        writer.writeStats(stats(2, 5), []);
        await drain();
        expect(fake.stateWrites.filter(w => w.id === 'stats.received').length).to.equal(before);
        expect(fake.val('stats.received')).to.equal(2);
        expect(fake.val('stats.decoded')).to.equal(5);
    });

    it('keeps at most maxInFlight DB calls outstanding and reports the backlog', async () => {
        const fake = new FakeAdapter({ latency: jitter([1, 3, 2]) });
        const writer = await started(fake, { maxInFlight: 4 });
        for (let i = 0; i < 40; i++) {
            writer.writeNode(fullNode((0x10000000 + i).toString(16)), ALL);
        }
        expect(writer.pendingCount()).to.be.greaterThan(1000);
        await writer.flush();
        expect(fake.maxInFlightSeen).to.be.at.most(4);
        expect(writer.pendingCount()).to.equal(0);
        expect(writer.counters()).to.include({ backlog: 0, inFlight: 0, errors: 0 });
        expect(statesUnder(fake, 'nodes.1000001f')).to.have.length(nodeStateValues(fullNode('1000001f'), ALL).length);
        expect(fake.writesWithoutObject).to.deep.equal([]);
    });

    it('without an explicit bound keeps the DB busy with DEFAULT_MAX_IN_FLIGHT calls, never more', async () => {
        const fake = new FakeAdapter({ latency: jitter([2, 5, 3]) });
        const writer = await started(fake);
        for (let i = 0; i < 40; i++) {
            writer.writeNode(fullNode((0x10000000 + i).toString(16)), ALL);
        }
        await writer.flush();
        expect(DEFAULT_MAX_IN_FLIGHT).to.equal(128);
        expect(fake.maxInFlightSeen).to.equal(DEFAULT_MAX_IN_FLIGHT);
        expect(writer.counters()).to.include({ backlog: 0, inFlight: 0, errors: 0 });
    });

    it('seeds caches from the DB: a restart with unchanged data costs no object and no state call', async () => {
        const fake = new FakeAdapter();
        const first = await started(fake);
        first.writeNode(fullNode(), ALL);
        first.ensureChannels(['LongFast']);
        await first.flush();

        const calls = { ...fake.calls };
        const second = new StateWriter(fake);
        const restored = await second.init(['LongFast']);
        expect(fake.calls.getAdapterObjects - calls.getAdapterObjects).to.equal(1);
        expect(fake.calls.getStates - calls.getStates).to.equal(1);
        expect(restored).to.have.length(1);
        expect(restored[0].user?.longName).to.equal('Alpha Base');
        expect(second.knownNodeHexes()).to.deep.equal(['a1b2c3d4']);
        expect(second.cachedValue('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');

        const node = fullNode();
        node.lastText = undefined; // event state: would be written again
        second.writeNode(node, sections('info', 'position', 'radio', 'status', 'neighbors', 'telemetry.environment'));
        await second.flush();
        expect(fake.calls.setObjectNotExists).to.equal(calls.setObjectNotExists);
        expect(fake.calls.setState).to.equal(calls.setState);
        expect(fake.calls.extendObject).to.equal(calls.extendObject);
    });

    it('restores only nodes whose device object exists', async () => {
        const fake = new FakeAdapter();
        fake.putState('nodes.0000abcd.info.longName', 'orphan');
        fake.putState('nodes.0000abcd.status.lastHeard', 5);
        const writer = new StateWriter(fake);
        expect(await writer.init()).to.deep.equal([]);
    });

    it('renames the device when the long name changes, and only then', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode('a1b2c3d4', { user: undefined }), sections('status'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('!a1b2c3d4');

        writer.writeNode(fullNode(), sections('info'));
        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.calls.extendObject).to.equal(1);
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('Alpha Base (!a1b2c3d4)');
    });

    it('keeps creating and renaming right for a live record updated in place (as the mesh model does)', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        const node = fullNode('a1b2c3d4', { user: undefined, telemetry: {} });
        writer.writeNode(node, sections('status'));
        await writer.flush();
        writer.writeNode(node, sections('status')); // objects exist now: the quick path
        await writer.flush();
        const created = fake.calls.setObjectNotExists;
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('!a1b2c3d4');

        node.user = fullNode().user; // named later, in place
        node.lastHeard += 1000;
        writer.writeNode(node, sections('status'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('Alpha Base (!a1b2c3d4)');
        expect(fake.calls.extendObject).to.equal(1);

        node.telemetry.power = { ch1Voltage: 5.1 }; // a section not seen before gets its channel first
        writer.writeNode(node, sections('status', 'telemetry.power'));
        await writer.flush();
        expect(fake.objects.has('nodes.a1b2c3d4.telemetry.power')).to.equal(true);
        expect(fake.states.get('nodes.a1b2c3d4.telemetry.power.ch1Voltage')?.val).to.equal(5.1);
        expect(fake.writesWithoutObject).to.deep.equal([]);
        expect(fake.calls.setObjectNotExists).to.be.greaterThan(created);
        expect(fake.calls.extendObject).to.equal(1);
    });

    it('applies a rename that arrives while the device is still being created', async () => {
        const fake = new FakeAdapter({ latency: jitter([3]) });
        const writer = await started(fake);
        writer.writeNode(fullNode('a1b2c3d4', { user: undefined }), sections('status'));
        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4')?.common.name).to.equal('Alpha Base (!a1b2c3d4)');
    });

    it('upgrades role/unit of old state objects once, keeping their names', async () => {
        const fake = new FakeAdapter();
        fake.putObject('nodes.a1b2c3d4', { type: 'device', common: { name: 'Alpha Base (!a1b2c3d4)' }, native: {} });
        fake.putObject('nodes.a1b2c3d4.telemetry.device.voltage', {
            type: 'state',
            common: { name: 'my name', type: 'number', role: 'value', read: true, write: false },
            native: {},
        });
        const writer = await started(fake);
        const node = fullNode();
        writer.writeNode(node, sections('telemetry.device'));
        writer.writeNode(node, sections('telemetry.device'));
        await writer.flush();
        expect(fake.calls.extendObject).to.equal(1);
        expect(fake.objects.get('nodes.a1b2c3d4.telemetry.device.voltage')?.common).to.deep.include({
            name: 'my name',
            role: 'value.voltage',
            unit: 'V',
        });
    });

    it('removes a node: objects, states and caches; a later update recreates it', async () => {
        const fake = new FakeAdapter({ latency: jitter([0, 1]) });
        const writer = await started(fake);
        writer.writeNode(fullNode(), ALL);
        writer.writeNode(fullNode('0badc0de'), ALL);
        await writer.flush();

        await writer.removeNode('a1b2c3d4');
        expect(objectsUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(statesUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(objectsUnder(fake, 'nodes.0badc0de').length).to.be.greaterThan(10);
        expect(writer.knownNodeHexes()).to.deep.equal(['0badc0de']);
        expect(writer.cachedValue('nodes.a1b2c3d4.info.longName')).to.equal(undefined);

        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.val('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');
        expect(fake.objects.has('nodes.a1b2c3d4.info')).to.equal(true);
        expect(fake.writesWithoutObject).to.deep.equal([]);
    });

    it('drops queued writes of a removed node and never resurrects its objects', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const writer = new StateWriter(fake, { maxInFlight: 3 });
        const init = writer.init();
        while (fake.calls.getStates === 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await init;
        writer.writeNode(fullNode(), ALL);
        await new Promise<void>(resolve => setImmediate(resolve));
        expect(gate.held()).to.be.greaterThan(0); // creations in flight
        const removal = writer.removeNode('a1b2c3d4');
        let done = false;
        void removal.then(() => (done = true));
        for (let i = 0; i < 200 && !done; i++) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        expect(done).to.equal(true);
        for (let i = 0; i < 20; i++) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await writer.flush();
        expect(objectsUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(statesUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(fake.calls.delObject).to.equal(1);
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

    it('does not recreate instance objects that exist (io-package) and does not change them', async () => {
        const fake = new FakeAdapter();
        fake.putObject('info', { type: 'channel', common: { name: 'Information' }, native: {} });
        fake.putObject('info.connection', {
            type: 'state',
            common: { name: 'Connected', type: 'boolean', role: 'indicator.connected', read: true, write: false },
            native: {},
        });
        fake.putObject('info.clients', {
            type: 'state',
            common: { name: 'Clients', type: 'string', role: 'text', read: true, write: false },
            native: {},
        });
        const writer = await started(fake);
        writer.setConnected(false);
        writer.setClients([]);
        await writer.flush();
        expect(fake.calls.extendObject).to.equal(0);
        expect(fake.objects.get('info.clients')?.common.role).to.equal('text');
        expect(fake.createdOrder.filter(id => id.startsWith('info'))).to.deep.equal([]);
    });

    it('logs DB errors once per kind, never throws, and retries with the next update', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        fake.failNext('setState', 2);
        writer.setConnected(true);
        writer.setClients(['a']);
        await writer.flush();
        expect(fake.log.at('warn')).to.have.length(1);
        expect(fake.log.at('warn')[0]).to.match(/setState .* failed/);
        expect(fake.log.at('debug').filter(m => m.includes('setState'))).to.have.length(1);
        expect(writer.counters().errors).to.equal(2);
        writer.setConnected(true); // not cached after the failure: written again
        await writer.flush();
        expect(fake.val('info.connection')).to.equal(true);

        fake.failNext('setObjectNotExists', 1000);
        writer.writeNode(fullNode(), sections('status'));
        await writer.flush();
        expect(statesUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
        expect(fake.log.at('warn').filter(m => m.includes('setObjectNotExists'))).to.have.length(1);
        fake.failures.setObjectNotExists = 0;
        writer.writeNode(fullNode(), sections('status'));
        await writer.flush();
        expect(fake.val('nodes.a1b2c3d4.status.presence')).to.equal('rf');
        expect(fake.writesWithoutObject).to.deep.equal([]);
    });

    it('survives failing seed calls', async () => {
        const fake = new FakeAdapter();
        fake.failNext('getAdapterObjects');
        fake.failNext('getStates');
        const writer = new StateWriter(fake);
        expect(await writer.init()).to.deep.equal([]);
        expect(fake.log.at('warn')).to.have.length(2);
        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        expect(fake.val('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');
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
        expect(writer.pendingCount()).to.be.greaterThan(0);
        writer.dispose();
        await writer.flush();
        expect(writer.pendingCount()).to.equal(0);
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

    it('bounds the value cache', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake, { maxCachedValues: 150 });
        for (let i = 0; i < 5; i++) {
            writer.writeNode(fullNode((0x20000000 + i).toString(16)), ALL);
        }
        await writer.flush();
        expect(writer.counters().cachedValues).to.be.at.most(150);
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
                    expect(writer.pendingCount()).to.equal(0);
                },
            ),
            { numRuns: 150 },
        );
    });
});

function sendStatus(overrides: Partial<SendStatus> = {}): SendStatus {
    return {
        id: 0x2001,
        to: 'broadcast',
        channel: 'LongFast',
        status: 'queued',
        text: 'hello',
        time: 1_700_000_000_000,
        ...overrides,
    };
}

describe('states/writer: sending', () => {
    it('creates send/sendStatus objects once for every configured channel, with the write flags of the table', async () => {
        const fake = new FakeAdapter();
        const writer = new StateWriter(fake);
        await writer.init(['LongFast', 'Admin.Chan', 'LongFast']);
        await writer.flush();
        expect(fake.objects.get('channels.LongFast.send')).to.deep.equal({
            type: 'state',
            common: CHANNEL_SEND_STATES.send.common,
            native: {},
        });
        expect(fake.objects.get('channels.LongFast.send')?.common).to.deep.include({
            role: 'text',
            read: true,
            write: true,
        });
        expect(fake.objects.get('channels.Admin_Chan.sendStatus')?.common).to.deep.include({
            role: 'json',
            read: true,
            write: false,
        });
        // objects only: no value is written into the command or status states
        expect(fake.states.has('channels.LongFast.send')).to.equal(false);
        expect(fake.states.has('channels.LongFast.sendStatus')).to.equal(false);
        const created = fake.calls.setObjectNotExists;

        writer.ensureChannels(['LongFast', 'Admin.Chan']);
        const message = textMessage();
        writer.apply([{ type: 'channelMessage', channel: channelRecord('LongFast', [message]), message }]);
        writer.writeSendStatus(sendStatus(), { kind: 'channel', name: 'LongFast' });
        writer.writeSendStatus(sendStatus(), { kind: 'channel', name: 'LongFast' });
        await writer.flush();
        // only the data states of the text and the status state were new
        const newObjects = fake.createdOrder.slice(created);
        expect(newObjects.filter(id => id.endsWith('.send'))).to.deep.equal([]);
        expect(newObjects.filter(id => id === 'channels.LongFast.sendStatus')).to.deep.equal([]);
        expect(fake.createdOrder.filter(id => id === 'channels.LongFast.send')).to.have.length(1);
    });

    it('creates send/sendStatus with every node, also for devices stored before they existed', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode(), sections('status'));
        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4.send')?.common).to.deep.equal(NODE_SEND_STATES.send.common);
        expect(fake.objects.get('nodes.a1b2c3d4.sendStatus')?.common).to.deep.equal(NODE_SEND_STATES.status.common);
        expect(fake.createdOrder.filter(id => id === 'nodes.a1b2c3d4.send')).to.have.length(1);
        expect(fake.createdOrder.indexOf('nodes.a1b2c3d4')).to.be.below(
            fake.createdOrder.indexOf('nodes.a1b2c3d4.send'),
        );

        // an old installation: device and data, no send states
        const old = new FakeAdapter();
        old.putObject('nodes', { type: 'folder', common: { name: 'Mesh nodes' }, native: {} });
        old.putObject('nodes.0badc0de', { type: 'device', common: { name: '!0badc0de' }, native: {} });
        old.putObject('nodes.0badc0de.status', { type: 'channel', common: { name: 'Status' }, native: {} });
        old.putObject('nodes.0badc0de.status.lastHeard', {
            type: 'state',
            common: { name: 'Last heard', type: 'number', role: 'date', read: true, write: false },
            native: {},
        });
        old.putState('nodes.0badc0de.status.lastHeard', 5);
        const second = new StateWriter(old);
        const restored = await second.init();
        await second.flush();
        expect(restored.map(n => n.hex)).to.deep.equal(['0badc0de']);
        expect(old.objects.get('nodes.0badc0de.send')?.common.write).to.equal(true);
        expect(old.objects.has('nodes.0badc0de.sendStatus')).to.equal(true);

        // next start: nothing to create
        const calls = old.calls.setObjectNotExists;
        const third = new StateWriter(old);
        await third.init();
        await third.flush();
        expect(old.calls.setObjectNotExists).to.equal(calls);
    });

    it('never takes stored send/sendStatus values for data', async () => {
        const fake = new FakeAdapter();
        const first = await started(fake);
        first.writeNode(fullNode(), ALL);
        first.ensureChannels(['LongFast']);
        await first.flush();
        fake.putState('nodes.a1b2c3d4.send', 'pending command'); // user write (ack=false) before a restart
        fake.putState('nodes.a1b2c3d4.sendStatus', JSON.stringify(sendStatus({ to: '!a1b2c3d4' })));
        fake.putState('channels.LongFast.send', 'to the channel');
        const second = new StateWriter(fake);
        const [restored] = await second.init(['LongFast']);
        expect(restored.hex).to.equal('a1b2c3d4');
        expect(restored.lastText?.text).to.equal(fullNode().lastText?.text);
        expect(second.cachedValue('nodes.a1b2c3d4.send')).to.equal(undefined);
        expect(second.cachedValue('nodes.a1b2c3d4.sendStatus')).to.equal(undefined);
        expect(second.cachedValue('channels.LongFast.send')).to.equal(undefined);
        expect(second.cachedValue('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');
        // the writer never writes into a send state
        second.writeNode(fullNode(), ALL);
        await second.flush();
        expect(fake.stateWrites.filter(w => w.id.endsWith('.send'))).to.deep.equal([]);
        expect(fake.val('nodes.a1b2c3d4.send')).to.equal('pending command');
    });

    it('writes sendStatus and messages.lastSent on every status, even when equal', async () => {
        const fake = new FakeAdapter();
        const writer = new StateWriter(fake);
        await writer.init(['Long.Fast']);
        const queued = sendStatus({ channel: 'Long.Fast' });
        writer.writeSendStatus(queued, { kind: 'channel', name: 'Long.Fast' });
        await writer.flush();
        writer.writeSendStatus(queued, { kind: 'channel', name: 'Long.Fast' });
        await writer.flush();
        const sent = sendStatus({ channel: 'Long.Fast', status: 'sent', parts: 2 });
        writer.writeSendStatus(sent, { kind: 'channel', name: 'Long.Fast' });
        await writer.flush();
        const statusWrites = fake.stateWrites.filter(w => w.id === 'channels.Long_Fast.sendStatus');
        expect(statusWrites.map(w => (JSON.parse(w.val as string) as SendStatus).status)).to.deep.equal([
            'queued',
            'queued',
            'sent',
        ]);
        expect(fake.stateWrites.filter(w => w.id === MESSAGE_LAST_SENT.id)).to.have.length(3);
        expect(JSON.parse(fake.val('messages.lastSent') as string)).to.deep.equal(sent);
        expect(fake.states.get('channels.Long_Fast.sendStatus')?.ack).to.equal(true);
        expect(fake.objects.get('messages.lastSent')?.common).to.deep.include({ role: 'json', write: false });
        expect(fake.writesWithoutObject).to.deep.equal([]);
        // a status for a channel not configured yet creates its objects
        writer.writeSendStatus(sendStatus({ channel: 'Other' }), { kind: 'channel', name: 'Other' });
        await writer.flush();
        expect(fake.objects.get('channels.Other.send')?.common.write).to.equal(true);
        expect(fake.val('channels.Other.sendStatus')).to.be.a('string');
        expect(writer.channelNameForId('Other')).to.equal('Other');
    });

    it('writes a node sendStatus only for known devices; messages.lastSent always', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode(), sections('status'));
        await writer.flush();
        const acked = sendStatus({ to: '!a1b2c3d4', channel: 'PKI', status: 'acked' });
        writer.writeSendStatus(acked, { kind: 'node', hex: 'a1b2c3d4' });
        await writer.flush();
        writer.writeSendStatus(acked, { kind: 'node', hex: 'a1b2c3d4' });
        await writer.flush();
        expect(fake.stateWrites.filter(w => w.id === 'nodes.a1b2c3d4.sendStatus')).to.have.length(2);
        expect(JSON.parse(fake.val('nodes.a1b2c3d4.sendStatus') as string)).to.deep.equal(acked);

        const unknown = sendStatus({ to: '!0000beef', channel: 'PKI', status: 'failed', error: 'no public key' });
        writer.writeSendStatus(unknown, { kind: 'node', hex: '0000beef' });
        await writer.flush();
        writer.writeSendStatus(unknown, { kind: 'node', hex: '../EVIL' });
        await writer.flush();
        expect(objectsUnder(fake, 'nodes.0000beef')).to.deep.equal([]);
        expect([...fake.objects.keys()].filter(id => id.includes('EVIL'))).to.deep.equal([]);
        expect(JSON.parse(fake.val('messages.lastSent') as string)).to.deep.equal(unknown);
        expect(fake.stateWrites.filter(w => w.id === 'messages.lastSent')).to.have.length(4);
        expect(writer.knownNodeHexes()).to.deep.equal(['a1b2c3d4']);

        // a device being created right now is good enough
        writer.writeNode(fullNode('0badc0de'), sections('status'));
        writer.writeSendStatus(sendStatus({ to: '!0badc0de' }), { kind: 'node', hex: '0badc0de' });
        await writer.flush();
        expect(fake.val('nodes.0badc0de.sendStatus')).to.be.a('string');
        expect(fake.writesWithoutObject).to.deep.equal([]);

        // removal takes the send states with the node
        await writer.removeNode('a1b2c3d4');
        expect(objectsUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
    });

    it('maps send state ids to targets with the configured channel name', async () => {
        const fake = new FakeAdapter();
        const writer = new StateWriter(fake);
        const hostile = ['Long.Fast', 'a b#c+*?', '', '../../x', 'Grüße', 'x'.repeat(100), 'a.b', 'a_b'];
        await writer.init(hostile);
        await writer.flush();
        for (const name of hostile.slice(0, 6)) {
            const base = channelBaseId(name);
            const part = base.slice('channels.'.length);
            expect(writer.channelNameForId(part), name).to.equal(name);
            expect(writer.sendStateTarget(`${base}.send`), name).to.deep.equal({ kind: 'channel', name, id: part });
            expect(writer.sendStateTarget(`meshtastic.0.${base}.send`), name).to.deep.equal({
                kind: 'channel',
                name,
                id: part,
            });
            expect(fake.objects.get(`${base}.send`)?.common.write, name).to.equal(true);
        }
        // 'a.b' and 'a_b' share the id level: the first configured name wins
        expect(writer.channelNameForId('a_b')).to.equal('a.b');
        expect(writer.sendStateTarget('channels.a_b.send')).to.deep.equal({ kind: 'channel', name: 'a.b', id: 'a_b' });
        expect(writer.sendStateTarget('channels.NotConfigured.send')).to.equal(undefined);
        expect(writer.sendStateTarget('channels.Long_Fast.sendStatus')).to.equal(undefined);
        expect(writer.sendStateTarget('channels.Long_Fast.lastMessage')).to.equal(undefined);
        expect(writer.sendStateTarget('nodes.a1b2c3d4.send')).to.deep.equal({ kind: 'node', hex: 'a1b2c3d4' });
        expect(writer.sendStateTarget('meshtastic.0.nodes.a1b2c3d4.send')).to.deep.equal({
            kind: 'node',
            hex: 'a1b2c3d4',
        });
        expect(writer.sendStateTarget('meshtastic.1.nodes.a1b2c3d4.send')).to.equal(undefined);
        expect(writer.sendStateTarget('nodes.a1b2c3d4.info.send')).to.equal(undefined);
        expect(writer.channelNameForId('Nope')).to.equal(undefined);
        // channels known from texts are remembered too
        const message = textMessage();
        writer.apply([{ type: 'channelMessage', channel: channelRecord('From.Text', [message]), message }]);
        expect(writer.sendStateTarget('channels.From_Text.send')).to.deep.equal({
            kind: 'channel',
            name: 'From.Text',
            id: 'From_Text',
        });
    });

    it('writes messages.direct only for DMs to our own node (settable later)', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        const toOthers = textMessage({ direct: true, text: 'between others', to: 0x0badc0de });
        const toUs = textMessage({ direct: true, text: 'for us', to: 0x0a1b2c3d });
        writer.apply([{ type: 'directMessage', message: toUs }]); // no own node yet: not ours
        await writer.flush();
        expect(fake.val('messages.direct')).to.equal(undefined);
        expect(JSON.parse(fake.val('messages.last') as string)).to.deep.equal(toUs);

        writer.setOwnNodeNum(0x0a1b2c3d);
        writer.apply([
            { type: 'directMessage', message: toUs },
            { type: 'directMessage', message: toOthers },
        ]);
        await writer.flush();
        expect(JSON.parse(fake.val('messages.direct') as string)).to.deep.equal(toUs);
        expect(fake.stateWrites.filter(w => w.id === 'messages.direct')).to.have.length(1);
        expect(JSON.parse(fake.val('messages.last') as string)).to.deep.equal(toOthers);

        writer.setOwnNodeNum(0);
        writer.apply([{ type: 'directMessage', message: toUs }]);
        await writer.flush();
        expect(fake.stateWrites.filter(w => w.id === 'messages.direct')).to.have.length(1);

        for (const invalid of [-1, 1.5, Number.NaN, 2 ** 32]) {
            writer.setOwnNodeNum(invalid);
            writer.apply([{ type: 'directMessage', message: textMessage({ direct: true, to: 0xffffffff }) }]);
        }
        await writer.flush();
        expect(fake.stateWrites.filter(w => w.id === 'messages.direct')).to.have.length(1);

        const other = new FakeAdapter();
        const fromOption = await started(other, { ownNodeNum: 0x0a1b2c3d });
        fromOption.apply([{ type: 'directMessage', message: toUs }]);
        await fromOption.flush();
        expect(JSON.parse(other.val('messages.direct') as string)).to.deep.equal(toUs);
    });

    it('coalesces a burst of statuses to the newest one (like every state), unflushed', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake, { maxInFlight: 1 });
        writer.ensureChannels(['LongFast']);
        await writer.flush();
        for (const status of ['queued', 'sent', 'acked'] as const) {
            writer.writeSendStatus(sendStatus({ status }), { kind: 'channel', name: 'LongFast' });
        }
        await writer.flush();
        const last = fake.stateWrites.filter(w => w.id === 'channels.LongFast.sendStatus').pop();
        expect((JSON.parse(last!.val as string) as SendStatus).status).to.equal('acked');
        expect((JSON.parse(fake.val('messages.lastSent') as string) as SendStatus).status).to.equal('acked');
    });
});

/** FakeAdapter that records the id of every object/state call when it is made (not when it completes). */
class RecordingAdapter extends FakeAdapter {
    readonly touched: string[] = [];

    override setObjectNotExistsAsync(id: string, obj: ioBroker.SettableObject): Promise<{ id: string }> {
        this.touched.push(id);
        return super.setObjectNotExistsAsync(id, obj);
    }

    override extendObjectAsync(id: string, objPart: ioBroker.PartialObject): Promise<{ id: string }> {
        this.touched.push(id);
        return super.extendObjectAsync(id, objPart);
    }

    override setState(id: string, value: ioBroker.StateValue, ack: boolean): Promise<string> {
        this.touched.push(id);
        return super.setState(id, value, ack);
    }

    override delObjectAsync(id: string, options: ioBroker.DelObjectOptions): Promise<void> {
        this.touched.push(id);
        return super.delObjectAsync(id, options);
    }

    /** Calls made for ids of the node so far. */
    callsFor(hex: string): string[] {
        return this.touched.filter(id => id === `nodes.${hex}` || id.startsWith(`nodes.${hex}.`));
    }
}

function newNode(node: NodeRecord): MeshEvent {
    return { type: 'node', node, sections: ALL, isNew: true };
}

function updated(node: NodeRecord, ...list: NodeSection[]): MeshEvent {
    return { type: 'node', node, sections: sections(...list), isNew: false };
}

function removed(hex: string): MeshEvent {
    return { type: 'nodeRemoved', num: parseInt(hex, 16), hex, reason: 'maxNodes' };
}

/** A writer on a DB whose calls are held until released (init already done). */
async function heldWriter(
    options: ConstructorParameters<typeof StateWriter>[1],
): Promise<{ fake: RecordingAdapter; writer: StateWriter; gate: ReturnType<typeof manualLatency> }> {
    const gate = manualLatency();
    const fake = new RecordingAdapter({ latency: gate.latency });
    const writer = new StateWriter(fake, options);
    const init = writer.init();
    while (fake.calls.getStates === 0 || gate.held() > 0) {
        gate.release();
        await new Promise<void>(resolve => setImmediate(resolve));
    }
    await init;
    return { fake, writer, gate };
}

/** Releases held DB calls until `promise` settles (bounded). */
async function releaseUntil(gate: ReturnType<typeof manualLatency>, promise: Promise<unknown>): Promise<void> {
    let done = false;
    void promise.then(() => (done = true));
    for (let i = 0; i < 10_000 && !done; i++) {
        gate.release();
        await new Promise<void>(resolve => setImmediate(resolve));
    }
    expect(done, 'settled').to.equal(true);
}

describe('states/writer: flood admission', () => {
    const objectsPerNode = nodeBatch(fullNode(), ALL).objects.length + nodeStateValues(fullNode(), ALL).length;

    it('holds back new nodes while the object backlog is high: no DB call, then their latest values', async () => {
        const { fake, writer, gate } = await heldWriter({ maxInFlight: 4, maxObjectBacklog: 20 });
        expect(objectsPerNode).to.be.greaterThan(20);
        writer.apply([newNode(fullNode('10000001'))]); // backlog 0: queued at once
        expect(writer.counters().objectBacklog).to.be.at.least(20);
        const b = fullNode('10000002');
        const c = fullNode('10000003');
        writer.apply([newNode(b), newNode(c)]);
        expect(writer.counters()).to.include({ awaitingObjects: 2 });
        // an update of a waiting node is not queued: its record is read when its objects are queued
        b.telemetry.device = { ...b.telemetry.device, voltage: 3.3 };
        b.presence = 'mqtt';
        writer.apply([updated(b, 'telemetry.device', 'status')]);
        expect(writer.counters().awaitingObjects).to.equal(2);
        expect(writer.pendingCount()).to.be.at.least(2);
        for (let i = 0; i < 5; i++) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        expect(fake.callsFor('10000001').length).to.be.greaterThan(0);
        expect(fake.callsFor('10000002')).to.deep.equal([]);
        expect(fake.callsFor('10000003')).to.deep.equal([]);
        expect(writer.knownNodeHexes()).to.not.include('10000002');

        await releaseUntil(gate, writer.flush());
        expect(writer.counters()).to.include({ awaitingObjects: 0, backlog: 0, objectBacklog: 0 });
        for (const node of [b, c]) {
            const batch = nodeBatch(node, ALL);
            for (const obj of batch.objects) {
                expect(fake.objects.has(obj.id), obj.id).to.equal(true);
            }
            for (const state of batch.states) {
                expect(fake.val(state.id), state.id).to.deep.equal(state.value);
            }
        }
        expect(fake.val('nodes.10000002.telemetry.device.voltage')).to.equal(3.3);
        expect(fake.val('nodes.10000002.status.presence')).to.equal('mqtt');
        // every state of a node written once: the update was not queued separately
        const bWrites = fake.stateWrites.filter(w => w.id.startsWith('nodes.10000002.'));
        expect(bWrites).to.have.length(nodeStateValues(b, ALL).length);
        expect(fake.writesWithoutObject).to.deep.equal([]);
        expect(writer.knownNodeHexes().sort()).to.deep.equal(['10000001', '10000002', '10000003']);
    });

    it('flush waits for waiting nodes', async () => {
        const { writer, gate } = await heldWriter({ maxInFlight: 4, maxObjectBacklog: 20 });
        writer.apply([newNode(fullNode('10000001')), newNode(fullNode('10000002'))]);
        expect(writer.counters().awaitingObjects).to.equal(1);
        let flushed = false;
        const flush = writer.flush().then(() => (flushed = true));
        // release until the second node is admitted: its objects are on their way, flush still waits
        while (writer.counters().awaitingObjects > 0) {
            expect(flushed).to.equal(false);
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        expect(flushed).to.equal(false);
        expect(writer.knownNodeHexes()).to.not.include('10000002');
        await releaseUntil(gate, flush);
        expect(writer.knownNodeHexes().sort()).to.deep.equal(['10000001', '10000002']);
    });

    it('a node evicted while it waits costs no DB call at all', async () => {
        const { fake, writer, gate } = await heldWriter({ maxInFlight: 4, maxObjectBacklog: 20 });
        writer.apply([newNode(fullNode('10000001')), newNode(fullNode('10000002'))]);
        expect(writer.counters().awaitingObjects).to.equal(1);
        writer.apply([removed('10000002')]);
        expect(writer.counters().awaitingObjects).to.equal(0);
        await releaseUntil(gate, writer.flush());
        expect(fake.callsFor('10000002')).to.deep.equal([]);
        expect(fake.calls.delObject).to.equal(0);
        expect(writer.knownNodeHexes()).to.deep.equal(['10000001']);

        // heard again later: created normally
        writer.apply([newNode(fullNode('10000002'))]);
        await releaseUntil(gate, writer.flush());
        expect(fake.val('nodes.10000002.info.longName')).to.equal('Alpha Base');
    });

    it('admits the most recently heard waiting node first', async () => {
        const { fake, writer, gate } = await heldWriter({ maxInFlight: 2, maxObjectBacklog: 20 });
        const nodes = ['10000001', '10000002', '10000003', '10000004'].map((hex, i) =>
            fullNode(hex, { lastHeard: 1_000 + i }),
        );
        writer.apply(nodes.map(newNode));
        expect(writer.counters().awaitingObjects).to.equal(3);
        nodes[1].lastHeard = 2_000; // heard again: now the newest
        writer.apply([updated(nodes[1], 'status')]);
        await releaseUntil(gate, writer.flush());
        const devices = fake.createdOrder.filter(id => /^nodes\.[0-9a-f]{8}$/.test(id));
        expect(devices).to.deep.equal(['nodes.10000001', 'nodes.10000002', 'nodes.10000004', 'nodes.10000003']);
        expect(fake.val('nodes.10000002.status.lastHeard')).to.equal(2_000);
    });

    it('a node removed after it was admitted is deleted like any other', async () => {
        const { fake, writer, gate } = await heldWriter({ maxInFlight: 4, maxObjectBacklog: 20 });
        writer.apply([newNode(fullNode('10000001')), newNode(fullNode('10000002'))]);
        while (fake.callsFor('10000002').length === 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        writer.apply([removed('10000002')]);
        await releaseUntil(gate, writer.flush());
        expect(objectsUnder(fake, 'nodes.10000002')).to.deep.equal([]);
        expect(statesUnder(fake, 'nodes.10000002')).to.deep.equal([]);
        expect(fake.calls.delObject).to.equal(1);
        expect(writer.knownNodeHexes()).to.deep.equal(['10000001']);
    });

    it('a send status for a waiting node creates the node now', async () => {
        const { fake, writer, gate } = await heldWriter({ maxInFlight: 4, maxObjectBacklog: 20 });
        writer.apply([newNode(fullNode('10000001')), newNode(fullNode('10000002'))]);
        writer.writeSendStatus(sendStatus({ to: '!10000002' }), { kind: 'node', hex: '10000002' });
        expect(writer.counters().awaitingObjects).to.equal(0);
        await releaseUntil(gate, writer.flush());
        expect(fake.val(`nodes.10000002.${NODE_SEND_STATES.status.id}`)).to.be.a('string');
        expect(fake.val('nodes.10000002.info.longName')).to.equal('Alpha Base');
    });

    it('bounds the waiting nodes by maxNodes and keeps the object backlog near the watermark', async () => {
        const { fake, writer, gate } = await heldWriter({
            maxInFlight: 8,
            maxObjectBacklog: 100,
            maxNodes: 50,
            churnNewNodes: 1_000_000, // the churn guard is tested below
        });
        let maxBacklog = 0;
        const live: string[] = [];
        for (let i = 0; i < 400; i++) {
            const hex = (0x20000000 + i).toString(16);
            const events: MeshEvent[] = [];
            live.push(hex);
            if (live.length > 50) {
                events.push(removed(live.shift() as string)); // the model's LRU
            }
            events.push(newNode(fullNode(hex, { lastHeard: i })));
            writer.apply(events);
            const c = writer.counters();
            maxBacklog = Math.max(maxBacklog, c.objectBacklog);
            expect(c.awaitingObjects).to.be.at.most(50);
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        expect(maxBacklog).to.be.below(100 + 2 * objectsPerNode);
        await releaseUntil(gate, writer.flush());
        expect(writer.knownNodeHexes().sort()).to.deep.equal([...live].sort());
        for (const hex of live) {
            expect(fake.val(`nodes.${hex}.status.lastHeard`), hex).to.be.a('number');
        }
        // far fewer object calls than 400 full trees
        expect(fake.calls.setObjectNotExists).to.be.below(200 * objectsPerNode);
        expect(fake.writesWithoutObject).to.deep.equal([]);
    });

    it('converges to the live records of the model under random new nodes, updates, evictions and latency', async () => {
        const hexes = ['00000010', '00000011', '00000012', '00000013'];
        const op = fc.oneof(
            fc.record({
                kind: fc.constant('heard' as const),
                node: fc.integer({ min: 0, max: 3 }),
                voltage: fc.integer({ min: 30, max: 42 }),
                presence: fc.constantFrom<NodeRecord['presence']>('mqtt', 'rf', 'offline'),
            }),
            fc.record({ kind: fc.constant('remove' as const), node: fc.integer({ min: 0, max: 3 }) }),
            fc.record({ kind: fc.constant('send' as const), node: fc.integer({ min: 0, max: 3 }) }),
            fc.record({ kind: fc.constant('flush' as const) }),
        );
        await fc.assert(
            fc.asyncProperty(
                fc.array(op, { maxLength: 40 }),
                fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 7 }),
                fc.integer({ min: 1, max: 8 }),
                fc.integer({ min: 1, max: 120 }),
                fc.integer({ min: 1, max: 4 }),
                async (ops, pattern, maxInFlight, maxObjectBacklog, churnNewNodes) => {
                    const fake = new FakeAdapter({ latency: jitter(pattern) });
                    const writer = new StateWriter(fake, {
                        maxInFlight,
                        maxObjectBacklog,
                        maxNodes: 4,
                        churnNewNodes,
                        churnWindowMs: 5,
                    });
                    await writer.init();
                    const model = new Map<string, NodeRecord>();
                    let clock = 0;
                    for (const o of ops) {
                        if (o.kind === 'flush') {
                            await writer.flush();
                            continue;
                        }
                        const hex = hexes[o.node];
                        if (o.kind === 'remove') {
                            if (model.delete(hex)) {
                                writer.apply([removed(hex)]);
                            }
                            continue;
                        }
                        if (o.kind === 'send') {
                            writer.writeSendStatus(sendStatus({ to: `!${hex}` }), { kind: 'node', hex });
                            continue;
                        }
                        const existing = model.get(hex);
                        const node = existing ?? fullNode(hex);
                        node.presence = o.presence;
                        node.telemetry = { ...node.telemetry, device: { voltage: o.voltage / 10 } };
                        node.lastHeard = ++clock;
                        model.set(hex, node);
                        writer.apply([existing ? updated(node, 'status', 'telemetry.device') : newNode(node)]);
                    }
                    await writer.flush();
                    expect(writer.counters()).to.include({ awaitingObjects: 0, backlog: 0, objectBacklog: 0 });
                    for (const hex of hexes) {
                        const node = model.get(hex);
                        if (!node) {
                            expect(objectsUnder(fake, `nodes.${hex}`), hex).to.deep.equal([]);
                            continue;
                        }
                        for (const state of nodeStateValues(node, ALL)) {
                            expect(fake.val(state.id), state.id).to.deep.equal(state.value);
                        }
                    }
                    expect(writer.knownNodeHexes().sort()).to.deep.equal([...model.keys()].sort());
                    expect(fake.writesWithoutObject).to.deep.equal([]);
                    expect(fake.maxInFlightSeen).to.be.at.most(maxInFlight);
                },
            ),
            { numRuns: 150 },
        );
    });

    it('churn guard: while new nodes come fast, they wait even with an idle DB; created once the rate falls', async () => {
        const fake = new RecordingAdapter();
        const writer = await started(fake, { churnWindowMs: 100, churnNewNodes: 3 });
        writer.apply([newNode(fullNode('30000001')), newNode(fullNode('30000002'))]); // below the rate: at once
        const t0 = Date.now();
        const late = fullNode('30000003');
        writer.apply([newNode(late)]); // the third new node within the window: churn
        writer.apply([newNode(fullNode('30000004'))]);
        expect(writer.counters().awaitingObjects).to.equal(2);
        await new Promise<void>(resolve => setTimeout(resolve, 30));
        expect(writer.knownNodeHexes()).to.have.members(['30000001', '30000002']);
        expect(writer.counters()).to.include({ awaitingObjects: 2, objectBacklog: 0 }); // DB idle, still waiting
        expect(fake.callsFor('30000003')).to.deep.equal([]);
        writer.apply([removed('30000004')]); // evicted while waiting: free
        late.presence = 'mqtt';
        await writer.flush();
        expect(Date.now() - t0).to.be.at.least(90);
        expect(fake.callsFor('30000004')).to.deep.equal([]);
        expect(fake.calls.delObject).to.equal(0);
        expect(fake.val('nodes.30000003.status.presence')).to.equal('mqtt');
        expect(writer.knownNodeHexes()).to.have.members(['30000001', '30000002', '30000003']);
        expect(fake.pendingTimers()).to.equal(0);
    });

    it('churn guard: a node that keeps its place for two windows gets its objects while the churn goes on', async () => {
        const fake = new RecordingAdapter();
        const writer = await started(fake, { churnWindowMs: 30, churnNewNodes: 2 });
        const real = fullNode('40000000');
        let previous: string | undefined;
        let flood = 0x41000000;
        const tick = (): void => {
            const hex = (flood++).toString(16);
            const events: MeshEvent[] = previous === undefined ? [] : [removed(previous)];
            events.push(newNode(fullNode(hex)));
            previous = hex;
            writer.apply(events);
        };
        for (let i = 0; i < 3; i++) {
            tick();
        }
        writer.apply([newNode(real)]);
        expect(writer.counters().awaitingObjects).to.be.at.least(2);
        const start = Date.now();
        while (!writer.knownNodeHexes().includes('40000000') && Date.now() - start < 2000) {
            tick();
            await new Promise<void>(resolve => setTimeout(resolve, 5));
        }
        const waited = Date.now() - start;
        expect(writer.knownNodeHexes()).to.include('40000000');
        expect(waited).to.be.within(55, 1000);
        tick();
        // the flood nodes evicted meanwhile never cost a DB call; only the current one waits
        for (let hex = 0x41000003; hex < flood - 1; hex++) {
            expect(fake.callsFor(hex.toString(16)), hex.toString(16)).to.deep.equal([]);
        }
        await writer.flush();
        expect(writer.counters()).to.include({ awaitingObjects: 0, backlog: 0 });
        expect(fake.val('nodes.40000000.info.longName')).to.equal('Alpha Base');
        writer.dispose();
        expect(fake.pendingTimers()).to.equal(0);
    });
});
