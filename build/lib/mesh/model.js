"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MeshModel = void 0;
/**
 * (Over 400 lines: admission, dispatch and the model's queries are one public surface; the payloads are in handlers/.)
 *
 * The mesh model: turns decoded (and opaque) packets into node records, channel messages and events.
 * Pure: no ioBroker, no I/O, no timers; time comes in as epoch ms. Every cache is bounded.
 * Every packet passes one admission step (`admit`); what it carries is applied by the handler of its payload type.
 */
const portnums_1 = require("../codec/portnums");
const change_set_1 = require("./change-set");
const channels_1 = require("./channels");
const dedup_1 = require("./dedup");
const alert_1 = require("./handlers/alert");
const detection_1 = require("./handlers/detection");
const map_report_1 = require("./handlers/map-report");
const neighbors_1 = require("./handlers/neighbors");
const nodeinfo_1 = require("./handlers/nodeinfo");
const paxcounter_1 = require("./handlers/paxcounter");
const position_1 = require("./handlers/position");
const range_test_1 = require("./handlers/range-test");
const telemetry_1 = require("./handlers/telemetry");
const text_1 = require("./handlers/text");
const traceroute_1 = require("./handlers/traceroute");
const waypoint_1 = require("./handlers/waypoint");
const hops_1 = require("./hops");
const node_store_1 = require("./node-store");
const packet_records_1 = require("./packet-records");
const presence_1 = require("./presence");
const util_1 = require("./util");
const waypoints_1 = require("./waypoints");
function radioOf(entry) {
    const radio = {
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
class MeshModel {
    options;
    store;
    dedup;
    hops = new hops_1.HopCounter();
    offlineAfterMs;
    ownId;
    channelRegistry;
    unknown = new channels_1.UnknownChannels();
    textSinks;
    waypointStore;
    detectionAlarmMs;
    counters = {
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
    constructor(options, channelNames) {
        this.options = options;
        this.store = new node_store_1.NodeStore(options.maxNodes, options.historySize);
        this.dedup = new dedup_1.PacketDeduplicator(options.dedupWindowMs, options.dedupMaxEntries ?? dedup_1.DEFAULT_DEDUP_MAX_ENTRIES);
        this.offlineAfterMs = (0, presence_1.offlineMs)(options.offlineMinutes);
        this.ownId = options.ownNodeNum !== 0 ? (0, util_1.nodeIdOf)(options.ownNodeNum) : undefined;
        this.channelRegistry = new channels_1.ChannelRegistry(channelNames);
        this.textSinks = { store: this.store, channels: this.channelRegistry, historySize: options.historySize };
        this.waypointStore = new waypoints_1.WaypointStore(options.maxWaypoints ?? waypoints_1.DEFAULT_MAX_WAYPOINTS);
        this.detectionAlarmMs = options.detectionAlarmMs ?? packet_records_1.DEFAULT_DETECTION_ALARM_MS;
    }
    /**
     * A decoded packet. Returns what changed. Own echoes (from our node, or published under our gateway id) are
     * dropped without counting. Counts `received` and then `decoded` (or `invalid` for an impossible sender); a
     * packet with `payloadError` is still used (its payload is raw), so it is `decoded`, never also `invalid`.
     */
    ingest(packet, nowMs) {
        const admitted = this.admit(packet, 'decoded', packet.data.bitfield, nowMs);
        if (!('node' in admitted)) {
            return admitted;
        }
        const { node, entry, changes } = admitted;
        const payload = packet.payload;
        switch (payload.type) {
            case 'nodeinfo':
                (0, nodeinfo_1.applyUser)(node, payload.user, changes);
                break;
            case 'position':
                (0, position_1.applyPosition)(node, payload.position, changes);
                break;
            case 'telemetry':
                (0, telemetry_1.applyTelemetry)(node, payload.telemetry, changes);
                break;
            case 'neighborinfo':
                (0, neighbors_1.applyNeighbors)(node, payload.neighborInfo, changes);
                break;
            case 'mapreport':
                (0, map_report_1.applyMapReport)(node, payload.mapReport, nowMs, this.offlineAfterMs, changes);
                break;
            case 'text':
                (0, text_1.applyText)(node, packet, payload.text, entry, nowMs, changes, this.textSinks);
                break;
            case 'alert':
                (0, alert_1.applyAlert)(node, packet, payload.text, entry, nowMs, changes, this.textSinks);
                break;
            case 'traceroute':
                (0, traceroute_1.applyTraceroute)(node, packet, payload.traceroute, nowMs, changes, this.store);
                break;
            case 'waypoint':
                (0, waypoint_1.applyWaypoint)(node, payload.waypoint, nowMs, changes, this.waypointStore);
                break;
            case 'paxcounter':
                (0, paxcounter_1.applyPaxcounter)(node, payload.paxcounter, changes);
                break;
            case 'detection':
                (0, detection_1.applyDetection)(node, payload.text, nowMs, changes);
                break;
            case 'rangetest':
                (0, range_test_1.applyRangeTest)(node, payload.text, entry, nowMs, changes);
                break;
            case 'raw':
                if (payload.portnum === portnums_1.PortNum.TEXT_MESSAGE_COMPRESSED_APP) {
                    // unishox2: no maintained decoder of the firmware's format; counted (the pipeline logs once)
                    this.counters.compressedTexts++;
                }
                break;
            default:
                // routing, store&forward…: the packet still counts as heard
                break;
        }
        if (packet.encryption === 'pki') {
            (0, nodeinfo_1.learnPublicKey)(node, packet.header.publicKey, changes);
        }
        return changes.events();
    }
    /**
     * A packet we could not decrypt. Its header still shows the sender is alive (lastHeard, radio, presence) and
     * which gateway uplinked it. For reason `decrypt` the channel (envelope channel id + 8-bit hash) is recorded as
     * unknown and an `unknownChannel` event is emitted for every non-duplicate packet, `firstSeen` on the first.
     */
    ingestOpaque(packet, nowMs) {
        const onFresh = packet.reason === 'decrypt'
            ? (changes) => {
                const { record, firstSeen } = this.unknown.record(packet, nowMs);
                this.counters.unknownChannels = this.unknown.size;
                changes.push({ type: 'unknownChannel', record, firstSeen });
            }
            : undefined;
        const admitted = this.admit(packet, 'undecryptable', undefined, nowMs, onFresh);
        return 'node' in admitted ? admitted.changes.events() : admitted;
    }
    /** Counts a message that could not be used at all (bad topic, envelope, JSON…): received and invalid. */
    countInvalid() {
        this.counters.received++;
        this.counters.invalid++;
    }
    /** Counts a message on a topic that is no Meshtastic packet (another client's traffic): received and ignored. */
    countIgnored() {
        this.counters.received++;
        this.counters.ignored++;
    }
    /**
     * Recomputes every node's presence and turns off detection alarms that are due: a `node` event with the sections
     * that changed (`status`, `detection`) for each node; then removes expired waypoints. O(n).
     */
    tick(nowMs) {
        const events = [];
        for (const node of this.store.values()) {
            const presence = (0, presence_1.updatePresence)(node, nowMs, this.offlineAfterMs);
            const detection = (0, detection_1.expireDetection)(node, nowMs, this.detectionAlarmMs);
            if (presence || detection) {
                const sections = new Set();
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
    expireDetections(nowMs) {
        const events = [];
        for (const node of this.store.values()) {
            if ((0, detection_1.expireDetection)(node, nowMs, this.detectionAlarmMs)) {
                events.push({ type: 'node', node, sections: new Set(['detection']), isNew: false });
            }
        }
        return events;
    }
    /** How long a detection alarm stays on. */
    get detectionAlarmDuration() {
        return this.detectionAlarmMs;
    }
    /** Seeds stored waypoints (see `WaypointStore.restore`); returns the ids taken. */
    restoreWaypoints(records) {
        return this.waypointStore.restore(records);
    }
    /** Waypoints, least recently updated first. Do not mutate. */
    waypoints() {
        return this.waypointStore.list();
    }
    /** Removes nodes unheard for `purgeDays` (0 = never): a `nodeRemoved` event (reason `purge`) each. */
    purge(nowMs) {
        this.dedup.sweep(nowMs);
        return this.store
            .purge(nowMs, this.options.purgeDays)
            .map(node => ({ type: 'nodeRemoved', num: node.num, hex: node.hex, reason: 'purge' }));
    }
    /** A copy of the counters. */
    stats() {
        return { ...this.counters, unknownChannels: this.unknown.size };
    }
    /** Live records, least recently heard first. Do not mutate; do not keep across calls into the model. */
    nodes() {
        return this.store.values();
    }
    nodeCount() {
        return this.store.size;
    }
    node(num) {
        return this.store.get(num >>> 0);
    }
    /** See `NodeStore.findByQuery`: number / `!hex` / hex suffix / name substring, best first. */
    findNodes(query, limit) {
        return this.store.findByQuery(query, limit);
    }
    /** Configured channels (in configuration order), then channels seen in packets. */
    channels() {
        return this.channelRegistry.list();
    }
    /** Unknown channels, most packets first. */
    unknownChannels() {
        return this.unknown.list();
    }
    /** Seeds nodes from persisted records without events (see `NodeStore.restore`); returns how many were taken. */
    restore(records) {
        const own = this.options.ownNodeNum;
        return this.store.restore(own === 0 ? records : records.filter(r => r?.num !== own));
    }
    /** See `HopCounter.hopLimitRewritten`. */
    hopLimitRewritten() {
        return this.hops.hopLimitRewritten;
    }
    // ---- admission ---------------------------------------------------------------------------------
    /**
     * The one admission step of every packet, in this order: own echo (dropped uncounted), counted as received,
     * impossible sender (invalid), counted as `kind`, the gateway is heard, allow-list, dedup (a duplicate may only
     * improve the radio record), `onFresh` (opaque packets record their channel), max hops, the sender is heard.
     * Returns the events so far when the packet stops, else the sender's record for the payload handler.
     */
    admit(packet, kind, bitfield, nowMs, onFresh) {
        const h = packet.header;
        const from = h.from >>> 0;
        if (this.isOwnEcho(from, packet.gatewayId)) {
            return [];
        }
        this.counters.received++;
        if (!(0, util_1.isRealNodeNum)(from)) {
            this.counters.invalid++;
            return [];
        }
        this.counters[kind]++;
        const changes = new change_set_1.ChangeSet();
        const gatewayNum = (0, util_1.parseNodeId)(packet.gatewayId);
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
        const seen = this.dedup.observe({
            from,
            id: h.id >>> 0,
            gatewayId: packet.gatewayId,
            viaMqtt: h.viaMqtt,
            rxSnr: h.rxSnr,
            rxRssi: h.rxRssi,
            hopsAway,
        }, nowMs);
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
    isOwnEcho(from, gatewayId) {
        if (this.options.ownNodeNum === 0) {
            return false;
        }
        return (from === this.options.ownNodeNum ||
            (typeof gatewayId === 'string' && gatewayId.toLowerCase() === this.ownId));
    }
    allowed(num) {
        return this.options.allowList.size === 0 || this.options.allowList.has(num);
    }
    getOrCreate(num, nowMs, changes) {
        const { node, isNew, evicted } = this.store.getOrCreate(num, nowMs);
        if (evicted !== undefined) {
            changes.removed(evicted, 'maxNodes');
        }
        return { node, isNew };
    }
    /** The envelope's gateway uplinks, so it is alive and MQTT-present. */
    touchGateway(num, nowMs, changes) {
        if (!(0, util_1.isRealNodeNum)(num) || num === this.options.ownNodeNum || !this.allowed(num)) {
            return;
        }
        const { node, isNew } = this.getOrCreate(num, nowMs, changes);
        this.store.touch(node, nowMs);
        node.lastMqtt = nowMs;
        (0, presence_1.updatePresence)(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status', isNew);
    }
    /** The sender of a new (non-duplicate) packet. */
    heard(from, nowMs, entry, changes) {
        const { node, isNew } = this.getOrCreate(from, nowMs, changes);
        this.store.touch(node, nowMs);
        node.packets++;
        node.lastPacketId = entry.id;
        this.setRadio(node, entry, changes, isNew);
        (0, presence_1.updatePresence)(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status', isNew);
        return node;
    }
    /** A late copy of the node's last packet through another gateway: gateway count / RF metrics may improve. */
    updateRadioFromDuplicate(from, entry, changes) {
        const node = this.store.get(from);
        if (node !== undefined && node.lastPacketId === entry.id) {
            this.setRadio(node, entry, changes, false);
        }
    }
    setRadio(node, entry, changes, isNew) {
        const radio = radioOf(entry);
        if (!(0, util_1.shallowEqual)(node.radio, radio)) {
            node.radio = radio;
            changes.mark(node, 'radio', isNew);
        }
    }
}
exports.MeshModel = MeshModel;
