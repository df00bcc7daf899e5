/** The idle signal behind `StateWriter.flush()`: waiters resolved once the writer is idle, or after a timeout. */
import type { StatesAdapter } from './adapter';

export class IdleSignal {
    private waiters: (() => void)[] = [];

    constructor(
        private readonly timers: Pick<StatesAdapter, 'setTimeout' | 'clearTimeout'>,
        /** Called when a wait timed out (before it resolves). */
        private readonly timedOut: (timeoutMs: number) => void,
    ) {}

    /** True while anyone waits (only then is it worth checking for idle). */
    get hasWaiters(): boolean {
        return this.waiters.length > 0;
    }

    /** Resolves at the next `release()`, or after `timeoutMs` (then `timedOut` is called first). Never rejects. */
    wait(timeoutMs?: number): Promise<void> {
        const idle = new Promise<void>(resolve => this.waiters.push(resolve));
        if (timeoutMs === undefined) {
            return idle;
        }
        return new Promise<void>(resolve => {
            const timer = this.timers.setTimeout(() => {
                this.timedOut(timeoutMs);
                resolve();
            }, timeoutMs);
            void idle.then(() => {
                this.timers.clearTimeout(timer);
                resolve();
            });
        });
    }

    /** Resolves every wait so far. */
    release(): void {
        const waiters = this.waiters;
        this.waiters = [];
        for (const resolve of waiters) {
            resolve();
        }
    }
}
