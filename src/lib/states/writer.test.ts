import { expect } from 'chai';
import fc from 'fast-check';
import type { MeshEvent, NodeRecord } from '../mesh/types';
import { FakeAdapter } from '../../test-support/fake-adapter';
import { channelRecord, fullNode, textMessage } from './fixtures.test';
import { nodeBatch, nodeStateValues } from './batches';
import { DEFAULT_MAX_IN_FLIGHT, type StatesAdapter, StateWriter } from './writer';
import { ALL, sections, manualLatency, jitter, objectsUnder, statesUnder, started } from './writer-fixtures.test';

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
