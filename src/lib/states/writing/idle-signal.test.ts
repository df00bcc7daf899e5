import { expect } from 'chai';
import { IdleSignal } from './idle-signal';

/** Timers that fire only when told to. */
function manualTimers(): {
    timers: ConstructorParameters<typeof IdleSignal>[0];
    fire: () => void;
    pending: () => number;
} {
    const callbacks = new Map<number, () => void>();
    let next = 1;
    return {
        timers: {
            setTimeout: callback => {
                const id = next++;
                callbacks.set(id, callback);
                return id as unknown as ioBroker.Timeout;
            },
            clearTimeout: timer => void callbacks.delete(timer as unknown as number),
        },
        fire: () => {
            const now = [...callbacks.values()];
            callbacks.clear();
            now.forEach(callback => callback());
        },
        pending: () => callbacks.size,
    };
}

const settle = (): Promise<void> => new Promise<void>(resolve => setImmediate(resolve));

describe('states/writing/idle-signal', () => {
    it('resolves every wait at release, and clears their timers', async () => {
        const { timers, pending } = manualTimers();
        const timeouts: number[] = [];
        const signal = new IdleSignal(timers, ms => timeouts.push(ms));
        let done = 0;
        void signal.wait().then(() => done++);
        void signal.wait(1000).then(() => done++);
        expect(signal.hasWaiters).to.equal(true);
        expect(pending()).to.equal(1);
        await settle();
        expect(done).to.equal(0);
        signal.release();
        await settle();
        expect(done).to.equal(2);
        expect(signal.hasWaiters).to.equal(false);
        expect(pending()).to.equal(0);
        expect(timeouts).to.deep.equal([]);
    });

    it('gives up after the timeout and says so; a later release resolves nothing twice', async () => {
        const { timers, fire } = manualTimers();
        const timeouts: number[] = [];
        const signal = new IdleSignal(timers, ms => timeouts.push(ms));
        let done = 0;
        void signal.wait(250).then(() => done++);
        fire();
        await settle();
        expect(done).to.equal(1);
        expect(timeouts).to.deep.equal([250]);
        signal.release();
        await settle();
        expect(done).to.equal(1);
    });
});
