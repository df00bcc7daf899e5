/**
 * Traceroute requests of the virtual node: a TRACEROUTE_APP request (empty RouteDiscovery, want_response) to one
 * node, through the send queue, answered when the reply (request_id = our packet id) arrives or after a timeout.
 * Traceroutes cost airtime on every hop, so all of them together are bounded per hour. Never PKI: firmware excludes
 * TRACEROUTE_APP from PKI, and the reply comes back on the channel the request went out on.
 */
import { encodeTracerouteRequest, nodeIdString, TRACEROUTE_APP } from '../codec';
import type { DecodedPacket, TraceroutePayload } from '../codec/types';
import { BITFIELD_OK_TO_MQTT, BITFIELD_WANT_RESPONSE } from './identity';
import { errorText, type OutgoingPacket, type PacketFactory, type SendChannel } from './packets';
import { parseDestination } from './plan';
import type { SendQueue } from './queue';
import type { Timers } from './types';

/** At most this many traceroute requests go out in any hour (all nodes together). */
export const MAX_TRACEROUTES_PER_HOUR = 10;
/** A request without a reply this long after it was published fails. */
export const TRACEROUTE_TIMEOUT_MS = 60_000;
const HOUR_MS = 60 * 60_000;

/** What a traceroute request resolves to (never rejects). */
export type TracerouteResult =
    | { status: 'ok'; id: number; to: string; route: TraceroutePayload }
    | { status: 'failed'; id: number; to: string; error: string };

export interface TracerouteOptions {
    ownNodeNum: number;
    channels: readonly SendChannel[];
    packets: PacketFactory;
    queue: SendQueue;
    timers: Timers;
    now: () => number;
    maxPerHour?: number;
    timeoutMs?: number;
    /** Called when a request is refused because the hourly bound is reached (the caller logs, rate-limited). */
    onBoundReached?: (error: string) => void;
}

interface PendingTraceroute {
    id: number;
    to: string;
    timer?: unknown;
    resolve: (result: TracerouteResult) => void;
}

export class Traceroutes {
    /** When each request of the last hour was queued (oldest first). */
    private readonly requestedAt: number[] = [];
    private readonly pending = new Map<number, PendingTraceroute>();
    private stopped = false;

    constructor(private readonly options: TracerouteOptions) {}

    get maxPerHour(): number {
        return Math.max(0, Math.floor(this.options.maxPerHour ?? MAX_TRACEROUTES_PER_HOUR));
    }

    /** Requests waiting for their reply (for tests and diagnostics). */
    get size(): number {
        return this.pending.size;
    }

    /** Sends a request to `to` (`!xxxxxxxx` or a node number); `onSent` runs when its packet was published. */
    request(to: unknown, onSent?: () => void): Promise<TracerouteResult> {
        const destination = parseDestination(to);
        const label = 'num' in destination ? nodeIdString(destination.num) : String(to);
        const failed = (error: string): Promise<TracerouteResult> =>
            Promise.resolve({ status: 'failed', id: 0, to: label, error });
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
        let packet: OutgoingPacket;
        try {
            packet = this.options.packets.build(
                { kind: 'channel', channel },
                destination.num,
                {
                    portnum: TRACEROUTE_APP,
                    payload: encodeTracerouteRequest(),
                    wantResponse: true,
                    bitfield: BITFIELD_OK_TO_MQTT | BITFIELD_WANT_RESPONSE,
                },
                false,
            );
        } catch (error) {
            return failed(`cannot encode: ${errorText(error)}`);
        }
        return new Promise<TracerouteResult>(resolve => {
            const entry: PendingTraceroute = { id: packet.id, to: label, resolve };
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
    onPacket(packet: DecodedPacket): boolean {
        if (packet.data.portnum !== TRACEROUTE_APP || packet.header.to >>> 0 !== this.options.ownNodeNum) {
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
    stop(): void {
        this.stopped = true;
        for (const entry of [...this.pending.values()]) {
            this.finish(entry, { status: 'failed', id: entry.id, to: entry.to, error: 'adapter stopping' });
        }
    }

    private arm(entry: PendingTraceroute): void {
        if (!this.pending.has(entry.id)) {
            return;
        }
        const timeoutMs = this.options.timeoutMs ?? TRACEROUTE_TIMEOUT_MS;
        entry.timer = this.options.timers.setTimeout(() => {
            entry.timer = undefined;
            const error = `no traceroute reply from ${entry.to} within ${Math.round(timeoutMs / 1000)} s`;
            this.finish(entry, { status: 'failed', id: entry.id, to: entry.to, error });
        }, timeoutMs);
    }

    private finish(entry: PendingTraceroute, result: TracerouteResult): void {
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
