/**
 * The mesh model: turns decoded (and opaque) packets into node records, channel messages and events.
 * Pure: no ioBroker, no I/O, no timers; time comes in as epoch ms. Every cache is bounded.
 */
import { Buffer } from 'node:buffer';
import type {
    DecodedPacket,
    MapReportPayload,
    NeighborInfoPayload,
    OpaquePacket,
    PacketHeader,
    PositionInfo,
    TelemetryInfo,
    UserInfo,
} from '../codec/types';
import { isTelemetryVariant } from '../codec/types';
import { DEFAULT_DEDUP_MAX_ENTRIES, PacketDeduplicator, type DedupEntry } from './dedup';
import { MAX_METRICS_PER_VARIANT, MAX_NEIGHBORS, METRIC_NAME, NodeStore, pushBounded } from './node-store';
import { offlineMs, updatePresence } from './presence';
import type {
    ChannelRecord,
    MeshEvent,
    MeshOptions,
    MeshStats,
    NodeRadio,
    NodeRecord,
    NodeSection,
    NodeUser,
    TextMessage,
    UnknownChannelRecord,
} from './types';
import {
    finite,
    isBroadcast,
    isRealNodeNum,
    MAX_CHANNEL_NAME,
    MAX_LABEL,
    MAX_LONG_NAME,
    MAX_SHORT_NAME,
    nodeIdOf,
    parseNodeId,
    sanitizeLabel,
    sanitizeText,
    shallowEqual,
} from './util';

/** Distinct unknown channels (channel id + hash) remembered; the least recently seen is dropped first. */
export const MAX_UNKNOWN_CHANNELS = 256;
/** Channels seen in packets besides the configured ones (unencrypted envelopes may name any channel). */
export const MAX_EXTRA_CHANNELS = 32;
/** Configured channel names taken from the constructor. */
const MAX_CONFIGURED_CHANNELS = 64;
const MAX_HOPS = 7;
interface PendingNode {
    node: NodeRecord;
    sections: Set<NodeSection>;
    isNew: boolean;
}

/** Collects what one call changed, so each node gets at most one `node` event with all its sections. */
class ChangeSet {
    private readonly pending = new Map<number, PendingNode>();
    private readonly removals: MeshEvent[] = [];
    private readonly others: MeshEvent[] = [];

    mark(node: NodeRecord, section: NodeSection, isNew = false): void {
        let entry = this.pending.get(node.num);
        if (entry === undefined || entry.node !== node) {
            entry = { node, sections: new Set<NodeSection>(), isNew };
            this.pending.set(node.num, entry);
        } else if (isNew) {
            entry.isNew = true;
        }
        entry.sections.add(section);
    }

    removed(node: NodeRecord, reason: 'maxNodes' | 'purge'): void {
        const entry = this.pending.get(node.num);
        if (entry !== undefined && entry.node === node) {
            this.pending.delete(node.num);
            if (entry.isNew) {
                // Created and dropped within the same call: nobody has seen it, nothing to remove.
                return;
            }
        }
        this.removals.push({ type: 'nodeRemoved', num: node.num, hex: node.hex, reason });
    }

    push(event: MeshEvent): void {
        this.others.push(event);
    }

    /** Removals first, then node events (so objects exist), then messages and unknown-channel events. */
    events(): MeshEvent[] {
        const out: MeshEvent[] = [...this.removals];
        for (const { node, sections, isNew } of this.pending.values()) {
            if (sections.size > 0 || isNew) {
                out.push({ type: 'node', node, sections, isNew });
            }
        }
        out.push(...this.others);
        return out;
    }
}

/** Radius in metres of a reduced-precision position cell (0 at full precision); 2^(31−p) · 1e-7° · 111.32 km/°. */
export function precisionRadiusMeters(precisionBits: number): number {
    if (!(precisionBits > 0) || precisionBits >= 32) {
        return 0;
    }
    return Math.round(2 ** (31 - Math.floor(precisionBits)) * 1e-7 * 111_320);
}

function validLatLon(latitude: number | undefined, longitude: number | undefined): boolean {
    return (
        latitude !== undefined &&
        longitude !== undefined &&
        Math.abs(latitude) <= 90 &&
        Math.abs(longitude) <= 180 &&
        !(latitude === 0 && longitude === 0)
    );
}

function radioOf(entry: Readonly<DedupEntry>): NodeRadio {
    const radio: NodeRadio = {
        viaMqtt: entry.viaMqtt,
        gateway: entry.firstGateway,
        gatewayCount: entry.gatewayCount,
        gateways: [...entry.gateways],
    };
    if (entry.rxSnr !== undefined) {
        radio.snr = entry.rxSnr;
    }
    if (entry.rxRssi !== undefined) {
        radio.rssi = entry.rxRssi;
    }
    if (entry.hopsAway !== undefined) {
        radio.hopsAway = entry.hopsAway;
    }
    return radio;
}

function displayName(node: NodeRecord): string {
    return node.user?.longName || node.user?.shortName || node.id;
}

function publicKeyBase64(key: Uint8Array | undefined): string | undefined {
    return key instanceof Uint8Array && key.length === 32 ? Buffer.from(key).toString('base64') : undefined;
}

export class MeshModel {
    private readonly options: Readonly<MeshOptions>;
    private readonly store: NodeStore;
    private readonly dedup: PacketDeduplicator;
    private readonly offlineAfterMs: number;
    private readonly ownId: string | undefined;
    private readonly configuredChannels = new Map<string, ChannelRecord>();
    /** Channels named by packets but not configured; least recently used first. */
    private readonly extraChannels = new Map<string, ChannelRecord>();
    /** Keyed by `channelId NUL hash`; least recently seen first. */
    private readonly unknown = new Map<string, UnknownChannelRecord>();
    private readonly counters: MeshStats = {
        received: 0,
        decoded: 0,
        duplicates: 0,
        undecryptable: 0,
        invalid: 0,
        ignored: 0,
        unknownChannels: 0,
        filtered: 0,
    };
    private hopLimitRewrite = false;

    constructor(options: MeshOptions, channelNames: string[]) {
        const int = (value: number, min: number, fallback: number): number =>
            Number.isFinite(value) ? Math.max(min, Math.floor(value)) : fallback;
        this.options = {
            maxNodes: int(options.maxNodes, 1, 500),
            offlineMinutes: Number.isFinite(options.offlineMinutes) ? Math.max(0, options.offlineMinutes) : 120,
            purgeDays: Number.isFinite(options.purgeDays) ? Math.max(0, options.purgeDays) : 0,
            allowList: options.allowList ?? new Set<number>(),
            maxHops: int(options.maxHops, 0, 0),
            historySize: int(options.historySize, 1, 20),
            dedupWindowMs: Number.isFinite(options.dedupWindowMs) ? Math.max(0, options.dedupWindowMs) : 600_000,
            ownNodeNum: isRealNodeNum(options.ownNodeNum) ? options.ownNodeNum >>> 0 : 0,
            dedupMaxEntries: int(options.dedupMaxEntries ?? DEFAULT_DEDUP_MAX_ENTRIES, 1, DEFAULT_DEDUP_MAX_ENTRIES),
        };
        this.store = new NodeStore(this.options.maxNodes, this.options.historySize);
        this.dedup = new PacketDeduplicator(this.options.dedupWindowMs, this.options.dedupMaxEntries);
        this.offlineAfterMs = offlineMs(this.options.offlineMinutes);
        this.ownId = this.options.ownNodeNum !== 0 ? nodeIdOf(this.options.ownNodeNum) : undefined;
        for (const raw of channelNames ?? []) {
            const name = sanitizeLabel(raw, MAX_CHANNEL_NAME);
            if (name && !this.configuredChannels.has(name) && this.configuredChannels.size < MAX_CONFIGURED_CHANNELS) {
                this.configuredChannels.set(name, { name, history: [] });
            }
        }
    }

    /**
     * A decoded packet. Returns what changed. Own echoes (from our node, or published under our gateway id) are
     * dropped without counting. Counts `received` and then `decoded` (or `invalid` for an impossible sender); a
     * packet with `payloadError` is still used (its payload is raw), so it is `decoded`, never also `invalid`.
     */
    ingest(packet: DecodedPacket, nowMs: number): MeshEvent[] {
        const h = packet.header;
        const from = h.from >>> 0;
        if (this.isOwnEcho(from, packet.gatewayId)) {
            return [];
        }
        this.counters.received++;
        if (!isRealNodeNum(from)) {
            this.counters.invalid++;
            return [];
        }
        this.counters.decoded++;
        const changes = new ChangeSet();
        const gatewayNum = parseNodeId(packet.gatewayId);
        const selfUplink = gatewayNum === from;
        this.detectHopLimitRewrite(h, selfUplink);
        if (gatewayNum !== undefined) {
            this.touchGateway(gatewayNum, nowMs, changes);
        }
        if (!this.allowed(from)) {
            this.counters.filtered++;
            return changes.events();
        }
        const hopsAway = this.hopsAway(h, packet.data.bitfield, selfUplink);
        const seen = this.dedup.observe(
            {
                from,
                id: h.id >>> 0,
                gatewayId: packet.gatewayId,
                viaMqtt: h.viaMqtt,
                rxSnr: h.rxSnr,
                rxRssi: h.rxRssi,
                hopsAway,
            },
            nowMs,
        );
        if (seen.duplicate) {
            this.counters.duplicates++;
            this.updateRadioFromDuplicate(from, seen.entry, changes);
            return changes.events();
        }
        if (this.options.maxHops > 0 && hopsAway !== undefined && hopsAway > this.options.maxHops) {
            this.counters.filtered++;
            return changes.events();
        }
        const node = this.heard(from, nowMs, seen.entry, changes);
        const payload = packet.payload;
        switch (payload.type) {
            case 'nodeinfo':
                this.applyUser(node, payload.user, changes);
                break;
            case 'position':
                this.applyPosition(node, payload.position, changes);
                break;
            case 'telemetry':
                this.applyTelemetry(node, payload.telemetry, changes);
                break;
            case 'neighborinfo':
                this.applyNeighbors(node, payload.neighborInfo, changes);
                break;
            case 'mapreport':
                this.applyMapReport(node, payload.mapReport, nowMs, changes);
                break;
            case 'text':
                this.applyText(node, packet, payload.text, seen.entry, nowMs, changes);
                break;
            default:
                break;
        }
        if (packet.encryption === 'pki' && node.user && node.user.publicKey === undefined) {
            const key = publicKeyBase64(h.publicKey);
            if (key !== undefined) {
                node.user = { ...node.user, publicKey: key };
                changes.mark(node, 'info');
            }
        }
        return changes.events();
    }

    /**
     * A packet we could not decrypt. Its header still shows the sender is alive (lastHeard, radio, presence) and
     * which gateway uplinked it. For reason `decrypt` the channel (envelope channel id + 8-bit hash) is recorded as
     * unknown and an `unknownChannel` event is emitted for every non-duplicate packet, `firstSeen` on the first.
     */
    ingestOpaque(packet: OpaquePacket, nowMs: number): MeshEvent[] {
        const h = packet.header;
        const from = h.from >>> 0;
        if (this.isOwnEcho(from, packet.gatewayId)) {
            return [];
        }
        this.counters.received++;
        if (!isRealNodeNum(from)) {
            this.counters.invalid++;
            return [];
        }
        this.counters.undecryptable++;
        const changes = new ChangeSet();
        const gatewayNum = parseNodeId(packet.gatewayId);
        const selfUplink = gatewayNum === from;
        this.detectHopLimitRewrite(h, selfUplink);
        if (gatewayNum !== undefined) {
            this.touchGateway(gatewayNum, nowMs, changes);
        }
        if (!this.allowed(from)) {
            this.counters.filtered++;
            return changes.events();
        }
        const hopsAway = this.hopsAway(h, undefined, selfUplink);
        const seen = this.dedup.observe(
            {
                from,
                id: h.id >>> 0,
                gatewayId: packet.gatewayId,
                viaMqtt: h.viaMqtt,
                rxSnr: h.rxSnr,
                rxRssi: h.rxRssi,
                hopsAway,
            },
            nowMs,
        );
        if (seen.duplicate) {
            this.counters.duplicates++;
            this.updateRadioFromDuplicate(from, seen.entry, changes);
            return changes.events();
        }
        if (packet.reason === 'decrypt') {
            this.recordUnknownChannel(packet, nowMs, changes);
        }
        if (this.options.maxHops > 0 && hopsAway !== undefined && hopsAway > this.options.maxHops) {
            this.counters.filtered++;
            return changes.events();
        }
        this.heard(from, nowMs, seen.entry, changes);
        return changes.events();
    }

    /** Counts a message that could not be used at all (bad topic, envelope, JSON…): received and invalid. */
    countInvalid(): void {
        this.counters.received++;
        this.counters.invalid++;
    }

    /** Counts a message on a topic that is no Meshtastic packet (another client's traffic): received and ignored. */
    countIgnored(): void {
        this.counters.received++;
        this.counters.ignored++;
    }

    /** Recomputes every node's presence; a `node` event with section `status` for each that changed. O(n). */
    tick(nowMs: number): MeshEvent[] {
        const events: MeshEvent[] = [];
        for (const node of this.store.values()) {
            if (updatePresence(node, nowMs, this.offlineAfterMs)) {
                events.push({ type: 'node', node, sections: new Set<NodeSection>(['status']), isNew: false });
            }
        }
        this.dedup.sweep(nowMs);
        return events;
    }

    /** Removes nodes unheard for `purgeDays` (0 = never): a `nodeRemoved` event (reason `purge`) each. */
    purge(nowMs: number): MeshEvent[] {
        this.dedup.sweep(nowMs);
        return this.store
            .purge(nowMs, this.options.purgeDays)
            .map(node => ({ type: 'nodeRemoved', num: node.num, hex: node.hex, reason: 'purge' }));
    }

    /** A copy of the counters. */
    stats(): MeshStats {
        return { ...this.counters, unknownChannels: this.unknown.size };
    }

    /** Live records, least recently heard first. Do not mutate; do not keep across calls into the model. */
    nodes(): Iterable<Readonly<NodeRecord>> {
        return this.store.values();
    }

    nodeCount(): number {
        return this.store.size;
    }

    node(num: number): Readonly<NodeRecord> | undefined {
        return this.store.get(num >>> 0);
    }

    /** See `NodeStore.findByQuery`: number / `!hex` / hex suffix / name substring, best first. */
    findNodes(query: string, limit?: number): Readonly<NodeRecord>[] {
        return this.store.findByQuery(query, limit);
    }

    /** Configured channels (in configuration order), then channels seen in packets. */
    channels(): Readonly<ChannelRecord>[] {
        return [...this.configuredChannels.values(), ...this.extraChannels.values()];
    }

    /** Unknown channels, most packets first. */
    unknownChannels(): Readonly<UnknownChannelRecord>[] {
        return [...this.unknown.values()].sort((a, b) => b.packets - a.packets || b.lastSeen - a.lastSeen);
    }

    /** Seeds nodes from persisted records without events (see `NodeStore.restore`); returns how many were taken. */
    restore(records: readonly NodeRecord[]): number {
        const own = this.options.ownNodeNum;
        return this.store.restore(own === 0 ? records : records.filter(r => r?.num !== own));
    }

    /**
     * True once a gateway's own packet arrived with hop_limit 0 < hop_start: the broker rewrites hop_limit
     * (public server zero-hop policy, spec §7). From then on hops of packets with hop_limit 0 are unknown.
     */
    hopLimitRewritten(): boolean {
        return this.hopLimitRewrite;
    }

    // ---- internals ---------------------------------------------------------------------------------

    private isOwnEcho(from: number, gatewayId: string): boolean {
        if (this.options.ownNodeNum === 0) {
            return false;
        }
        return (
            from === this.options.ownNodeNum ||
            (typeof gatewayId === 'string' && gatewayId.toLowerCase() === this.ownId)
        );
    }

    private allowed(num: number): boolean {
        return this.options.allowList.size === 0 || this.options.allowList.has(num);
    }

    private detectHopLimitRewrite(h: PacketHeader, selfUplink: boolean): void {
        if (!this.hopLimitRewrite && selfUplink && h.hopLimit === 0 && h.hopStart > 0 && h.hopStart <= MAX_HOPS) {
            this.hopLimitRewrite = true;
        }
    }

    /** hop_start − hop_limit when valid (`getHopsAway`): 0 for a gateway's own packet. */
    private hopsAway(h: PacketHeader, bitfield: number | undefined, selfUplink: boolean): number | undefined {
        if (selfUplink) {
            return 0;
        }
        const { hopStart, hopLimit } = h;
        if (!Number.isInteger(hopStart) || !Number.isInteger(hopLimit) || hopLimit < 0 || hopStart > MAX_HOPS) {
            return undefined;
        }
        if (hopStart < hopLimit || !(hopStart > 0 || bitfield !== undefined)) {
            return undefined;
        }
        if (this.hopLimitRewrite && hopLimit === 0 && hopStart > 0) {
            return undefined;
        }
        return hopStart - hopLimit;
    }

    private getOrCreate(num: number, nowMs: number, changes: ChangeSet): { node: NodeRecord; isNew: boolean } {
        const { node, isNew, evicted } = this.store.getOrCreate(num, nowMs);
        if (evicted !== undefined) {
            changes.removed(evicted, 'maxNodes');
        }
        return { node, isNew };
    }

    /** The envelope's gateway uplinks, so it is alive and MQTT-present. */
    private touchGateway(num: number, nowMs: number, changes: ChangeSet): void {
        if (!isRealNodeNum(num) || num === this.options.ownNodeNum || !this.allowed(num)) {
            return;
        }
        const { node, isNew } = this.getOrCreate(num, nowMs, changes);
        this.store.touch(node, nowMs);
        node.lastMqtt = nowMs;
        updatePresence(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status', isNew);
    }

    /** The sender of a new (non-duplicate) packet. */
    private heard(from: number, nowMs: number, entry: Readonly<DedupEntry>, changes: ChangeSet): NodeRecord {
        const { node, isNew } = this.getOrCreate(from, nowMs, changes);
        this.store.touch(node, nowMs);
        node.packets++;
        node.lastPacketId = entry.id;
        const radio = radioOf(entry);
        if (!shallowEqual(node.radio, radio)) {
            node.radio = radio;
            changes.mark(node, 'radio', isNew);
        }
        updatePresence(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status', isNew);
        return node;
    }

    /** A late copy of the node's last packet through another gateway: gateway count / RF metrics may improve. */
    private updateRadioFromDuplicate(from: number, entry: Readonly<DedupEntry>, changes: ChangeSet): void {
        const node = this.store.get(from);
        if (node === undefined || node.lastPacketId !== entry.id) {
            return;
        }
        const radio = radioOf(entry);
        if (!shallowEqual(node.radio, radio)) {
            node.radio = radio;
            changes.mark(node, 'radio');
        }
    }

    private applyUser(node: NodeRecord, user: UserInfo, changes: ChangeSet): void {
        // user.id is ignored on purpose: the id is always the sender's `from`; names are data only.
        const next: NodeUser = {
            longName: sanitizeLabel(user.longName, MAX_LONG_NAME),
            shortName: sanitizeLabel(user.shortName, MAX_SHORT_NAME),
            hwModel: sanitizeLabel(user.hwModel, MAX_LABEL),
            role: sanitizeLabel(user.role, MAX_LABEL),
            isLicensed: user.isLicensed === true,
            isUnmessagable: user.isUnmessagable === true,
        };
        const key = publicKeyBase64(user.publicKey);
        if (key !== undefined) {
            next.publicKey = key;
        }
        if (!shallowEqual(node.user, next)) {
            node.user = next;
            changes.mark(node, 'info');
        }
    }

    private applyPosition(node: NodeRecord, position: PositionInfo, changes: ChangeSet): void {
        const latitude = finite(position.latitude);
        const longitude = finite(position.longitude);
        if (!validLatLon(latitude, longitude)) {
            return; // no fix: keep the last known position
        }
        const precisionBits = finite(position.precisionBits) ?? 32;
        const next: PositionInfo = {
            latitude,
            longitude,
            precisionBits,
            accuracyMeters: finite(position.accuracyMeters) ?? precisionRadiusMeters(precisionBits),
        };
        for (const key of ['altitude', 'time', 'groundSpeed', 'groundTrack', 'satsInView'] as const) {
            const n = finite(position[key]);
            if (n !== undefined) {
                next[key] = n;
            }
        }
        if (!shallowEqual(node.position, next)) {
            node.position = next;
            changes.mark(node, 'position');
        }
    }

    private applyTelemetry(node: NodeRecord, telemetry: TelemetryInfo, changes: ChangeSet): void {
        const variant = telemetry.variant;
        if (!isTelemetryVariant(variant) || typeof telemetry.metrics !== 'object' || telemetry.metrics === null) {
            return;
        }
        const current = node.telemetry[variant];
        const next: Record<string, number> = { ...current };
        let count = Object.keys(next).length;
        let changed = false;
        for (const [name, value] of Object.entries(telemetry.metrics)) {
            const n = finite(value);
            if (n === undefined || !METRIC_NAME.test(name)) {
                continue;
            }
            const known = Object.prototype.hasOwnProperty.call(next, name);
            if (!known && count >= MAX_METRICS_PER_VARIANT) {
                continue;
            }
            if (!known || next[name] !== n) {
                next[name] = n;
                changed = true;
                if (!known) {
                    count++;
                }
            }
        }
        if (changed) {
            node.telemetry[variant] = next;
            changes.mark(node, `telemetry.${variant}`);
        }
    }

    private applyNeighbors(node: NodeRecord, info: NeighborInfoPayload, changes: ChangeSet): void {
        const next: { nodeId: number; id: string; snr: number }[] = [];
        for (const n of Array.isArray(info.neighbors) ? info.neighbors.slice(0, MAX_NEIGHBORS) : []) {
            const nodeId = finite(n.nodeId);
            if (nodeId !== undefined) {
                next.push({ nodeId: nodeId >>> 0, id: nodeIdOf(nodeId), snr: finite(n.snr) ?? 0 });
            }
        }
        const current = node.neighbors;
        const same =
            current !== undefined &&
            current.length === next.length &&
            current.every((c, i) => c.nodeId === next[i].nodeId && c.snr === next[i].snr);
        if (!same) {
            node.neighbors = next;
            changes.mark(node, 'neighbors');
        }
    }

    private applyMapReport(node: NodeRecord, report: MapReportPayload, nowMs: number, changes: ChangeSet): void {
        // A map report is published by the node itself: it is MQTT-present.
        node.lastMqtt = nowMs;
        updatePresence(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status');

        const previous = node.user;
        // Empty fields in the report keep what is known (NodeInfo is the richer source).
        const nextUser: NodeUser = {
            longName: sanitizeLabel(report.longName, MAX_LONG_NAME) || previous?.longName || '',
            shortName: sanitizeLabel(report.shortName, MAX_SHORT_NAME) || previous?.shortName || '',
            hwModel: sanitizeLabel(report.hwModel, MAX_LABEL) || previous?.hwModel || '',
            role: sanitizeLabel(report.role, MAX_LABEL) || previous?.role || '',
            isLicensed: previous?.isLicensed ?? false,
            isUnmessagable: previous?.isUnmessagable ?? false,
        };
        if (previous?.publicKey !== undefined) {
            nextUser.publicKey = previous.publicKey;
        }
        let infoChanged = false;
        if (!shallowEqual(previous, nextUser)) {
            node.user = nextUser;
            infoChanged = true;
        }
        for (const [key, raw] of [
            ['firmware', report.firmwareVersion],
            ['region', report.region],
            ['modemPreset', report.modemPreset],
        ] as const) {
            const value = sanitizeLabel(raw, MAX_LABEL);
            if (value && node[key] !== value) {
                node[key] = value;
                infoChanged = true;
            }
        }
        const online = finite(report.numOnlineLocalNodes);
        if (online !== undefined && node.numOnlineLocalNodes !== online) {
            node.numOnlineLocalNodes = online;
            infoChanged = true;
        }
        if (infoChanged) {
            changes.mark(node, 'info');
        }

        const latitude = finite(report.latitude);
        const longitude = finite(report.longitude);
        if (validLatLon(latitude, longitude)) {
            const precision = finite(report.positionPrecision) ?? 0;
            const precisionBits = precision > 0 && precision <= 32 ? Math.floor(precision) : 32;
            const next: PositionInfo = {
                latitude,
                longitude,
                precisionBits,
                accuracyMeters: precisionRadiusMeters(precisionBits),
            };
            const altitude = finite(report.altitude);
            if (altitude !== undefined) {
                next.altitude = altitude;
            }
            if (!shallowEqual(node.position, next)) {
                node.position = next;
                changes.mark(node, 'position');
            }
        }
    }

    private applyText(
        node: NodeRecord,
        packet: DecodedPacket,
        text: string,
        entry: Readonly<DedupEntry>,
        nowMs: number,
        changes: ChangeSet,
    ): void {
        const h = packet.header;
        const to = h.to >>> 0;
        const direct = !isBroadcast(to);
        const channel =
            packet.encryption === 'pki'
                ? 'PKI'
                : sanitizeLabel(packet.channelName, MAX_CHANNEL_NAME) ||
                  sanitizeLabel(packet.channelId, MAX_CHANNEL_NAME) ||
                  'unknown';
        const message: TextMessage = {
            id: h.id >>> 0,
            from: node.num,
            fromId: node.id,
            fromName: displayName(node),
            to,
            channel,
            text: sanitizeText(text),
            time: nowMs,
            direct,
            gateway: entry.firstGateway,
            viaMqtt: entry.viaMqtt,
            encryption: packet.encryption,
        };
        if (entry.rxSnr !== undefined) {
            message.rxSnr = entry.rxSnr;
        }
        if (entry.rxRssi !== undefined) {
            message.rxRssi = entry.rxRssi;
        }
        if (entry.hopsAway !== undefined) {
            message.hopsAway = entry.hopsAway;
        }
        if (packet.data.replyId) {
            message.replyId = packet.data.replyId >>> 0;
        }
        if (packet.data.emoji) {
            message.emoji = packet.data.emoji >>> 0;
        }
        this.store.pushText(node, message);
        changes.mark(node, 'messages');
        if (direct) {
            changes.push({ type: 'directMessage', message });
            return;
        }
        const record = this.channelRecord(channel);
        record.lastMessage = message;
        pushBounded(record.history, message, this.options.historySize);
        changes.push({ type: 'channelMessage', channel: record, message });
    }

    private channelRecord(name: string): ChannelRecord {
        const configured = this.configuredChannels.get(name);
        if (configured !== undefined) {
            return configured;
        }
        let record = this.extraChannels.get(name);
        if (record !== undefined) {
            this.extraChannels.delete(name);
        } else {
            if (this.extraChannels.size >= MAX_EXTRA_CHANNELS) {
                const oldest = this.extraChannels.keys().next();
                if (!oldest.done) {
                    this.extraChannels.delete(oldest.value);
                }
            }
            record = { name, history: [] };
        }
        this.extraChannels.set(name, record);
        return record;
    }

    private recordUnknownChannel(packet: OpaquePacket, nowMs: number, changes: ChangeSet): void {
        const channelId = sanitizeLabel(packet.channelId, MAX_CHANNEL_NAME);
        const channelHash = (packet.header.channel >>> 0) & 0xff;
        const key = `${channelId}\u0000${channelHash}`;
        let record = this.unknown.get(key);
        const firstSeen = record === undefined;
        if (record !== undefined) {
            this.unknown.delete(key);
        } else {
            if (this.unknown.size >= MAX_UNKNOWN_CHANNELS) {
                const oldest = this.unknown.keys().next();
                if (!oldest.done) {
                    this.unknown.delete(oldest.value);
                }
            }
            record = { channelId, channelHash, packets: 0, lastGateway: '', lastSeen: 0 };
        }
        record.packets++;
        record.lastGateway = sanitizeLabel(packet.gatewayId, MAX_LABEL);
        record.lastSeen = nowMs;
        this.unknown.set(key, record);
        this.counters.unknownChannels = this.unknown.size;
        changes.push({ type: 'unknownChannel', record, firstSeen });
    }
}
