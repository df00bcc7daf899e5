/**
 * (Over 400 lines: admission, dispatch and the model's queries are one public surface; the payloads are in handlers/.)
 *
 * The mesh model: turns decoded (and opaque) packets into node records, channel messages and events.
 * Pure: no ioBroker, no I/O, no timers; time comes in as epoch ms. Every cache is bounded.
 * Every packet passes one admission step (`admit`); what it carries is applied by the handler of its payload type.
 */
import { PortNum } from '../codec/portnums';
import type { DecodedPacket, OpaquePacket } from '../codec/types';
import { ChangeSet } from './change-set';
import { ChannelRegistry, UnknownChannels } from './channels';
import { DEFAULT_DEDUP_MAX_ENTRIES, PacketDeduplicator, type DedupEntry } from './dedup';
import { applyAlert } from './handlers/alert';
import { applyDetection, expireDetection } from './handlers/detection';
import { applyMapReport } from './handlers/map-report';
import { applyNeighbors } from './handlers/neighbors';
import { applyUser, learnPublicKey } from './handlers/nodeinfo';
import { applyPaxcounter } from './handlers/paxcounter';
import { applyPosition } from './handlers/position';
import { applyRangeTest } from './handlers/range-test';
import { applyTelemetry } from './handlers/telemetry';
import { applyText, type TextSinks } from './handlers/text';
import { applyTraceroute } from './handlers/traceroute';
import { applyWaypoint } from './handlers/waypoint';
import { HopCounter } from './hops';
import { NodeStore } from './node-store';
import { DEFAULT_DETECTION_ALARM_MS } from './packet-records';
import { offlineMs, updatePresence } from './presence';
import type {
    ChannelRecord,
    MeshEvent,
    MeshOptions,
    MeshStats,
    NodeRadio,
    NodeRecord,
    NodeSection,
    UnknownChannelRecord,
    WaypointRecord,
} from './types';
import { isRealNodeNum, nodeIdOf, parseNodeId, shallowEqual } from './util';
import { DEFAULT_MAX_WAYPOINTS, WaypointStore } from './waypoints';

/** A packet the admission step let through: the sender is recorded as heard, its payload is still to apply. */
interface Admitted {
    node: NodeRecord;
    entry: Readonly<DedupEntry>;
    changes: ChangeSet;
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

export class MeshModel {
    private readonly store: NodeStore;
    private readonly dedup: PacketDeduplicator;
    private readonly hops = new HopCounter();
    private readonly offlineAfterMs: number;
    private readonly ownId: string | undefined;
    private readonly channelRegistry: ChannelRegistry;
    private readonly unknown = new UnknownChannels();
    private readonly textSinks: TextSinks;
    private readonly waypointStore: WaypointStore;
    private readonly detectionAlarmMs: number;
    private readonly counters: MeshStats = {
        received: 0,
        decoded: 0,
        duplicates: 0,
        undecryptable: 0,
        invalid: 0,
        ignored: 0,
        unknownChannels: 0,
        filtered: 0,
        compressedTexts: 0,
    };

    /** `options` come normalised from `config/` (normalise.ts) (tests: `meshOptions()` in test-support). */
    constructor(
        private readonly options: Readonly<MeshOptions>,
        channelNames: readonly string[],
    ) {
        this.store = new NodeStore(options.maxNodes, options.historySize);
        this.dedup = new PacketDeduplicator(
            options.dedupWindowMs,
            options.dedupMaxEntries ?? DEFAULT_DEDUP_MAX_ENTRIES,
        );
        this.offlineAfterMs = offlineMs(options.offlineMinutes);
        this.ownId = options.ownNodeNum !== 0 ? nodeIdOf(options.ownNodeNum) : undefined;
        this.channelRegistry = new ChannelRegistry(channelNames);
        this.textSinks = { store: this.store, channels: this.channelRegistry, historySize: options.historySize };
        this.waypointStore = new WaypointStore(options.maxWaypoints ?? DEFAULT_MAX_WAYPOINTS);
        this.detectionAlarmMs = options.detectionAlarmMs ?? DEFAULT_DETECTION_ALARM_MS;
    }

    /**
     * A decoded packet. Returns what changed. Own echoes (from our node, or published under our gateway id) are
     * dropped without counting. Counts `received` and then `decoded` (or `invalid` for an impossible sender); a
     * packet with `payloadError` is still used (its payload is raw), so it is `decoded`, never also `invalid`.
     */
    ingest(packet: DecodedPacket, nowMs: number): MeshEvent[] {
        const admitted = this.admit(packet, 'decoded', packet.data.bitfield, nowMs);
        if (!('node' in admitted)) {
            return admitted;
        }
        const { node, entry, changes } = admitted;
        const payload = packet.payload;
        switch (payload.type) {
            case 'nodeinfo':
                applyUser(node, payload.user, changes);
                break;
            case 'position':
                applyPosition(node, payload.position, changes);
                break;
            case 'telemetry':
                applyTelemetry(node, payload.telemetry, changes);
                break;
            case 'neighborinfo':
                applyNeighbors(node, payload.neighborInfo, changes);
                break;
            case 'mapreport':
                applyMapReport(node, payload.mapReport, nowMs, this.offlineAfterMs, changes);
                break;
            case 'text':
                applyText(node, packet, payload.text, entry, nowMs, changes, this.textSinks);
                break;
            case 'alert':
                applyAlert(node, packet, payload.text, entry, nowMs, changes, this.textSinks);
                break;
            case 'traceroute':
                applyTraceroute(node, packet, payload.traceroute, nowMs, changes, this.store);
                break;
            case 'waypoint':
                applyWaypoint(node, payload.waypoint, nowMs, changes, this.waypointStore);
                break;
            case 'paxcounter':
                applyPaxcounter(node, payload.paxcounter, changes);
                break;
            case 'detection':
                applyDetection(node, payload.text, nowMs, changes);
                break;
            case 'rangetest':
                applyRangeTest(node, payload.text, entry, nowMs, changes);
                break;
            case 'raw':
                if (payload.portnum === PortNum.TEXT_MESSAGE_COMPRESSED_APP) {
                    // unishox2: no maintained decoder of the firmware's format; counted (the pipeline logs once)
                    this.counters.compressedTexts++;
                }
                break;
            default:
                // routing, store&forward…: the packet still counts as heard
                break;
        }
        if (packet.encryption === 'pki') {
            learnPublicKey(node, packet.header.publicKey, changes);
        }
        return changes.events();
    }

    /**
     * A packet we could not decrypt. Its header still shows the sender is alive (lastHeard, radio, presence) and
     * which gateway uplinked it. For reason `decrypt` the channel (envelope channel id + 8-bit hash) is recorded as
     * unknown and an `unknownChannel` event is emitted for every non-duplicate packet, `firstSeen` on the first.
     */
    ingestOpaque(packet: OpaquePacket, nowMs: number): MeshEvent[] {
        const onFresh =
            packet.reason === 'decrypt'
                ? (changes: ChangeSet): void => {
                      const { record, firstSeen } = this.unknown.record(packet, nowMs);
                      this.counters.unknownChannels = this.unknown.size;
                      changes.push({ type: 'unknownChannel', record, firstSeen });
                  }
                : undefined;
        const admitted = this.admit(packet, 'undecryptable', undefined, nowMs, onFresh);
        return 'node' in admitted ? admitted.changes.events() : admitted;
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

    /**
     * Recomputes every node's presence and turns off detection alarms that are due: a `node` event with the sections
     * that changed (`status`, `detection`) for each node; then removes expired waypoints. O(n).
     */
    tick(nowMs: number): MeshEvent[] {
        const events: MeshEvent[] = [];
        for (const node of this.store.values()) {
            const presence = updatePresence(node, nowMs, this.offlineAfterMs);
            const detection = expireDetection(node, nowMs, this.detectionAlarmMs);
            if (presence || detection) {
                const sections = new Set<NodeSection>();
                if (presence) {
                    sections.add('status');
                }
                if (detection) {
                    sections.add('detection');
                }
                events.push({ type: 'node', node, sections, isNew: false });
            }
        }
        events.push(...this.waypointStore.expire(nowMs));
        this.dedup.sweep(nowMs);
        return events;
    }

    /** Turns off the detection alarms that are due (between ticks, on the adapter's timer). */
    expireDetections(nowMs: number): MeshEvent[] {
        const events: MeshEvent[] = [];
        for (const node of this.store.values()) {
            if (expireDetection(node, nowMs, this.detectionAlarmMs)) {
                events.push({ type: 'node', node, sections: new Set<NodeSection>(['detection']), isNew: false });
            }
        }
        return events;
    }

    /** How long a detection alarm stays on. */
    get detectionAlarmDuration(): number {
        return this.detectionAlarmMs;
    }

    /** Seeds stored waypoints (see `WaypointStore.restore`); returns the ids taken. */
    restoreWaypoints(records: readonly Readonly<WaypointRecord>[]): number[] {
        return this.waypointStore.restore(records);
    }

    /** Waypoints, least recently updated first. Do not mutate. */
    waypoints(): Readonly<WaypointRecord>[] {
        return this.waypointStore.list();
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
        return this.channelRegistry.list();
    }

    /** Unknown channels, most packets first. */
    unknownChannels(): Readonly<UnknownChannelRecord>[] {
        return this.unknown.list();
    }

    /** Seeds nodes from persisted records without events (see `NodeStore.restore`); returns how many were taken. */
    restore(records: readonly NodeRecord[]): number {
        const own = this.options.ownNodeNum;
        return this.store.restore(own === 0 ? records : records.filter(r => r?.num !== own));
    }

    /** See `HopCounter.hopLimitRewritten`. */
    hopLimitRewritten(): boolean {
        return this.hops.hopLimitRewritten;
    }

    // ---- admission ---------------------------------------------------------------------------------

    /**
     * The one admission step of every packet, in this order: own echo (dropped uncounted), counted as received,
     * impossible sender (invalid), counted as `kind`, the gateway is heard, allow-list, dedup (a duplicate may only
     * improve the radio record), `onFresh` (opaque packets record their channel), max hops, the sender is heard.
     * Returns the events so far when the packet stops, else the sender's record for the payload handler.
     */
    private admit(
        packet: DecodedPacket | OpaquePacket,
        kind: 'decoded' | 'undecryptable',
        bitfield: number | undefined,
        nowMs: number,
        onFresh?: (changes: ChangeSet) => void,
    ): Admitted | MeshEvent[] {
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
        this.counters[kind]++;
        const changes = new ChangeSet();
        const gatewayNum = parseNodeId(packet.gatewayId);
        const selfUplink = gatewayNum === from;
        this.hops.observe(h, selfUplink);
        if (gatewayNum !== undefined) {
            this.touchGateway(gatewayNum, nowMs, changes);
        }
        if (!this.allowed(from)) {
            this.counters.filtered++;
            return changes.events();
        }
        const hopsAway = this.hops.hopsAway(h, bitfield, selfUplink);
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
        onFresh?.(changes);
        if (this.options.maxHops > 0 && hopsAway !== undefined && hopsAway > this.options.maxHops) {
            this.counters.filtered++;
            return changes.events();
        }
        return { node: this.heard(from, nowMs, seen.entry, changes), entry: seen.entry, changes };
    }

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
        this.setRadio(node, entry, changes, isNew);
        updatePresence(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status', isNew);
        return node;
    }

    /** A late copy of the node's last packet through another gateway: gateway count / RF metrics may improve. */
    private updateRadioFromDuplicate(from: number, entry: Readonly<DedupEntry>, changes: ChangeSet): void {
        const node = this.store.get(from);
        if (node !== undefined && node.lastPacketId === entry.id) {
            this.setRadio(node, entry, changes, false);
        }
    }

    private setRadio(node: NodeRecord, entry: Readonly<DedupEntry>, changes: ChangeSet, isNew: boolean): void {
        const radio = radioOf(entry);
        if (!shallowEqual(node.radio, radio)) {
            node.radio = radio;
            changes.mark(node, 'radio', isNew);
        }
    }
}
