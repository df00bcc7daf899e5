"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UnknownChannels = exports.ChannelRegistry = exports.MAX_EXTRA_CHANNELS = exports.MAX_UNKNOWN_CHANNELS = void 0;
const linked_map_1 = require("./linked-map");
const util_1 = require("./util");
/** Distinct unknown channels (channel id + hash) remembered. */
exports.MAX_UNKNOWN_CHANNELS = 256;
/** Channels seen in packets besides the configured ones. */
exports.MAX_EXTRA_CHANNELS = 32;
/** Configured channel names taken from the constructor. */
const MAX_CONFIGURED_CHANNELS = 64;
/** The record under `key`, moved to the newest end; a new one (after dropping the oldest beyond `max`) if unknown. */
function touchOrCreate(map, key, max, create) {
    const known = map.get(key);
    if (known !== undefined) {
        map.touch(key);
        return { value: known, created: false };
    }
    if (map.size >= max) {
        map.shift();
    }
    const value = create();
    map.set(key, value);
    return { value, created: true };
}
/** Channels messages arrive on: configured ones first, then those seen in packets. */
class ChannelRegistry {
    configured = new Map();
    extra = new linked_map_1.LinkedMap();
    constructor(names) {
        for (const raw of names) {
            const name = (0, util_1.sanitizeLabel)(raw, util_1.MAX_CHANNEL_NAME);
            if (name && !this.configured.has(name) && this.configured.size < MAX_CONFIGURED_CHANNELS) {
                this.configured.set(name, { name, history: [] });
            }
        }
    }
    /** The record of a (sanitised) channel name; an unconfigured one is created or refreshed. */
    record(name) {
        return (this.configured.get(name) ??
            touchOrCreate(this.extra, name, exports.MAX_EXTRA_CHANNELS, () => ({ name, history: [] })).value);
    }
    /** Configured channels (in configuration order), then channels seen in packets, least recently used first. */
    list() {
        return [...this.configured.values(), ...this.extra.values()];
    }
}
exports.ChannelRegistry = ChannelRegistry;
/** Channels (envelope channel id + 8-bit hash) whose packets no configured key decrypts. */
class UnknownChannels {
    records = new linked_map_1.LinkedMap();
    get size() {
        return this.records.size;
    }
    /** Counts a packet of the channel; `firstSeen` when the channel was not (or no longer) remembered. */
    record(packet, nowMs) {
        const channelId = (0, util_1.sanitizeLabel)(packet.channelId, util_1.MAX_CHANNEL_NAME);
        const channelHash = (packet.header.channel >>> 0) & 0xff;
        const { value: record, created } = touchOrCreate(this.records, `${channelId}\u0000${channelHash}`, exports.MAX_UNKNOWN_CHANNELS, () => ({ channelId, channelHash, packets: 0, lastGateway: '', lastSeen: 0 }));
        record.packets++;
        record.lastGateway = (0, util_1.sanitizeLabel)(packet.gatewayId, util_1.MAX_LABEL);
        record.lastSeen = nowMs;
        return { record, firstSeen: created };
    }
    /** Most packets first. */
    list() {
        return [...this.records.values()].sort((a, b) => b.packets - a.packets || b.lastSeen - a.lastSeen);
    }
}
exports.UnknownChannels = UnknownChannels;
