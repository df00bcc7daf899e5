"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AlarmTimer = void 0;
class AlarmTimer {
    timers;
    fire;
    now;
    handle;
    dueAt = 0;
    latestDue = 0;
    constructor(timers, 
    /** Turns off what is due (the model's `expireDetections`) and hands on the events. */
    fire, now = Date.now) {
        this.timers = timers;
        this.fire = fire;
        this.now = now;
    }
    /** An alarm that falls back at `dueMs` (epoch ms). */
    request(dueMs) {
        this.latestDue = Math.max(this.latestDue, dueMs);
        if (this.handle === undefined) {
            this.arm(dueMs);
        }
    }
    stop() {
        if (this.handle !== undefined) {
            this.timers.clearTimeout(this.handle);
            this.handle = undefined;
        }
    }
    arm(dueMs) {
        this.dueAt = dueMs;
        // a few ms late rather than early: the model compares with >=
        this.handle = this.timers.setTimeout(() => this.onTimer(), Math.max(0, dueMs - this.now()) + 5);
    }
    onTimer() {
        this.handle = undefined;
        const now = this.now();
        this.fire(now);
        if (this.latestDue > this.dueAt && this.latestDue > now - 5) {
            this.arm(this.latestDue);
        }
    }
}
exports.AlarmTimer = AlarmTimer;
