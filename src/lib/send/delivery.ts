/**
 * Tracks packets we sent with `want_ack` until the ROUTING reply (`request_id` = our id; `error_reason` NONE = ACK,
 * else NAK) or the timeout. Bounded: the oldest entry fails when full. Rules: docs/ARCHITECTURE.md, "Delivery".
 */
import { ROUTING_APP } from '../codec';
import type { DecodedPacket } from '../codec/types';
import type { Timers } from './types';

export const DEFAULT_MAX_PENDING = 256;

export type DeliveryOutcome = { status: 'acked'; from: number } | { status: 'failed'; error: string; from?: number };

export interface DeliveryTrackerOptions {
    /** Our virtual node number: ROUTING replies must be addressed to it. */
    ownNodeNum: number;
    ackTimeoutMs: number;
    timers: Timers;
    /** Most packets awaiting a reply; the oldest fails with 'too many pending' beyond. Default 256. */
    maxPending?: number;
}

interface Pending {
    id: number;
    /** Destination node: the only node whose ACK counts. */
    to: number;
    onDone: (outcome: DeliveryOutcome) => void;
    timer?: unknown;
    armed: boolean;
}

export class DeliveryTracker {
    /** Insertion ordered: the first key is the oldest. */
    private readonly pending = new Map<number, Pending>();
    private readonly maxPending: number;

    constructor(private readonly options: DeliveryTrackerOptions) {
        this.maxPending = Math.max(1, options.maxPending ?? DEFAULT_MAX_PENDING);
    }

    get size(): number {
        return this.pending.size;
    }

    has(id: number): boolean {
        return this.pending.has(id);
    }

    /** Registers a packet (not yet published) that expects an ACK from `to`. The timeout starts with `arm`. */
    expect(id: number, to: number, onDone: (outcome: DeliveryOutcome) => void): void {
        this.settle(id, { status: 'failed', error: 'packet id reused' });
        while (this.pending.size >= this.maxPending) {
            const oldest = this.pending.keys().next().value;
            if (oldest === undefined) {
                break;
            }
            this.settle(oldest, { status: 'failed', error: 'too many pending' });
        }
        this.pending.set(id, { id, to, onDone, armed: false });
    }

    /** The packet was published: the ACK must now arrive within the timeout. */
    arm(id: number): void {
        const entry = this.pending.get(id);
        if (!entry || entry.armed) {
            return;
        }
        entry.armed = true;
        const seconds = Math.round(this.options.ackTimeoutMs / 1000);
        entry.timer = this.options.timers.setTimeout(() => {
            entry.timer = undefined;
            this.settle(id, { status: 'failed', error: `no ACK within ${seconds} s` });
        }, this.options.ackTimeoutMs);
    }

    /** Stops tracking a packet (e.g. it could not be published) and reports `error` for it. */
    cancel(id: number, error: string): void {
        this.settle(id, { status: 'failed', error });
    }

    /** Stops tracking without reporting anything. */
    forget(id: number): void {
        const entry = this.pending.get(id);
        if (entry) {
            this.pending.delete(id);
            this.clearTimer(entry);
        }
    }

    /**
     * Feeds a decoded packet; returns true when it was a ROUTING reply to one of our pending packets
     * (ACK or NAK) and settled it.
     */
    onRouting(packet: DecodedPacket): boolean {
        if (packet.data.portnum !== ROUTING_APP || packet.header.to !== this.options.ownNodeNum) {
            return false;
        }
        const entry = this.pending.get(packet.data.requestId);
        if (!entry || packet.data.requestId === 0) {
            return false;
        }
        if (packet.payload.type !== 'routing') {
            return false; // unparsable Routing: keep waiting for a real answer (or the timeout)
        }
        const routing = packet.payload.routing;
        const from = packet.header.from;
        if (routing.kind === 'ack') {
            if (from !== entry.to) {
                return false; // someone else's ACK does not prove delivery
            }
            this.settle(entry.id, { status: 'acked', from });
            return true;
        }
        if (routing.kind === 'nak') {
            const reason = routing.errorReason || `error ${routing.errorCode}`;
            this.settle(entry.id, { status: 'failed', error: reason, from });
            return true;
        }
        return false; // route request/reply variants are not delivery reports
    }

    /** Fails everything still pending (adapter unload). */
    stop(error = 'adapter stopping'): void {
        for (const id of [...this.pending.keys()]) {
            this.settle(id, { status: 'failed', error });
        }
    }

    private settle(id: number, outcome: DeliveryOutcome): void {
        const entry = this.pending.get(id);
        if (!entry) {
            return;
        }
        this.pending.delete(id);
        this.clearTimer(entry);
        entry.onDone(outcome);
    }

    private clearTimer(entry: Pending): void {
        if (entry.timer !== undefined) {
            this.options.timers.clearTimeout(entry.timer);
            entry.timer = undefined;
        }
    }
}
