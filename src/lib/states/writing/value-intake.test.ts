import { expect } from 'chai';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { fullNode } from '../fixtures.test';
import { nodeStateValues, type StateEntry } from '../batches';
import { STATS_STATES } from '../table';
import { StateWriter } from '../writer';
import { ALL, sections, manualLatency, started } from '../writer-fixtures.test';
import { ValueCache } from './value-cache';
import { ValueIntake, type ValueIntakeParts } from './value-intake';

/** An intake over a real cache and recording stand-ins for the registry and the DB queue. */
function intakeBench(existing: string[] = []): {
    intake: ValueIntake;
    cache: ValueCache;
    queued: Map<string, ioBroker.StateValue>;
    created: string[];
    tracked: string[];
} {
    const exists = new Set(existing);
    const queued = new Map<string, ioBroker.StateValue>();
    const created: string[] = [];
    const tracked: string[] = [];
    const cache = new ValueCache(1000);
    const parts: ValueIntakeParts = {
        registry: {
            ensure: obj => created.push(obj.id),
            ensureState: id => created.push(id),
            exists: id => exists.has(id),
            verify: () => undefined,
        },
        cache,
        nodes: { track: id => tracked.push(id) },
        db: {
            queueValue: (id, value) => queued.set(id, value),
            dropValue: id => queued.delete(id),
            pump: () => undefined,
        },
    };
    return { intake: new ValueIntake(parts), cache, queued, created, tracked };
}

const spec = STATS_STATES[0];
const entry = (id: string, value: ioBroker.StateValue, event = false): StateEntry =>
    event ? { id, common: spec.common, value, event } : { id, common: spec.common, value };

describe('states/writing/value-intake', () => {
    it('queues a changed value of an existing object and skips an unchanged one', () => {
        const { intake, queued, created } = intakeBench(['stats.received']);
        intake.take(entry('stats.received', 1));
        intake.take(entry('stats.received', 1));
        expect([...queued]).to.deep.equal([['stats.received', 1]]);
        expect(intake.unchanged).to.equal(1);
        expect(created).to.deep.equal([]);
    });

    it('takes an event value every time, equal or not', () => {
        const { intake, queued, cache } = intakeBench(['messages.last']);
        cache.markStored('messages.last', 'x');
        intake.take(entry('messages.last', 'x', true));
        queued.clear();
        intake.take(entry('messages.last', 'x', true));
        expect([...queued]).to.deep.equal([['messages.last', 'x']]);
        expect(intake.unchanged).to.equal(0);
    });

    it('drops a queued value that went back to what the DB holds', () => {
        const { intake, queued, cache } = intakeBench(['stats.received']);
        cache.remember('stats.received', 2);
        cache.markStored('stats.received', 2);
        intake.take(entry('stats.received', 1));
        expect(queued.get('stats.received')).to.equal(1);
        intake.take(entry('stats.received', 2));
        expect(queued.has('stats.received')).to.equal(false);
        expect(intake.unchanged).to.equal(1);
    });

    it('parks a value until its object exists: queued when created, forgotten when the creation failed', () => {
        const { intake, queued, created, tracked, cache } = intakeBench();
        intake.take(entry('nodes.a1b2c3d4.info.longName', 'a'));
        intake.take(entry('nodes.a1b2c3d4.info.longName', 'b'));
        intake.take(entry('nodes.a1b2c3d4.info.shortName', 'x'));
        expect(intake.parkedCount).to.equal(2);
        expect(created).to.include('nodes.a1b2c3d4.info.longName');
        expect(tracked).to.deep.equal(['nodes.a1b2c3d4.info.longName', 'nodes.a1b2c3d4.info.shortName']);
        intake.unpark('nodes.a1b2c3d4.info.longName', true);
        expect([...queued]).to.deep.equal([['nodes.a1b2c3d4.info.longName', 'b']]);
        intake.unpark('nodes.a1b2c3d4.info.shortName', false);
        expect(intake.parkedCount).to.equal(0);
        expect(queued.has('nodes.a1b2c3d4.info.shortName')).to.equal(false);
        expect(cache.get('nodes.a1b2c3d4.info.shortName')).to.equal(undefined); // the next update retries
    });

    it('forgets parked values of a removed node, and all on clear', () => {
        const { intake, queued } = intakeBench();
        intake.take(entry('nodes.a1b2c3d4.info.longName', 'a'));
        intake.take(entry('nodes.0badc0de.info.longName', 'b'));
        intake.forget('nodes.a1b2c3d4.info.longName');
        expect(intake.parkedCount).to.equal(1);
        intake.unpark('nodes.a1b2c3d4.info.longName', true);
        expect(queued.size).to.equal(0);
        intake.clear();
        expect(intake.parkedCount).to.equal(0);
    });

    it('creates the objects of a batch before it takes its values', () => {
        const { intake, created } = intakeBench();
        intake.applyBatch({
            objects: [{ id: 'stats', type: 'channel', common: { name: 'Statistics' } }],
            states: [entry('stats.received', 1)],
        });
        expect(created).to.deep.equal(['stats', 'stats.received']);
    });
});

describe('states/writing/value-intake (through the writer)', () => {
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
            compressedTexts: 0,
        });
        const drain = async (): Promise<void> => {
            let rounds = 0;
            while (writer.backlog() > 0 || gate.held() > 0) {
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
});
