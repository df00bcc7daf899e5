"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IdleSignal = void 0;
class IdleSignal {
    timers;
    timedOut;
    waiters = [];
    constructor(timers, 
    /** Called when a wait timed out (before it resolves). */
    timedOut) {
        this.timers = timers;
        this.timedOut = timedOut;
    }
    /** True while anyone waits (only then is it worth checking for idle). */
    get hasWaiters() {
        return this.waiters.length > 0;
    }
    /** Resolves at the next `release()`, or after `timeoutMs` (then `timedOut` is called first). Never rejects. */
    wait(timeoutMs) {
        const idle = new Promise(resolve => this.waiters.push(resolve));
        if (timeoutMs === undefined) {
            return idle;
        }
        return new Promise(resolve => {
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
    release() {
        const waiters = this.waiters;
        this.waiters = [];
        for (const resolve of waiters) {
            resolve();
        }
    }
}
exports.IdleSignal = IdleSignal;
