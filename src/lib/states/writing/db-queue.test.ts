import { expect } from 'chai';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { ALL, sections, manualLatency, jitter, statesUnder, started } from '../writer-fixtures.test';
import { DbQueue } from './db-queue';

function queueOn(fake: FakeAdapter, maxInFlight: number, isCurrent = (): boolean => true): DbQueue {
    return new DbQueue(fake, maxInFlight, {
        isCurrent,
        writeStarted: () => undefined,
        writeFailed: () => undefined,
        settled: () => undefined,
    });
}

async function settle(gate: ReturnType<typeof manualLatency>): Promise<void> {
    for (let i = 0; i < 50; i++) {
        gate.release();
        await new Promise<void>(resolve => setImmediate(resolve));
    }
}
import { fullNode } from '../fixtures.test';
import { nodeStateValues } from '../batches';
import { DEFAULT_MAX_IN_FLIGHT, StateWriter } from '../writer';

describe('states/writing/db-queue (through the writer)', () => {
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
                    compressedTexts: 0,
                },
                [],
            );
        }
        expect(writer.backlog()).to.be.greaterThan(0);
        let rounds = 0;
        while (writer.backlog() > 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
            rounds++;
            expect(rounds).to.be.below(1000);
        }
        await writer.flush();
        const receivedWrites = fake.stateWrites.filter(w => w.id === 'stats.received');
        expect(receivedWrites.map(w => w.val)).to.deep.equal([100]);
        expect(fake.val('stats.received')).to.equal(100);
        expect(writer.backlog()).to.equal(0);
    });

    it('keeps at most maxInFlight DB calls outstanding and reports the backlog', async () => {
        const fake = new FakeAdapter({ latency: jitter([1, 3, 2]) });
        const writer = await started(fake, { maxInFlight: 4 });
        for (let i = 0; i < 40; i++) {
            writer.writeNode(fullNode((0x10000000 + i).toString(16)), ALL);
        }
        expect(writer.backlog()).to.be.greaterThan(1000);
        await writer.flush();
        expect(fake.maxInFlightSeen).to.be.at.most(4);
        expect(writer.backlog()).to.equal(0);
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
});

describe('states/writing/db-queue', () => {
    it('keeps at most maxInFlight calls outstanding, object calls before values, bursts coalesced', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const db = queueOn(fake, 2);
        for (let i = 0; i < 5; i++) {
            db.queueValue('a', i); // coalesces to 4
            db.queueValue(`b${i}`, i);
        }
        const created = db.enqueueCall({
            kind: 'setObjectNotExists',
            id: 'x',
            epoch: 0,
            run: () => fake.setObjectNotExistsAsync('x', { type: 'folder', common: { name: 'x' }, native: {} }),
        });
        expect(db.inFlightCount).to.equal(2);
        expect(db.queuedCount).to.equal(5); // 6 distinct ids: the object call went first, then the oldest value
        await settle(gate);
        expect(await created).to.equal(true);
        expect(db.isIdle()).to.equal(true);
        expect(fake.states.get('a')?.val).to.equal(4);
        expect(db.count).to.include({ writes: 6, objectsCreated: 1, errors: 0 });
    });

    it('drops object calls whose node was removed since they were queued, and everything on close', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const db = queueOn(fake, 1, () => false);
        const run = (): Promise<unknown> => fake.extendObjectAsync('nodes.a1b2c3d4', { common: { name: 'n' } });
        const stale = db.enqueueCall({ kind: 'extendObject', id: 'nodes.a1b2c3d4', hex: 'a1b2c3d4', epoch: 0, run });
        expect(await stale).to.equal(false);
        db.queueValue('a', 1); // takes the one slot
        const closed = db.enqueueCall({ kind: 'extendObject', id: 'b', epoch: 0, run });
        db.close();
        expect(await closed).to.equal(false);
        expect(db.queuedCount).to.equal(0);
    });
});
