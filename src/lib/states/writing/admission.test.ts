import { expect } from 'chai';
import fc from 'fast-check';
import type { MeshEvent, NodeRecord } from '../../mesh/types';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { fullNode } from '../fixtures.test';
import { nodeBatch, nodeStateValues } from '../batches';
import { NODE_SEND_STATES } from '../table';
import { StateWriter } from '../writer';
import {
    ALL,
    jitter,
    objectsUnder,
    statesUnder,
    started,
    sendStatus,
    RecordingAdapter,
    newNode,
    updated,
    removed,
    heldWriter,
    releaseUntil,
} from '../writer-fixtures.test';

describe('states/writing/admission (through the writer)', () => {
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
        // an update of an awaiting node is not queued: its record is read when its objects are queued
        b.telemetry.device = { ...b.telemetry.device, voltage: 3.3 };
        b.presence = 'mqtt';
        writer.apply([updated(b, 'telemetry.device', 'status')]);
        expect(writer.counters().awaitingObjects).to.equal(2);
        expect(writer.backlog()).to.be.at.least(2);
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

    it('flush waits for awaiting nodes', async () => {
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

    it('a node evicted while it awaits its objects costs no DB call at all', async () => {
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

    it('admits the most recently heard awaiting node first', async () => {
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

    it('a send status for an awaiting node creates the node now', async () => {
        const { fake, writer, gate } = await heldWriter({ maxInFlight: 4, maxObjectBacklog: 20 });
        writer.apply([newNode(fullNode('10000001')), newNode(fullNode('10000002'))]);
        writer.writeSendStatus(sendStatus({ to: '!10000002' }), { kind: 'node', hex: '10000002' });
        expect(writer.counters().awaitingObjects).to.equal(0);
        await releaseUntil(gate, writer.flush());
        expect(fake.val(`nodes.10000002.${NODE_SEND_STATES.status.id}`)).to.be.a('string');
        expect(fake.val('nodes.10000002.info.longName')).to.equal('Alpha Base');
    });

    it('bounds the awaiting nodes by maxNodes and keeps the object backlog near the watermark', async () => {
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

    it('churn guard: while new nodes come fast, they await their objects even with an idle DB; created once the rate falls', async () => {
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
        writer.apply([removed('30000004')]); // evicted while awaiting: free
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
        // the flood nodes evicted meanwhile never cost a DB call; only the current one awaits
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
