"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Announcer = exports.MIN_RECONNECT_ANNOUNCE_INTERVAL_MS = exports.MIN_ANNOUNCE_INTERVAL_MS = void 0;
/**
 * NodeInfo announcements of the virtual node on every channel with downlink. Airtime is shared: the periodic and
 * manual announcement waits an hour since the last one that went out (firmware coerces NodeInfo to ≥ 1 h on default
 * channels), the one after a (re)connection waits 10 minutes, so a flapping broker cannot flood the mesh.
 */
const codec_1 = require("../codec");
const identity_1 = require("./identity");
const packets_1 = require("./packets");
/** Periodic and manual announcements: never more often than this. */
exports.MIN_ANNOUNCE_INTERVAL_MS = 60 * 60_000;
/** The announcement after a (re)connection: never more often than this. */
exports.MIN_RECONNECT_ANNOUNCE_INTERVAL_MS = 10 * 60_000;
class Announcer {
    options;
    /** When the last announcement that went out was queued (the interval is measured between requests). */
    lastAnnounceAt;
    pending = 0;
    constructor(options) {
        this.options = options;
    }
    /** Periodic or manual: skipped within an hour of the last announcement that went out, or while one is queued. */
    announce(wantResponse = false) {
        return this.announceUnlessWithin(exports.MIN_ANNOUNCE_INTERVAL_MS, '1 h', wantResponse);
    }
    /** After the connection came up: skipped within 10 minutes of the last announcement, or while one is queued. */
    announceAfterConnect() {
        return this.announceUnlessWithin(exports.MIN_RECONNECT_ANNOUNCE_INTERVAL_MS, '10 min', false);
    }
    announceUnlessWithin(minIntervalMs, label, wantResponse) {
        const requestedAt = this.options.now();
        if (this.pending > 0) {
            return { queued: 0, skipped: 'an announcement is still queued' };
        }
        if (this.lastAnnounceAt !== undefined && requestedAt - this.lastAnnounceAt < minIntervalMs) {
            return { queued: 0, skipped: `announced less than ${label} ago` };
        }
        const channels = this.options.channels.filter(c => c.downlink);
        if (channels.length === 0) {
            return { queued: 0, skipped: 'no channel has downlink enabled' };
        }
        const data = (0, identity_1.nodeInfoData)(this.options.identity, wantResponse);
        const items = [];
        try {
            for (const channel of channels) {
                const packet = this.options.packets.build({ kind: 'channel', channel }, codec_1.BROADCAST_NUM, data, false);
                items.push({
                    topic: packet.topic,
                    payload: packet.payload,
                    onSent: () => {
                        this.pending--;
                        this.lastAnnounceAt = requestedAt;
                    },
                    onFailed: () => {
                        this.pending--;
                    },
                });
            }
        }
        catch (error) {
            return { queued: 0, skipped: `cannot encode: ${(0, packets_1.errorText)(error)}` };
        }
        const queued = this.options.queue.enqueue(items);
        if (!queued.ok) {
            return { queued: 0, skipped: queued.error };
        }
        this.pending = items.length;
        return { queued: items.length };
    }
}
exports.Announcer = Announcer;
