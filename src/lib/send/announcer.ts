/**
 * NodeInfo announcements of the virtual node on every channel with downlink. Airtime is shared: the periodic and
 * manual announcement waits an hour since the last one that went out (firmware coerces NodeInfo to ≥ 1 h on default
 * channels), the one after a (re)connection waits 10 minutes, so a flapping broker cannot flood the mesh.
 */
import { BROADCAST_NUM } from '../codec';
import { nodeInfoData, type VirtualNodeIdentity } from './identity';
import { errorText, type PacketFactory, type SendChannel } from './packets';
import type { QueueItem, SendQueue } from './queue';

/** Periodic and manual announcements: never more often than this. */
export const MIN_ANNOUNCE_INTERVAL_MS = 60 * 60_000;
/** The announcement after a (re)connection: never more often than this. */
export const MIN_RECONNECT_ANNOUNCE_INTERVAL_MS = 10 * 60_000;

export interface AnnounceResult {
    /** NodeInfo packets queued (one per downlink channel). */
    queued: number;
    /** Why nothing was queued. */
    skipped?: string;
}

export interface AnnouncerOptions {
    identity: VirtualNodeIdentity;
    channels: readonly SendChannel[];
    packets: PacketFactory;
    queue: SendQueue;
    now: () => number;
}

export class Announcer {
    /** When the last announcement that went out was queued (the interval is measured between requests). */
    private lastAnnounceAt: number | undefined;
    private pending = 0;

    constructor(private readonly options: AnnouncerOptions) {}

    /** Periodic or manual: skipped within an hour of the last announcement that went out, or while one is queued. */
    announce(wantResponse = false): AnnounceResult {
        return this.announceUnlessWithin(MIN_ANNOUNCE_INTERVAL_MS, '1 h', wantResponse);
    }

    /** After the connection came up: skipped within 10 minutes of the last announcement, or while one is queued. */
    announceAfterConnect(): AnnounceResult {
        return this.announceUnlessWithin(MIN_RECONNECT_ANNOUNCE_INTERVAL_MS, '10 min', false);
    }

    private announceUnlessWithin(minIntervalMs: number, label: string, wantResponse: boolean): AnnounceResult {
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
        const data = nodeInfoData(this.options.identity, wantResponse);
        const items: QueueItem[] = [];
        try {
            for (const channel of channels) {
                const packet = this.options.packets.build({ kind: 'channel', channel }, BROADCAST_NUM, data, false);
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
        } catch (error) {
            return { queued: 0, skipped: `cannot encode: ${errorText(error)}` };
        }
        const queued = this.options.queue.enqueue(items);
        if (!queued.ok) {
            return { queued: 0, skipped: queued.error };
        }
        this.pending = items.length;
        return { queued: items.length };
    }
}
