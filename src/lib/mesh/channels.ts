/**
 * The model's three channel registries: configured channels (fixed, in configuration order), channels named by
 * packets but not configured (unencrypted envelopes may name any), and channels we cannot decrypt. The last two are
 * bounded and drop the least recently seen first: their names come from whoever publishes.
 */
import type { OpaquePacket } from '../codec/types';
import { LinkedMap } from './linked-map';
import type { ChannelRecord, UnknownChannelRecord } from './types';
import { MAX_CHANNEL_NAME, MAX_LABEL, sanitizeLabel } from './util';

/** Distinct unknown channels (channel id + hash) remembered. */
export const MAX_UNKNOWN_CHANNELS = 256;
/** Channels seen in packets besides the configured ones. */
export const MAX_EXTRA_CHANNELS = 32;
/** Configured channel names taken from the constructor. */
const MAX_CONFIGURED_CHANNELS = 64;

/** The record under `key`, moved to the newest end; a new one (after dropping the oldest beyond `max`) if unknown. */
function touchOrCreate<V>(
    map: LinkedMap<string, V>,
    key: string,
    max: number,
    create: () => V,
): { value: V; created: boolean } {
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
export class ChannelRegistry {
    private readonly configured = new Map<string, ChannelRecord>();
    private readonly extra = new LinkedMap<string, ChannelRecord>();

    constructor(names: readonly string[]) {
        for (const raw of names) {
            const name = sanitizeLabel(raw, MAX_CHANNEL_NAME);
            if (name && !this.configured.has(name) && this.configured.size < MAX_CONFIGURED_CHANNELS) {
                this.configured.set(name, { name, history: [] });
            }
        }
    }

    /** The record of a (sanitised) channel name; an unconfigured one is created or refreshed. */
    record(name: string): ChannelRecord {
        return (
            this.configured.get(name) ??
            touchOrCreate(this.extra, name, MAX_EXTRA_CHANNELS, () => ({ name, history: [] })).value
        );
    }

    /** Configured channels (in configuration order), then channels seen in packets, least recently used first. */
    list(): ChannelRecord[] {
        return [...this.configured.values(), ...this.extra.values()];
    }
}

/** Channels (envelope channel id + 8-bit hash) whose packets no configured key decrypts. */
export class UnknownChannels {
    private readonly records = new LinkedMap<string, UnknownChannelRecord>();

    get size(): number {
        return this.records.size;
    }

    /** Counts a packet of the channel; `firstSeen` when the channel was not (or no longer) remembered. */
    record(packet: OpaquePacket, nowMs: number): { record: UnknownChannelRecord; firstSeen: boolean } {
        const channelId = sanitizeLabel(packet.channelId, MAX_CHANNEL_NAME);
        const channelHash = (packet.header.channel >>> 0) & 0xff;
        const { value: record, created } = touchOrCreate(
            this.records,
            `${channelId}\u0000${channelHash}`,
            MAX_UNKNOWN_CHANNELS,
            () => ({ channelId, channelHash, packets: 0, lastGateway: '', lastSeen: 0 }),
        );
        record.packets++;
        record.lastGateway = sanitizeLabel(packet.gatewayId, MAX_LABEL);
        record.lastSeen = nowMs;
        return { record, firstSeen: created };
    }

    /** Most packets first. */
    list(): UnknownChannelRecord[] {
        return [...this.records.values()].sort((a, b) => b.packets - a.packets || b.lastSeen - a.lastSeen);
    }
}
