"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MeshModel = exports.MAX_EXTRA_CHANNELS = exports.MAX_UNKNOWN_CHANNELS = void 0;
exports.precisionRadiusMeters = precisionRadiusMeters;
/**
 * The mesh model: turns decoded (and opaque) packets into node records, channel messages and events.
 * Pure: no ioBroker, no I/O, no timers; time comes in as epoch ms. Every cache is bounded.
 */
const node_buffer_1 = require("node:buffer");
const types_1 = require("../codec/types");
const dedup_1 = require("./dedup");
const node_store_1 = require("./node-store");
const presence_1 = require("./presence");
const util_1 = require("./util");
/** Distinct unknown channels (channel id + hash) remembered; the least recently seen is dropped first. */
exports.MAX_UNKNOWN_CHANNELS = 256;
/** Channels seen in packets besides the configured ones (unencrypted envelopes may name any channel). */
exports.MAX_EXTRA_CHANNELS = 32;
/** Configured channel names taken from the constructor. */
const MAX_CONFIGURED_CHANNELS = 64;
const MAX_HOPS = 7;
/** Collects what one call changed, so each node gets at most one `node` event with all its sections. */
class ChangeSet {
    pending = new Map();
    removals = [];
    others = [];
    mark(node, section, isNew = false) {
        let entry = this.pending.get(node.num);
        if (entry === undefined || entry.node !== node) {
            entry = { node, sections: new Set(), isNew };
            this.pending.set(node.num, entry);
        }
        else if (isNew) {
            entry.isNew = true;
        }
        entry.sections.add(section);
    }
    removed(node, reason) {
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
    push(event) {
        this.others.push(event);
    }
    /** Removals first, then node events (so objects exist), then messages and unknown-channel events. */
    events() {
        const out = [...this.removals];
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
function precisionRadiusMeters(precisionBits) {
    if (!(precisionBits > 0) || precisionBits >= 32) {
        return 0;
    }
    return Math.round(2 ** (31 - Math.floor(precisionBits)) * 1e-7 * 111_320);
}
function validLatLon(latitude, longitude) {
    return (latitude !== undefined &&
        longitude !== undefined &&
        Math.abs(latitude) <= 90 &&
        Math.abs(longitude) <= 180 &&
        !(latitude === 0 && longitude === 0));
}
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
function displayName(node) {
    return node.user?.longName || node.user?.shortName || node.id;
}
function publicKeyBase64(key) {
    return key instanceof Uint8Array && key.length === 32 ? node_buffer_1.Buffer.from(key).toString('base64') : undefined;
}
class MeshModel {
    options;
    store;
    dedup;
    offlineAfterMs;
    ownId;
    configuredChannels = new Map();
    /** Channels named by packets but not configured; least recently used first. */
    extraChannels = new Map();
    /** Keyed by `channelId NUL hash`; least recently seen first. */
    unknown = new Map();
    counters = {
        received: 0,
        decoded: 0,
        duplicates: 0,
        undecryptable: 0,
        invalid: 0,
        ignored: 0,
        unknownChannels: 0,
        filtered: 0,
    };
    hopLimitRewrite = false;
    constructor(options, channelNames) {
        const int = (value, min, fallback) => Number.isFinite(value) ? Math.max(min, Math.floor(value)) : fallback;
        this.options = {
            maxNodes: int(options.maxNodes, 1, 500),
            offlineMinutes: Number.isFinite(options.offlineMinutes) ? Math.max(0, options.offlineMinutes) : 120,
            purgeDays: Number.isFinite(options.purgeDays) ? Math.max(0, options.purgeDays) : 0,
            allowList: options.allowList ?? new Set(),
            maxHops: int(options.maxHops, 0, 0),
            historySize: int(options.historySize, 1, 20),
            dedupWindowMs: Number.isFinite(options.dedupWindowMs) ? Math.max(0, options.dedupWindowMs) : 600_000,
            ownNodeNum: (0, util_1.isRealNodeNum)(options.ownNodeNum) ? options.ownNodeNum >>> 0 : 0,
            dedupMaxEntries: int(options.dedupMaxEntries ?? dedup_1.DEFAULT_DEDUP_MAX_ENTRIES, 1, dedup_1.DEFAULT_DEDUP_MAX_ENTRIES),
        };
        this.store = new node_store_1.NodeStore(this.options.maxNodes, this.options.historySize);
        this.dedup = new dedup_1.PacketDeduplicator(this.options.dedupWindowMs, this.options.dedupMaxEntries);
        this.offlineAfterMs = (0, presence_1.offlineMs)(this.options.offlineMinutes);
        this.ownId = this.options.ownNodeNum !== 0 ? (0, util_1.nodeIdOf)(this.options.ownNodeNum) : undefined;
        for (const raw of channelNames ?? []) {
            const name = (0, util_1.sanitizeLabel)(raw, util_1.MAX_CHANNEL_NAME);
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
    ingest(packet, nowMs) {
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
        this.counters.decoded++;
        const changes = new ChangeSet();
        const gatewayNum = (0, util_1.parseNodeId)(packet.gatewayId);
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
    ingestOpaque(packet, nowMs) {
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
        this.counters.undecryptable++;
        const changes = new ChangeSet();
        const gatewayNum = (0, util_1.parseNodeId)(packet.gatewayId);
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
    countInvalid() {
        this.counters.received++;
        this.counters.invalid++;
    }
    /** Counts a message on a topic that is no Meshtastic packet (another client's traffic): received and ignored. */
    countIgnored() {
        this.counters.received++;
        this.counters.ignored++;
    }
    /** Recomputes every node's presence; a `node` event with section `status` for each that changed. O(n). */
    tick(nowMs) {
        const events = [];
        for (const node of this.store.values()) {
            if ((0, presence_1.updatePresence)(node, nowMs, this.offlineAfterMs)) {
                events.push({ type: 'node', node, sections: new Set(['status']), isNew: false });
            }
        }
        this.dedup.sweep(nowMs);
        return events;
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
        return [...this.configuredChannels.values(), ...this.extraChannels.values()];
    }
    /** Unknown channels, most packets first. */
    unknownChannels() {
        return [...this.unknown.values()].sort((a, b) => b.packets - a.packets || b.lastSeen - a.lastSeen);
    }
    /** Seeds nodes from persisted records without events (see `NodeStore.restore`); returns how many were taken. */
    restore(records) {
        const own = this.options.ownNodeNum;
        return this.store.restore(own === 0 ? records : records.filter(r => r?.num !== own));
    }
    /**
     * True once a gateway's own packet arrived with hop_limit 0 < hop_start: the broker rewrites hop_limit
     * (public server zero-hop policy, spec §7). From then on hops of packets with hop_limit 0 are unknown.
     */
    hopLimitRewritten() {
        return this.hopLimitRewrite;
    }
    // ---- internals ---------------------------------------------------------------------------------
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
    detectHopLimitRewrite(h, selfUplink) {
        if (!this.hopLimitRewrite && selfUplink && h.hopLimit === 0 && h.hopStart > 0 && h.hopStart <= MAX_HOPS) {
            this.hopLimitRewrite = true;
        }
    }
    /** hop_start − hop_limit when valid (`getHopsAway`): 0 for a gateway's own packet. */
    hopsAway(h, bitfield, selfUplink) {
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
        const radio = radioOf(entry);
        if (!(0, util_1.shallowEqual)(node.radio, radio)) {
            node.radio = radio;
            changes.mark(node, 'radio', isNew);
        }
        (0, presence_1.updatePresence)(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status', isNew);
        return node;
    }
    /** A late copy of the node's last packet through another gateway: gateway count / RF metrics may improve. */
    updateRadioFromDuplicate(from, entry, changes) {
        const node = this.store.get(from);
        if (node === undefined || node.lastPacketId !== entry.id) {
            return;
        }
        const radio = radioOf(entry);
        if (!(0, util_1.shallowEqual)(node.radio, radio)) {
            node.radio = radio;
            changes.mark(node, 'radio');
        }
    }
    applyUser(node, user, changes) {
        // user.id is ignored on purpose: the id is always the sender's `from`; names are data only.
        const next = {
            longName: (0, util_1.sanitizeLabel)(user.longName, util_1.MAX_LONG_NAME),
            shortName: (0, util_1.sanitizeLabel)(user.shortName, util_1.MAX_SHORT_NAME),
            hwModel: (0, util_1.sanitizeLabel)(user.hwModel, util_1.MAX_LABEL),
            role: (0, util_1.sanitizeLabel)(user.role, util_1.MAX_LABEL),
            isLicensed: user.isLicensed === true,
            isUnmessagable: user.isUnmessagable === true,
        };
        const key = publicKeyBase64(user.publicKey);
        if (key !== undefined) {
            next.publicKey = key;
        }
        if (!(0, util_1.shallowEqual)(node.user, next)) {
            node.user = next;
            changes.mark(node, 'info');
        }
    }
    applyPosition(node, position, changes) {
        const latitude = (0, util_1.finite)(position.latitude);
        const longitude = (0, util_1.finite)(position.longitude);
        if (!validLatLon(latitude, longitude)) {
            return; // no fix: keep the last known position
        }
        const precisionBits = (0, util_1.finite)(position.precisionBits) ?? 32;
        const next = {
            latitude,
            longitude,
            precisionBits,
            accuracyMeters: (0, util_1.finite)(position.accuracyMeters) ?? precisionRadiusMeters(precisionBits),
        };
        for (const key of ['altitude', 'time', 'groundSpeed', 'groundTrack', 'satsInView']) {
            const n = (0, util_1.finite)(position[key]);
            if (n !== undefined) {
                next[key] = n;
            }
        }
        if (!(0, util_1.shallowEqual)(node.position, next)) {
            node.position = next;
            changes.mark(node, 'position');
        }
    }
    applyTelemetry(node, telemetry, changes) {
        const variant = telemetry.variant;
        if (!(0, types_1.isTelemetryVariant)(variant) || typeof telemetry.metrics !== 'object' || telemetry.metrics === null) {
            return;
        }
        const current = node.telemetry[variant];
        const next = { ...current };
        let count = Object.keys(next).length;
        let changed = false;
        for (const [name, value] of Object.entries(telemetry.metrics)) {
            const n = (0, util_1.finite)(value);
            if (n === undefined || !node_store_1.METRIC_NAME.test(name)) {
                continue;
            }
            const known = Object.prototype.hasOwnProperty.call(next, name);
            if (!known && count >= node_store_1.MAX_METRICS_PER_VARIANT) {
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
    applyNeighbors(node, info, changes) {
        const next = [];
        for (const n of Array.isArray(info.neighbors) ? info.neighbors.slice(0, node_store_1.MAX_NEIGHBORS) : []) {
            const nodeId = (0, util_1.finite)(n.nodeId);
            if (nodeId !== undefined) {
                next.push({ nodeId: nodeId >>> 0, id: (0, util_1.nodeIdOf)(nodeId), snr: (0, util_1.finite)(n.snr) ?? 0 });
            }
        }
        const current = node.neighbors;
        const same = current !== undefined &&
            current.length === next.length &&
            current.every((c, i) => c.nodeId === next[i].nodeId && c.snr === next[i].snr);
        if (!same) {
            node.neighbors = next;
            changes.mark(node, 'neighbors');
        }
    }
    applyMapReport(node, report, nowMs, changes) {
        // A map report is published by the node itself: it is MQTT-present.
        node.lastMqtt = nowMs;
        (0, presence_1.updatePresence)(node, nowMs, this.offlineAfterMs);
        changes.mark(node, 'status');
        const previous = node.user;
        // Empty fields in the report keep what is known (NodeInfo is the richer source).
        const nextUser = {
            longName: (0, util_1.sanitizeLabel)(report.longName, util_1.MAX_LONG_NAME) || previous?.longName || '',
            shortName: (0, util_1.sanitizeLabel)(report.shortName, util_1.MAX_SHORT_NAME) || previous?.shortName || '',
            hwModel: (0, util_1.sanitizeLabel)(report.hwModel, util_1.MAX_LABEL) || previous?.hwModel || '',
            role: (0, util_1.sanitizeLabel)(report.role, util_1.MAX_LABEL) || previous?.role || '',
            isLicensed: previous?.isLicensed ?? false,
            isUnmessagable: previous?.isUnmessagable ?? false,
        };
        if (previous?.publicKey !== undefined) {
            nextUser.publicKey = previous.publicKey;
        }
        let infoChanged = false;
        if (!(0, util_1.shallowEqual)(previous, nextUser)) {
            node.user = nextUser;
            infoChanged = true;
        }
        for (const [key, raw] of [
            ['firmware', report.firmwareVersion],
            ['region', report.region],
            ['modemPreset', report.modemPreset],
        ]) {
            const value = (0, util_1.sanitizeLabel)(raw, util_1.MAX_LABEL);
            if (value && node[key] !== value) {
                node[key] = value;
                infoChanged = true;
            }
        }
        const online = (0, util_1.finite)(report.numOnlineLocalNodes);
        if (online !== undefined && node.numOnlineLocalNodes !== online) {
            node.numOnlineLocalNodes = online;
            infoChanged = true;
        }
        if (infoChanged) {
            changes.mark(node, 'info');
        }
        const latitude = (0, util_1.finite)(report.latitude);
        const longitude = (0, util_1.finite)(report.longitude);
        if (validLatLon(latitude, longitude)) {
            const precision = (0, util_1.finite)(report.positionPrecision) ?? 0;
            const precisionBits = precision > 0 && precision <= 32 ? Math.floor(precision) : 32;
            const next = {
                latitude,
                longitude,
                precisionBits,
                accuracyMeters: precisionRadiusMeters(precisionBits),
            };
            const altitude = (0, util_1.finite)(report.altitude);
            if (altitude !== undefined) {
                next.altitude = altitude;
            }
            if (!(0, util_1.shallowEqual)(node.position, next)) {
                node.position = next;
                changes.mark(node, 'position');
            }
        }
    }
    applyText(node, packet, text, entry, nowMs, changes) {
        const h = packet.header;
        const to = h.to >>> 0;
        const direct = !(0, util_1.isBroadcast)(to);
        const channel = packet.encryption === 'pki'
            ? 'PKI'
            : (0, util_1.sanitizeLabel)(packet.channelName, util_1.MAX_CHANNEL_NAME) ||
                (0, util_1.sanitizeLabel)(packet.channelId, util_1.MAX_CHANNEL_NAME) ||
                'unknown';
        const message = {
            id: h.id >>> 0,
            from: node.num,
            fromId: node.id,
            fromName: displayName(node),
            to,
            channel,
            text: (0, util_1.sanitizeText)(text),
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
        (0, node_store_1.pushBounded)(record.history, message, this.options.historySize);
        changes.push({ type: 'channelMessage', channel: record, message });
    }
    channelRecord(name) {
        const configured = this.configuredChannels.get(name);
        if (configured !== undefined) {
            return configured;
        }
        let record = this.extraChannels.get(name);
        if (record !== undefined) {
            this.extraChannels.delete(name);
        }
        else {
            if (this.extraChannels.size >= exports.MAX_EXTRA_CHANNELS) {
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
    recordUnknownChannel(packet, nowMs, changes) {
        const channelId = (0, util_1.sanitizeLabel)(packet.channelId, util_1.MAX_CHANNEL_NAME);
        const channelHash = (packet.header.channel >>> 0) & 0xff;
        const key = `${channelId}\u0000${channelHash}`;
        let record = this.unknown.get(key);
        const firstSeen = record === undefined;
        if (record !== undefined) {
            this.unknown.delete(key);
        }
        else {
            if (this.unknown.size >= exports.MAX_UNKNOWN_CHANNELS) {
                const oldest = this.unknown.keys().next();
                if (!oldest.done) {
                    this.unknown.delete(oldest.value);
                }
            }
            record = { channelId, channelHash, packets: 0, lastGateway: '', lastSeen: 0 };
        }
        record.packets++;
        record.lastGateway = (0, util_1.sanitizeLabel)(packet.gatewayId, util_1.MAX_LABEL);
        record.lastSeen = nowMs;
        this.unknown.set(key, record);
        this.counters.unknownChannels = this.unknown.size;
        changes.push({ type: 'unknownChannel', record, firstSeen });
    }
}
exports.MeshModel = MeshModel;
