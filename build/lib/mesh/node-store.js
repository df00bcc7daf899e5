"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NodeStore = exports.METRIC_NAME = exports.MAX_METRICS_PER_VARIANT = exports.MAX_NEIGHBORS = void 0;
exports.newNodeRecord = newNodeRecord;
exports.pushBounded = pushBounded;
exports.sanitizeRecord = sanitizeRecord;
/**
 * The bounded set of known nodes, in least-recently-heard-first order: touching a node moves it to the newest end,
 * so the oldest end is always the eviction candidate (O(1)). Pure: no events, no timers; the model turns results
 * into events.
 */
const types_1 = require("../codec/types");
const linked_map_1 = require("./linked-map");
const util_1 = require("./util");
exports.MAX_NEIGHBORS = 32;
/** Metrics kept per telemetry variant (the schema has fewer; this guards against odd input). */
exports.MAX_METRICS_PER_VARIANT = 64;
const DAY_MS = 86_400_000;
const PRESENCES = ['mqtt', 'rf', 'offline'];
/** A metric name as produced by protobuf-es (camelCase); excludes `__proto__` and friends. */
exports.METRIC_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
function newNodeRecord(num, nowMs) {
    return {
        num,
        id: (0, util_1.nodeIdOf)(num),
        hex: (0, util_1.hexOf)(num),
        telemetry: {},
        lastHeard: nowMs,
        lastMqtt: 0,
        presence: 'offline',
        history: [],
        packets: 0,
    };
}
class NodeStore {
    nodes = new linked_map_1.LinkedMap();
    maxNodes;
    historySize;
    constructor(maxNodes, historySize) {
        this.maxNodes = Math.max(1, Math.floor(Number.isFinite(maxNodes) ? maxNodes : 1));
        this.historySize = Math.max(1, Math.floor(Number.isFinite(historySize) ? historySize : 1));
    }
    get size() {
        return this.nodes.size;
    }
    get(num) {
        return this.nodes.get(num);
    }
    has(num) {
        return this.nodes.has(num);
    }
    /** Nodes, least recently heard first. */
    values() {
        return this.nodes.values();
    }
    list() {
        return [...this.nodes.values()];
    }
    /**
     * The node `num`, created (with `lastHeard = nowMs`) when unknown. Creating into a full store evicts the least
     * recently heard node first. An existing node is returned untouched (call `touch`).
     */
    getOrCreate(num, nowMs) {
        const existing = this.nodes.get(num);
        if (existing !== undefined) {
            return { node: existing, isNew: false };
        }
        let evicted;
        if (this.nodes.size >= this.maxNodes) {
            evicted = this.nodes.shift();
        }
        const node = newNodeRecord(num, nowMs);
        this.nodes.set(num, node);
        return evicted ? { node, isNew: true, evicted } : { node, isNew: true };
    }
    /** Marks the node heard now: sets `lastHeard` and moves it to the most recently heard end. */
    touch(node, nowMs) {
        node.lastHeard = nowMs;
        if (this.nodes.get(node.num) === node) {
            this.nodes.touch(node.num);
        }
    }
    remove(num) {
        return this.nodes.delete(num);
    }
    /** Removes nodes unheard for more than `purgeDays` days (0 = never); returns them. O(n). */
    purge(nowMs, purgeDays) {
        if (!(purgeDays > 0)) {
            return [];
        }
        const limit = purgeDays * DAY_MS;
        const removed = [];
        for (const node of this.nodes.values()) {
            if (nowMs - node.lastHeard > limit) {
                removed.push(node);
            }
        }
        for (const node of removed) {
            this.nodes.delete(node.num);
        }
        return removed;
    }
    /** Appends to the node's bounded text history (newest last) and sets `lastText`. */
    pushText(node, message) {
        node.lastText = message;
        pushBounded(node.history, message, this.historySize);
    }
    /**
     * Nodes matching a user query, best first: exact number (`!a1b2c3d4`, `a1b2c3d4`, decimal `2712847316`),
     * then hex suffix of 4–7 digits (`c3d4`), then exact name, then case-insensitive substring of long or short name.
     * Ties: most recently heard first. At most `limit` results.
     */
    findByQuery(query, limit = 100) {
        const q = typeof query === 'string' ? query.trim().toLowerCase() : '';
        if (q.length === 0 || q.length > 64) {
            return [];
        }
        const bare = q.startsWith('!') ? q.slice(1) : q;
        const exact = new Set();
        if (/^[0-9a-f]{8}$/.test(bare)) {
            exact.add(parseInt(bare, 16) >>> 0);
        }
        if (!q.startsWith('!') && /^\d{1,10}$/.test(q) && Number(q) <= 0xffffffff) {
            exact.add(Number(q));
        }
        const suffix = /^[0-9a-f]{4,7}$/.test(bare) ? bare : undefined;
        const hits = [];
        for (const node of this.nodes.values()) {
            let score = -1;
            if (exact.has(node.num)) {
                score = 0;
            }
            else if (suffix !== undefined && node.hex.endsWith(suffix)) {
                score = 1;
            }
            else if (node.user) {
                const long = node.user.longName.toLowerCase();
                const short = node.user.shortName.toLowerCase();
                if (long === q || short === q) {
                    score = 2;
                }
                else if (long.includes(q) || short.includes(q)) {
                    score = 3;
                }
            }
            if (score >= 0) {
                hits.push({ node, score });
            }
        }
        hits.sort((a, b) => a.score - b.score || b.node.lastHeard - a.node.lastHeard);
        return hits.slice(0, Math.max(0, limit)).map(h => h.node);
    }
    /**
     * Seeds the store from persisted records (e.g. at adapter start), without events. Every record is validated and
     * copied (ids recomputed from `num`, names re-sanitised, histories cut to `historySize`); invalid ones are
     * skipped. When more than `maxNodes` are given, the most recently heard are kept. Existing nodes with the same
     * number are replaced. Returns the number of records taken.
     */
    restore(records) {
        if (!Array.isArray(records)) {
            return 0;
        }
        const valid = [];
        for (const raw of records) {
            const record = sanitizeRecord(raw, this.historySize);
            if (record) {
                valid.push(record);
            }
        }
        valid.sort((a, b) => a.lastHeard - b.lastHeard);
        const merged = new Map();
        for (const node of this.nodes.values()) {
            merged.set(node.num, node);
        }
        for (const record of valid) {
            // Sorted by lastHeard: of two records for one node, the more recent wins.
            merged.set(record.num, record);
        }
        const ordered = [...merged.values()].sort((a, b) => a.lastHeard - b.lastHeard);
        this.nodes.clear();
        for (const node of ordered.slice(Math.max(0, ordered.length - this.maxNodes))) {
            this.nodes.set(node.num, node);
        }
        return valid.filter(record => this.nodes.get(record.num) === record).length;
    }
}
exports.NodeStore = NodeStore;
/** Appends and drops from the front beyond `max` (newest last). */
function pushBounded(list, item, max) {
    list.push(item);
    if (list.length > max) {
        list.splice(0, list.length - max);
    }
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function sanitizeUser(raw) {
    if (!isObject(raw)) {
        return undefined;
    }
    const user = {
        longName: (0, util_1.sanitizeLabel)(raw.longName, util_1.MAX_LONG_NAME),
        shortName: (0, util_1.sanitizeLabel)(raw.shortName, util_1.MAX_SHORT_NAME),
        hwModel: (0, util_1.sanitizeLabel)(raw.hwModel, util_1.MAX_LABEL),
        role: (0, util_1.sanitizeLabel)(raw.role, util_1.MAX_LABEL),
        isLicensed: raw.isLicensed === true,
        isUnmessagable: raw.isUnmessagable === true,
    };
    if (typeof raw.publicKey === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(raw.publicKey)) {
        user.publicKey = raw.publicKey;
    }
    return user;
}
function sanitizeMetrics(raw) {
    if (!isObject(raw)) {
        return undefined;
    }
    const out = {};
    let count = 0;
    for (const [key, value] of Object.entries(raw)) {
        const n = (0, util_1.finite)(value);
        if (n !== undefined && exports.METRIC_NAME.test(key) && count < exports.MAX_METRICS_PER_VARIANT) {
            out[key] = n;
            count++;
        }
    }
    return count > 0 ? out : undefined;
}
function sanitizeMessage(raw) {
    if (!isObject(raw) || typeof raw.text !== 'string') {
        return undefined;
    }
    const from = (0, util_1.finite)(raw.from) ?? 0;
    const encryption = raw.encryption === 'none' || raw.encryption === 'pki' ? raw.encryption : 'channel';
    const message = {
        id: ((0, util_1.finite)(raw.id) ?? 0) >>> 0,
        from: from >>> 0,
        fromId: (0, util_1.nodeIdOf)(from),
        fromName: (0, util_1.sanitizeLabel)(raw.fromName, util_1.MAX_LONG_NAME) || (0, util_1.nodeIdOf)(from),
        to: ((0, util_1.finite)(raw.to) ?? 0) >>> 0,
        channel: (0, util_1.sanitizeLabel)(raw.channel, util_1.MAX_LABEL),
        text: (0, util_1.sanitizeText)(raw.text),
        time: (0, util_1.finite)(raw.time) ?? 0,
        direct: raw.direct === true,
        gateway: (0, util_1.sanitizeLabel)(raw.gateway, util_1.MAX_LABEL),
        viaMqtt: raw.viaMqtt === true,
        encryption,
    };
    const optional = [
        'rxSnr',
        'rxRssi',
        'hopsAway',
        'replyId',
        'emoji',
    ];
    for (const key of optional) {
        const n = (0, util_1.finite)(raw[key]);
        if (n !== undefined) {
            message[key] = n;
        }
    }
    return message;
}
function sanitizeRadio(raw) {
    if (!isObject(raw)) {
        return undefined;
    }
    const radio = {
        viaMqtt: raw.viaMqtt === true,
        gateway: (0, util_1.sanitizeLabel)(raw.gateway, util_1.MAX_LABEL),
        gatewayCount: Math.max(0, Math.floor((0, util_1.finite)(raw.gatewayCount) ?? 0)),
    };
    const snr = (0, util_1.finite)(raw.snr);
    const rssi = (0, util_1.finite)(raw.rssi);
    const hops = (0, util_1.finite)(raw.hopsAway);
    if (snr !== undefined) {
        radio.snr = snr;
    }
    if (rssi !== undefined) {
        radio.rssi = rssi;
    }
    if (hops !== undefined) {
        radio.hopsAway = hops;
    }
    if (Array.isArray(raw.gateways)) {
        radio.gateways = raw.gateways
            .filter((g) => typeof g === 'string')
            .slice(0, 16)
            .map(g => (0, util_1.sanitizeLabel)(g, util_1.MAX_LABEL));
    }
    return radio;
}
/** Validates and copies one persisted record; undefined when it is not a usable node. */
function sanitizeRecord(raw, historySize) {
    if (!isObject(raw)) {
        return undefined;
    }
    const num = (0, util_1.finite)(raw.num);
    if (num === undefined || !(0, util_1.isRealNodeNum)(num)) {
        return undefined;
    }
    const lastHeard = (0, util_1.finite)(raw.lastHeard) ?? 0;
    const record = newNodeRecord(num, lastHeard);
    record.lastMqtt = (0, util_1.finite)(raw.lastMqtt) ?? 0;
    record.presence = PRESENCES.includes(raw.presence) ? raw.presence : 'offline';
    record.packets = Math.max(0, Math.floor((0, util_1.finite)(raw.packets) ?? 0));
    const user = sanitizeUser(raw.user);
    if (user) {
        record.user = user;
    }
    for (const key of ['firmware', 'region', 'modemPreset']) {
        if (typeof raw[key] === 'string') {
            record[key] = (0, util_1.sanitizeLabel)(raw[key], util_1.MAX_LABEL);
        }
    }
    const online = (0, util_1.finite)(raw.numOnlineLocalNodes);
    if (online !== undefined) {
        record.numOnlineLocalNodes = online;
    }
    if (isObject(raw.position)) {
        const p = raw.position;
        const latitude = (0, util_1.finite)(p.latitude);
        const longitude = (0, util_1.finite)(p.longitude);
        if (latitude !== undefined && longitude !== undefined) {
            record.position = {
                latitude,
                longitude,
                precisionBits: (0, util_1.finite)(p.precisionBits) ?? 32,
                accuracyMeters: (0, util_1.finite)(p.accuracyMeters) ?? 0,
            };
            for (const key of ['altitude', 'time', 'groundSpeed', 'groundTrack', 'satsInView']) {
                const n = (0, util_1.finite)(p[key]);
                if (n !== undefined) {
                    record.position[key] = n;
                }
            }
        }
    }
    if (isObject(raw.telemetry)) {
        for (const variant of types_1.TELEMETRY_VARIANTS) {
            const metrics = sanitizeMetrics(raw.telemetry[variant]);
            if (metrics) {
                record.telemetry[variant] = metrics;
            }
        }
    }
    const radio = sanitizeRadio(raw.radio);
    if (radio) {
        record.radio = radio;
    }
    if (Array.isArray(raw.neighbors)) {
        const neighbors = [];
        for (const n of raw.neighbors.slice(0, exports.MAX_NEIGHBORS)) {
            if (isObject(n)) {
                const nodeId = (0, util_1.finite)(n.nodeId);
                if (nodeId !== undefined) {
                    neighbors.push({ nodeId: nodeId >>> 0, id: (0, util_1.nodeIdOf)(nodeId), snr: (0, util_1.finite)(n.snr) ?? 0 });
                }
            }
        }
        record.neighbors = neighbors;
    }
    if (Array.isArray(raw.history)) {
        for (const m of raw.history.slice(-historySize)) {
            const message = sanitizeMessage(m);
            if (message) {
                record.history.push(message);
            }
        }
    }
    const lastText = sanitizeMessage(raw.lastText);
    if (lastText) {
        record.lastText = lastText;
    }
    const lastPacketId = (0, util_1.finite)(raw.lastPacketId);
    if (lastPacketId !== undefined) {
        record.lastPacketId = lastPacketId >>> 0;
    }
    return record;
}
