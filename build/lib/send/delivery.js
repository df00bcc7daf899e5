"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeliveryTracker = exports.DEFAULT_MAX_PENDING = void 0;
/**
 * Tracks packets we sent with `want_ack` until the ROUTING reply (`request_id` = our id; `error_reason` NONE = ACK,
 * else NAK) or the timeout. Bounded: the oldest entry fails when full. Rules: docs/ARCHITECTURE.md, "Delivery".
 */
const codec_1 = require("../codec");
exports.DEFAULT_MAX_PENDING = 256;
class DeliveryTracker {
    options;
    /** Insertion ordered: the first key is the oldest. */
    pending = new Map();
    maxPending;
    constructor(options) {
        this.options = options;
        this.maxPending = Math.max(1, options.maxPending ?? exports.DEFAULT_MAX_PENDING);
    }
    get size() {
        return this.pending.size;
    }
    has(id) {
        return this.pending.has(id);
    }
    /** Registers a packet (not yet published) that expects an ACK from `to`. The timeout starts with `arm`. */
    expect(id, to, onDone) {
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
    arm(id) {
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
    cancel(id, error) {
        this.settle(id, { status: 'failed', error });
    }
    /** Stops tracking without reporting anything. */
    forget(id) {
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
    onRouting(packet) {
        if (packet.data.portnum !== codec_1.ROUTING_APP || packet.header.to !== this.options.ownNodeNum) {
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
    stop(error = 'adapter stopping') {
        for (const id of [...this.pending.keys()]) {
            this.settle(id, { status: 'failed', error });
        }
    }
    settle(id, outcome) {
        const entry = this.pending.get(id);
        if (!entry) {
            return;
        }
        this.pending.delete(id);
        this.clearTimer(entry);
        entry.onDone(outcome);
    }
    clearTimer(entry) {
        if (entry.timer !== undefined) {
            this.options.timers.clearTimeout(entry.timer);
            entry.timer = undefined;
        }
    }
}
exports.DeliveryTracker = DeliveryTracker;
