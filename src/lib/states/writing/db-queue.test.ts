import { expect } from 'chai';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { manualLatency } from '../writer-fixtures.test';
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
