"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SendQueue = exports.DEFAULT_DISCONNECTED_WAIT_MS = exports.DEFAULT_QUEUE_SIZE = void 0;
exports.DEFAULT_QUEUE_SIZE = 50;
exports.DEFAULT_DISCONNECTED_WAIT_MS = 5 * 60_000;
/** While disconnected the queue also re-checks `isConnected()` this often, in case a `resume()` call is missed. */
const RECHECK_MS = 10_000;
class SendQueue {
    options;
    entries = [];
    maxItems;
    disconnectedWaitMs;
    maxPublishAttempts;
    retryDelayMs;
    inFlight;
    timer;
    timerArmed = false;
    lastPublishAt;
    /** Since when the head could not be published for lack of a connection (undefined while all is well). */
    blockedSince;
    stopped = false;
    constructor(options) {
        this.options = options;
        this.maxItems = Math.max(1, options.maxItems ?? exports.DEFAULT_QUEUE_SIZE);
        this.disconnectedWaitMs = Math.max(0, options.disconnectedWaitMs ?? exports.DEFAULT_DISCONNECTED_WAIT_MS);
        this.maxPublishAttempts = Math.max(1, options.maxPublishAttempts ?? 3);
        this.retryDelayMs = Math.max(1, options.retryDelayMs ?? Math.max(options.spacingMs, 5000));
    }
    /** Items waiting or being published. */
    get length() {
        return this.entries.length;
    }
    /** How many more items fit. */
    get free() {
        return this.stopped ? 0 : this.maxItems - this.entries.length;
    }
    /**
     * Queues all items or none of them (the parts of one message must not be sent half).
     * Callbacks run later, never synchronously from here.
     */
    enqueue(items) {
        if (this.stopped) {
            return { ok: false, error: 'adapter stopping' };
        }
        if (items.length > this.free) {
            return { ok: false, error: `send queue full (${this.maxItems} packets waiting)` };
        }
        const now = this.options.now();
        for (const item of items) {
            const entry = { item, enqueuedAt: now, attempts: 0, done: false };
            if (item.priority) {
                this.entries.splice(this.priorityInsertIndex(), 0, entry);
            }
            else {
                this.entries.push(entry);
            }
        }
        // defer the first publish so callers finish their bookkeeping before callbacks can fire
        if (!this.inFlight) {
            this.schedule(0);
        }
        return { ok: true };
    }
    /** The transport is (re)connected: publish what waits, once, in order. */
    resume() {
        if (this.stopped) {
            return;
        }
        this.pump();
    }
    /** Fails and removes the not yet published items of a group; returns how many. */
    cancelGroup(group, error) {
        const cancelled = [];
        for (let i = this.entries.length - 1; i >= 0; i--) {
            const entry = this.entries[i];
            if (entry.item.group === group && entry !== this.inFlight) {
                this.entries.splice(i, 1);
                cancelled.unshift(entry);
            }
        }
        for (const entry of cancelled) {
            this.fail(entry, error);
        }
        return cancelled.length;
    }
    /** Clears the timer and fails everything still queued. */
    stop(error = 'adapter stopping') {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        this.clearTimer();
        const pending = this.entries.splice(0);
        this.inFlight = undefined;
        for (const entry of pending) {
            this.fail(entry, error);
        }
    }
    priorityInsertIndex() {
        let index = this.inFlight ? 1 : 0;
        while (index < this.entries.length && this.entries[index].item.priority) {
            index++;
        }
        return index;
    }
    pump() {
        if (this.stopped || this.inFlight) {
            return;
        }
        this.clearTimer();
        const now = this.options.now();
        if (this.entries.length === 0) {
            this.blockedSince = undefined;
            return;
        }
        if (!this.options.isConnected()) {
            this.blockedSince ??= now;
            this.expireWaiting(now);
            if (this.entries.length > 0) {
                const deadline = this.deadlineOf(this.entries[0]);
                this.schedule(Math.max(1, Math.min(deadline - now, RECHECK_MS)));
            }
            return;
        }
        if (this.options.spacingMs > 0 && this.lastPublishAt !== undefined) {
            const untilSpaced = this.lastPublishAt + this.options.spacingMs - now;
            if (untilSpaced > 0) {
                this.schedule(untilSpaced);
                return;
            }
        }
        const entry = this.entries[0];
        this.inFlight = entry;
        entry.attempts++;
        this.lastPublishAt = now;
        let publishing;
        try {
            publishing = this.options.publish(entry.item.topic, entry.item.payload);
        }
        catch (error) {
            publishing = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        publishing.then(() => this.published(entry), (error) => this.publishFailed(entry, error));
    }
    published(entry) {
        if (this.inFlight === entry) {
            this.inFlight = undefined;
        }
        if (entry.done) {
            return; // stopped meanwhile
        }
        const index = this.entries.indexOf(entry);
        if (index >= 0) {
            this.entries.splice(index, 1);
        }
        this.blockedSince = undefined;
        entry.done = true;
        this.pump();
        entry.item.onSent?.();
    }
    publishFailed(entry, error) {
        if (this.inFlight === entry) {
            this.inFlight = undefined;
        }
        if (entry.done) {
            return;
        }
        entry.lastError = error instanceof Error ? error.message : String(error);
        if (!this.options.isConnected()) {
            // the item stays at the head and goes out after resume()
            this.blockedSince ??= this.options.now();
            this.pump();
            return;
        }
        if (entry.attempts >= this.maxPublishAttempts) {
            const index = this.entries.indexOf(entry);
            if (index >= 0) {
                this.entries.splice(index, 1);
            }
            this.schedule(0);
            this.fail(entry, `publish failed: ${entry.lastError}`);
            return;
        }
        this.schedule(this.retryDelayMs);
    }
    /** Deadline of an entry while the transport is down: counted from enqueue or from the outage, whichever is later. */
    deadlineOf(entry) {
        return Math.max(entry.enqueuedAt, this.blockedSince ?? entry.enqueuedAt) + this.disconnectedWaitMs;
    }
    expireWaiting(now) {
        const expired = [];
        for (let i = 0; i < this.entries.length;) {
            const entry = this.entries[i];
            if (entry !== this.inFlight && this.deadlineOf(entry) <= now) {
                this.entries.splice(i, 1);
                expired.push(entry);
            }
            else {
                i++;
            }
        }
        for (const entry of expired) {
            const detail = entry.lastError ? ` (${entry.lastError})` : '';
            this.fail(entry, `not connected${detail}`);
        }
    }
    fail(entry, error) {
        if (entry.done) {
            return;
        }
        entry.done = true;
        entry.item.onFailed?.(error);
    }
    schedule(ms) {
        this.clearTimer();
        if (this.stopped) {
            return;
        }
        this.timerArmed = true;
        this.timer = this.options.timers.setTimeout(() => {
            this.timerArmed = false;
            this.pump();
        }, ms);
    }
    clearTimer() {
        if (this.timerArmed) {
            this.options.timers.clearTimeout(this.timer);
            this.timerArmed = false;
            this.timer = undefined;
        }
    }
}
exports.SendQueue = SendQueue;
