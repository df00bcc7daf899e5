"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Traceroutes = exports.TRACEROUTE_TIMEOUT_MS = exports.MAX_TRACEROUTES_PER_HOUR = void 0;
/**
 * Traceroute requests of the virtual node: a TRACEROUTE_APP request (empty RouteDiscovery, want_response) to one
 * node, through the send queue, answered when the reply (request_id = our packet id) arrives or after a timeout.
 * Traceroutes cost airtime on every hop, so all of them together are bounded per hour. Never PKI: firmware excludes
 * TRACEROUTE_APP from PKI, and the reply comes back on the channel the request went out on.
 */
const codec_1 = require("../codec");
const identity_1 = require("./identity");
const packets_1 = require("./packets");
const plan_1 = require("./plan");
/** At most this many traceroute requests go out in any hour (all nodes together). */
exports.MAX_TRACEROUTES_PER_HOUR = 10;
/** A request without a reply this long after it was published fails. */
exports.TRACEROUTE_TIMEOUT_MS = 60_000;
const HOUR_MS = 60 * 60_000;
class Traceroutes {
    options;
    /** When each request of the last hour was queued (oldest first). */
    requestedAt = [];
    pending = new Map();
    stopped = false;
    constructor(options) {
        this.options = options;
    }
    get maxPerHour() {
        return Math.max(0, Math.floor(this.options.maxPerHour ?? exports.MAX_TRACEROUTES_PER_HOUR));
    }
    /** Requests waiting for their reply (for tests and diagnostics). */
    get size() {
        return this.pending.size;
    }
    /** Sends a request to `to` (`!xxxxxxxx` or a node number); `onSent` runs when its packet was published. */
    request(to, onSent) {
        const destination = (0, plan_1.parseDestination)(to);
        const label = 'num' in destination ? (0, codec_1.nodeIdString)(destination.num) : String(to);
        const failed = (error) => Promise.resolve({ status: 'failed', id: 0, to: label, error });
        if (this.stopped) {
            return failed('adapter stopping');
        }
        if ('error' in destination) {
            return failed(destination.error);
        }
        if (destination.kind !== 'node' || destination.num === this.options.ownNodeNum) {
            return failed('a traceroute needs another node as destination (to: "!xxxxxxxx")');
        }
        const channel = this.options.channels.find(c => c.downlink);
        if (!channel) {
            return failed('no channel has downlink enabled');
        }
        const now = this.options.now();
        while (this.requestedAt.length > 0 && now - this.requestedAt[0] >= HOUR_MS) {
            this.requestedAt.shift();
        }
        if (this.requestedAt.length >= this.maxPerHour) {
            const error = `traceroute limit reached (at most ${this.maxPerHour} per hour, they cost airtime)`;
            this.options.onBoundReached?.(error);
            return failed(error);
        }
        let packet;
        try {
            packet = this.options.packets.build({ kind: 'channel', channel }, destination.num, {
                portnum: codec_1.TRACEROUTE_APP,
                payload: (0, codec_1.encodeTracerouteRequest)(),
                wantResponse: true,
                bitfield: identity_1.BITFIELD_OK_TO_MQTT | identity_1.BITFIELD_WANT_RESPONSE,
            }, false);
        }
        catch (error) {
            return failed(`cannot encode: ${(0, packets_1.errorText)(error)}`);
        }
        return new Promise(resolve => {
            const entry = { id: packet.id, to: label, resolve };
            const queued = this.options.queue.enqueue([
                {
                    topic: packet.topic,
                    payload: packet.payload,
                    onSent: () => {
                        onSent?.();
                        this.arm(entry);
                    },
                    onFailed: error => this.finish(entry, { status: 'failed', id: entry.id, to: label, error }),
                },
            ]);
            if (!queued.ok) {
                resolve({ status: 'failed', id: 0, to: label, error: queued.error });
                return;
            }
            this.requestedAt.push(now);
            this.pending.set(entry.id, entry);
        });
    }
    /** A received TRACEROUTE_APP packet: true when it answered one of our requests. */
    onPacket(packet) {
        if (packet.data.portnum !== codec_1.TRACEROUTE_APP || packet.header.to >>> 0 !== this.options.ownNodeNum) {
            return false;
        }
        const entry = this.pending.get(packet.data.requestId >>> 0);
        if (!entry || packet.payload.type !== 'traceroute') {
            return false;
        }
        this.finish(entry, { status: 'ok', id: entry.id, to: entry.to, route: packet.payload.traceroute });
        return true;
    }
    /** Adapter unload: every pending request fails, every timer is cleared. */
    stop() {
        this.stopped = true;
        for (const entry of [...this.pending.values()]) {
            this.finish(entry, { status: 'failed', id: entry.id, to: entry.to, error: 'adapter stopping' });
        }
    }
    arm(entry) {
        if (!this.pending.has(entry.id)) {
            return;
        }
        const timeoutMs = this.options.timeoutMs ?? exports.TRACEROUTE_TIMEOUT_MS;
        entry.timer = this.options.timers.setTimeout(() => {
            entry.timer = undefined;
            const error = `no traceroute reply from ${entry.to} within ${Math.round(timeoutMs / 1000)} s`;
            this.finish(entry, { status: 'failed', id: entry.id, to: entry.to, error });
        }, timeoutMs);
    }
    finish(entry, result) {
        if (this.pending.get(entry.id) !== entry) {
            return;
        }
        this.pending.delete(entry.id);
        if (entry.timer !== undefined) {
            this.options.timers.clearTimeout(entry.timer);
        }
        entry.resolve(result);
    }
}
exports.Traceroutes = Traceroutes;
