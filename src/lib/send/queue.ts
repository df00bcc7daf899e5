/**
 * The one outgoing FIFO of the virtual node: paced, bounded, one publish at a time, nothing duplicated or reordered
 * across reconnects (docs/ARCHITECTURE.md, "Pacing").
 */
import type { PublishFn, Timers } from './types';

export const DEFAULT_QUEUE_SIZE = 50;
export const DEFAULT_DISCONNECTED_WAIT_MS = 5 * 60_000;
/** While disconnected the queue also re-checks `isConnected()` this often, in case a `resume()` call is missed. */
const RECHECK_MS = 10_000;

export interface QueueItem {
    topic: string;
    payload: Uint8Array;
    /** Items of one message (its parts) share a group so they can be cancelled together. */
    group?: number;
    /** Goes ahead of normal items (routing ACKs: the sender retransmits when the ACK is late). */
    priority?: boolean;
    /** Called once the publish resolved. */
    onSent?: () => void;
    /** Called once when the item is given up (never after `onSent`). */
    onFailed?: (error: string) => void;
}

export interface SendQueueOptions {
    publish: PublishFn;
    isConnected: () => boolean;
    timers: Timers;
    now: () => number;
    /** Minimum ms between two publishes; 0 = no pacing. */
    spacingMs: number;
    /** Most items queued (including the one being published). Default 50. */
    maxItems?: number;
    /** How long items wait for a connection before failing with 'not connected'. Default 5 min. */
    disconnectedWaitMs?: number;
    /** A publish rejected while the transport still claims to be connected is tried this often. Default 3. */
    maxPublishAttempts?: number;
    /** Delay before retrying such a rejected publish. Default max(spacingMs, 5 s). */
    retryDelayMs?: number;
}

export type EnqueueResult = { ok: true } | { ok: false; error: string };

interface Entry {
    item: QueueItem;
    enqueuedAt: number;
    attempts: number;
    lastError?: string;
    done: boolean;
}

export class SendQueue {
    private readonly entries: Entry[] = [];
    private readonly maxItems: number;
    private readonly disconnectedWaitMs: number;
    private readonly maxPublishAttempts: number;
    private readonly retryDelayMs: number;
    private inFlight: Entry | undefined;
    private timer: unknown;
    private timerArmed = false;
    private lastPublishAt: number | undefined;
    /** Since when the head could not be published for lack of a connection (undefined while all is well). */
    private blockedSince: number | undefined;
    private stopped = false;

    constructor(private readonly options: SendQueueOptions) {
        this.maxItems = Math.max(1, options.maxItems ?? DEFAULT_QUEUE_SIZE);
        this.disconnectedWaitMs = Math.max(0, options.disconnectedWaitMs ?? DEFAULT_DISCONNECTED_WAIT_MS);
        this.maxPublishAttempts = Math.max(1, options.maxPublishAttempts ?? 3);
        this.retryDelayMs = Math.max(1, options.retryDelayMs ?? Math.max(options.spacingMs, 5000));
    }

    /** Items waiting or being published. */
    get length(): number {
        return this.entries.length;
    }

    /** How many more items fit. */
    get free(): number {
        return this.stopped ? 0 : this.maxItems - this.entries.length;
    }

    /**
     * Queues all items or none of them (the parts of one message must not be sent half).
     * Callbacks run later, never synchronously from here.
     */
    enqueue(items: readonly QueueItem[]): EnqueueResult {
        if (this.stopped) {
            return { ok: false, error: 'adapter stopping' };
        }
        if (items.length > this.free) {
            return { ok: false, error: `send queue full (${this.maxItems} packets waiting)` };
        }
        const now = this.options.now();
        for (const item of items) {
            const entry: Entry = { item, enqueuedAt: now, attempts: 0, done: false };
            if (item.priority) {
                this.entries.splice(this.priorityInsertIndex(), 0, entry);
            } else {
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
    resume(): void {
        if (this.stopped) {
            return;
        }
        this.pump();
    }

    /** Fails and removes the not yet published items of a group; returns how many. */
    cancelGroup(group: number, error: string): number {
        const cancelled: Entry[] = [];
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
    stop(error = 'adapter stopping'): void {
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

    private priorityInsertIndex(): number {
        let index = this.inFlight ? 1 : 0;
        while (index < this.entries.length && this.entries[index].item.priority) {
            index++;
        }
        return index;
    }

    private pump(): void {
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
        let publishing: Promise<void>;
        try {
            publishing = this.options.publish(entry.item.topic, entry.item.payload);
        } catch (error) {
            publishing = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        publishing.then(
            () => this.published(entry),
            (error: unknown) => this.publishFailed(entry, error),
        );
    }

    private published(entry: Entry): void {
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

    private publishFailed(entry: Entry, error: unknown): void {
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
    private deadlineOf(entry: Entry): number {
        return Math.max(entry.enqueuedAt, this.blockedSince ?? entry.enqueuedAt) + this.disconnectedWaitMs;
    }

    private expireWaiting(now: number): void {
        const expired: Entry[] = [];
        for (let i = 0; i < this.entries.length;) {
            const entry = this.entries[i];
            if (entry !== this.inFlight && this.deadlineOf(entry) <= now) {
                this.entries.splice(i, 1);
                expired.push(entry);
            } else {
                i++;
            }
        }
        for (const entry of expired) {
            const detail = entry.lastError ? ` (${entry.lastError})` : '';
            this.fail(entry, `not connected${detail}`);
        }
    }

    private fail(entry: Entry, error: string): void {
        if (entry.done) {
            return;
        }
        entry.done = true;
        entry.item.onFailed?.(error);
    }

    private schedule(ms: number): void {
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

    private clearTimer(): void {
        if (this.timerArmed) {
            this.options.timers.clearTimeout(this.timer);
            this.timerArmed = false;
            this.timer = undefined;
        }
    }
}
