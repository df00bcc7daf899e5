/**
 * One logical packet per `(from, id)` across gateways within a time window; bounded, O(1) per packet
 * (docs/ARCHITECTURE.md, "Dedup").
 */
import { LinkedMap } from './linked-map';
import { sanitizeLabel } from './util';

export const DEFAULT_DEDUP_MAX_ENTRIES = 50_000;
/** Gateway ids remembered per packet; the count keeps growing beyond it (see `DedupEntry.gatewayCount`). */
export const MAX_GATEWAYS_PER_PACKET = 16;
const MAX_GATEWAY_ID_LENGTH = 16;

/** One arrival of a packet through one gateway. */
export interface Reception {
    from: number;
    id: number;
    /** Envelope gateway id (`!xxxxxxxx`). */
    gatewayId: string;
    viaMqtt: boolean;
    rxSnr: number;
    rxRssi: number;
    /** Hops away as seen by this gateway, when known. */
    hopsAway?: number;
}

/** What is known about one logical packet. */
export interface DedupEntry {
    from: number;
    id: number;
    /** Epoch ms of the first reception (the window starts here). */
    firstSeen: number;
    /** Epoch ms of the latest reception. */
    lastSeen: number;
    /** Gateway that delivered the packet first. */
    firstGateway: string;
    /**
     * Distinct gateways that delivered the packet. Exact up to `MAX_GATEWAYS_PER_PACKET`; beyond that every
     * reception through a gateway not in `gateways` counts, so repeats from those may be over-counted.
     */
    gatewayCount: number;
    /** The first `MAX_GATEWAYS_PER_PACKET` distinct gateways, in arrival order (shared between entries: never mutate). */
    gateways: readonly string[];
    /** Number of receptions, repeats included. */
    receptions: number;
    /** SNR/RSSI of the first RF reception: the first one with `viaMqtt` false and a non-zero SNR or RSSI. */
    rxSnr?: number;
    rxRssi?: number;
    /** Gateway of that first RF reception. */
    rfGateway?: string;
    /** Fewest hops among the receptions that knew it. */
    hopsAway?: number;
    /** True while every reception so far had `viaMqtt` set (no gateway heard it directly). */
    viaMqtt: boolean;
}

export interface DedupResult {
    duplicate: boolean;
    entry: Readonly<DedupEntry>;
    /** For a duplicate: gateway count, RF metrics, hops or the viaMqtt flag of the entry changed. */
    changed: boolean;
}

/**
 * The map key of (from, id): their four 16-bit halves as a 4-character string. Unique like "from:id" text, but a flat
 * 24-byte string instead of a rope of three (about 60 bytes less per entry) and several times faster to build and hash,
 * once per packet.
 */
function keyOf(from: number, id: number): string {
    return String.fromCharCode(from >>> 16, from & 0xffff, id >>> 16, id & 0xffff);
}

/** Gateway ids are data from the topic: a normal `!xxxxxxxx` passes as is (lowercased), anything else is cleaned. */
function normaliseGateway(gatewayId: unknown): string {
    if (typeof gatewayId !== 'string') {
        return '';
    }
    const g = gatewayId.toLowerCase();
    return /^![0-9a-f]{8}$/.test(g) ? g : sanitizeLabel(g, MAX_GATEWAY_ID_LENGTH);
}

function hasRfMetrics(r: Reception): boolean {
    return !r.viaMqtt && ((Number.isFinite(r.rxSnr) && r.rxSnr !== 0) || (Number.isFinite(r.rxRssi) && r.rxRssi !== 0));
}

/**
 * One-gateway lists, shared by every entry first heard through that gateway: most packets are heard through one
 * gateway, and an array per entry is a fifth of its memory (a busy public broker keeps tens of thousands of entries).
 * Bounded: beyond it an entry gets its own array.
 */
const SINGLE_GATEWAY_LISTS = new Map<string, readonly string[]>();
const MAX_SHARED_GATEWAY_LISTS = 4096;

function singleGatewayList(gateway: string): readonly string[] {
    let list = SINGLE_GATEWAY_LISTS.get(gateway);
    if (list === undefined) {
        list = Object.freeze([gateway]);
        if (SINGLE_GATEWAY_LISTS.size < MAX_SHARED_GATEWAY_LISTS) {
            SINGLE_GATEWAY_LISTS.set(gateway, list);
        }
    }
    return list;
}

function newEntry(r: Reception, gateway: string, nowMs: number): DedupEntry {
    const rf = hasRfMetrics(r);
    // Every field set here, in one order: all entries share one object shape with in-object fields (no property
    // store added later per entry).
    return {
        from: r.from,
        id: r.id,
        firstSeen: nowMs,
        lastSeen: nowMs,
        firstGateway: gateway,
        gatewayCount: 1,
        gateways: singleGatewayList(gateway),
        receptions: 1,
        rxSnr: rf ? r.rxSnr : undefined,
        rxRssi: rf ? r.rxRssi : undefined,
        rfGateway: rf ? gateway : undefined,
        hopsAway: r.hopsAway,
        viaMqtt: r.viaMqtt,
    };
}

export class PacketDeduplicator {
    private readonly entries = new LinkedMap<string, DedupEntry>();
    private readonly windowMs: number;
    private readonly maxEntries: number;
    /** Earliest time at which the front entry expires; no sweep work before it. */
    private nextSweepAt = Number.POSITIVE_INFINITY;

    /**
     * @param windowMs dedup window in ms; ≤ 0 disables dedup (every packet is new)
     * @param maxEntries upper bound of remembered packets, the oldest is evicted first
     */
    constructor(windowMs: number, maxEntries = DEFAULT_DEDUP_MAX_ENTRIES) {
        this.windowMs = Number.isFinite(windowMs) ? Math.max(0, windowMs) : 0;
        this.maxEntries = Math.max(1, Math.floor(Number.isFinite(maxEntries) ? maxEntries : DEFAULT_DEDUP_MAX_ENTRIES));
    }

    get size(): number {
        return this.entries.size;
    }

    /**
     * Records one reception. Packets with id 0 (map reports) are never deduped and not stored.
     */
    observe(r: Reception, nowMs: number): DedupResult {
        const gateway = normaliseGateway(r.gatewayId);
        if (r.id === 0 || this.windowMs <= 0) {
            return { duplicate: false, entry: newEntry(r, gateway, nowMs), changed: false };
        }
        if (nowMs >= this.nextSweepAt) {
            this.sweep(nowMs);
        }
        const key = keyOf(r.from, r.id);
        const existing = this.entries.get(key);
        if (existing !== undefined) {
            if (nowMs - existing.firstSeen < this.windowMs) {
                const changed = this.merge(existing, r, gateway, nowMs);
                return { duplicate: true, entry: existing, changed };
            }
            // Expired but not swept yet (time went backwards once): start over at the end of the order.
            this.entries.delete(key);
        }
        if (this.entries.size >= this.maxEntries) {
            this.entries.shift();
        }
        const entry = newEntry(r, gateway, nowMs);
        this.entries.set(key, entry);
        if (this.entries.size === 1) {
            this.nextSweepAt = this.frontExpiry();
        }
        return { duplicate: false, entry, changed: false };
    }

    /** Removes expired entries from the front; returns how many. Called by `observe` when due. */
    sweep(nowMs: number): number {
        let removed = 0;
        for (let oldest = this.entries.oldest(); oldest !== undefined; oldest = this.entries.oldest()) {
            if (nowMs - oldest.firstSeen < this.windowMs) {
                break;
            }
            this.entries.shift();
            removed++;
        }
        this.nextSweepAt = this.frontExpiry();
        return removed;
    }

    clear(): void {
        this.entries.clear();
        this.nextSweepAt = Number.POSITIVE_INFINITY;
    }

    private frontExpiry(): number {
        const oldest = this.entries.oldest();
        return oldest === undefined ? Number.POSITIVE_INFINITY : oldest.firstSeen + this.windowMs;
    }

    private merge(entry: DedupEntry, r: Reception, gateway: string, nowMs: number): boolean {
        let changed = false;
        entry.receptions++;
        entry.lastSeen = Math.max(entry.lastSeen, nowMs);
        if (!entry.gateways.includes(gateway)) {
            entry.gatewayCount++;
            changed = true;
            if (entry.gateways.length < MAX_GATEWAYS_PER_PACKET) {
                entry.gateways = [...entry.gateways, gateway]; // a new list: the first one may be shared
            }
        }
        if (entry.rfGateway === undefined && hasRfMetrics(r)) {
            entry.rxSnr = r.rxSnr;
            entry.rxRssi = r.rxRssi;
            entry.rfGateway = gateway;
            changed = true;
        }
        if (r.hopsAway !== undefined && (entry.hopsAway === undefined || r.hopsAway < entry.hopsAway)) {
            entry.hopsAway = r.hopsAway;
            changed = true;
        }
        if (entry.viaMqtt && !r.viaMqtt) {
            entry.viaMqtt = false;
            changed = true;
        }
        return changed;
    }
}
