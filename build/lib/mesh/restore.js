"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sanitizeRecord = sanitizeRecord;
/**
 * Node records restored from persisted objects are data from disk: every field is type-checked, cleaned and bounded
 * like fresh mesh data, and anything unusable is dropped.
 */
const types_1 = require("../codec/types");
const packet_records_1 = require("./packet-records");
const record_1 = require("./record");
const util_1 = require("./util");
const PRESENCES = ['mqtt', 'rf', 'offline'];
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function sanitizeUser(raw) {
    if (!isObject(raw)) {
        return undefined;
    }
    const user = (0, record_1.userOf)(raw);
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
        if (n !== undefined && record_1.METRIC_NAME.test(key) && count < record_1.MAX_METRICS_PER_VARIANT) {
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
    if (raw.alert === true) {
        message.alert = true;
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
/** A persisted record as the model can use it, or undefined when it is not one. */
function sanitizeRecord(raw, historySize) {
    if (!isObject(raw)) {
        return undefined;
    }
    const num = (0, util_1.finite)(raw.num);
    if (num === undefined || !(0, util_1.isRealNodeNum)(num)) {
        return undefined;
    }
    const lastHeard = (0, util_1.finite)(raw.lastHeard) ?? 0;
    const record = (0, record_1.newNodeRecord)(num, lastHeard);
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
            (0, record_1.addPositionExtras)(record.position, p);
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
        record.neighbors = (0, record_1.neighborsOf)(raw.neighbors);
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
    (0, packet_records_1.restorePacketParts)(raw, record);
    const lastPacketId = (0, util_1.finite)(raw.lastPacketId);
    if (lastPacketId !== undefined) {
        record.lastPacketId = lastPacketId >>> 0;
    }
    return record;
}
