/**
 * One adapter timer for the detection sensors' alarms: armed for the latest fall-back time asked for, so a flood of
 * detections costs one pending timer, not one each. Alarms due earlier are turned off at a firing in between or by
 * the model's 30-s tick, whichever comes first. Pure: the timers are injected.
 */
export interface AlarmTimers {
    setTimeout: (callback: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
}

export class AlarmTimer {
    private handle: unknown;
    private dueAt = 0;
    private latestDue = 0;

    constructor(
        private readonly timers: AlarmTimers,
        /** Turns off what is due (the model's `expireDetections`) and hands on the events. */
        private readonly fire: (nowMs: number) => void,
        private readonly now: () => number = Date.now,
    ) {}

    /** An alarm that falls back at `dueMs` (epoch ms). */
    request(dueMs: number): void {
        this.latestDue = Math.max(this.latestDue, dueMs);
        if (this.handle === undefined) {
            this.arm(dueMs);
        }
    }

    stop(): void {
        if (this.handle !== undefined) {
            this.timers.clearTimeout(this.handle);
            this.handle = undefined;
        }
    }

    private arm(dueMs: number): void {
        this.dueAt = dueMs;
        // a few ms late rather than early: the model compares with >=
        this.handle = this.timers.setTimeout(() => this.onTimer(), Math.max(0, dueMs - this.now()) + 5);
    }

    private onTimer(): void {
        this.handle = undefined;
        const now = this.now();
        this.fire(now);
        if (this.latestDue > this.dueAt && this.latestDue > now - 5) {
            this.arm(this.latestDue);
        }
    }
}
