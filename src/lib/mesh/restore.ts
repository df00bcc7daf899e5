/**
 * Node records restored from persisted objects are data from disk: every field is type-checked, cleaned and bounded
 * like fresh mesh data, and anything unusable is dropped.
 */
import { TELEMETRY_VARIANTS } from '../codec/types';
import { restorePacketParts } from './packet-records';
import { addPositionExtras, MAX_METRICS_PER_VARIANT, METRIC_NAME, neighborsOf, newNodeRecord, userOf } from './record';
import type { NodeRadio, NodeRecord, NodeUser, Presence, TextMessage } from './types';
import { finite, isRealNodeNum, MAX_LABEL, MAX_LONG_NAME, nodeIdOf, sanitizeLabel, sanitizeText } from './util';

const PRESENCES: readonly Presence[] = ['mqtt', 'rf', 'offline'];

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sanitizeUser(raw: unknown): NodeUser | undefined {
    if (!isObject(raw)) {
        return undefined;
    }
    const user = userOf(raw);
    if (typeof raw.publicKey === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(raw.publicKey)) {
        user.publicKey = raw.publicKey;
    }
    return user;
}

function sanitizeMetrics(raw: unknown): Record<string, number> | undefined {
    if (!isObject(raw)) {
        return undefined;
    }
    const out: Record<string, number> = {};
    let count = 0;
    for (const [key, value] of Object.entries(raw)) {
        const n = finite(value);
        if (n !== undefined && METRIC_NAME.test(key) && count < MAX_METRICS_PER_VARIANT) {
            out[key] = n;
            count++;
        }
    }
    return count > 0 ? out : undefined;
}

function sanitizeMessage(raw: unknown): TextMessage | undefined {
    if (!isObject(raw) || typeof raw.text !== 'string') {
        return undefined;
    }
    const from = finite(raw.from) ?? 0;
    const encryption = raw.encryption === 'none' || raw.encryption === 'pki' ? raw.encryption : 'channel';
    const message: TextMessage = {
        id: (finite(raw.id) ?? 0) >>> 0,
        from: from >>> 0,
        fromId: nodeIdOf(from),
        fromName: sanitizeLabel(raw.fromName, MAX_LONG_NAME) || nodeIdOf(from),
        to: (finite(raw.to) ?? 0) >>> 0,
        channel: sanitizeLabel(raw.channel, MAX_LABEL),
        text: sanitizeText(raw.text),
        time: finite(raw.time) ?? 0,
        direct: raw.direct === true,
        gateway: sanitizeLabel(raw.gateway, MAX_LABEL),
        viaMqtt: raw.viaMqtt === true,
        encryption,
    };
    const optional: ('rxSnr' | 'rxRssi' | 'hopsAway' | 'replyId' | 'emoji')[] = [
        'rxSnr',
        'rxRssi',
        'hopsAway',
        'replyId',
        'emoji',
    ];
    for (const key of optional) {
        const n = finite(raw[key]);
        if (n !== undefined) {
            message[key] = n;
        }
    }
    if (raw.alert === true) {
        message.alert = true;
    }
    return message;
}

function sanitizeRadio(raw: unknown): NodeRadio | undefined {
    if (!isObject(raw)) {
        return undefined;
    }
    const radio: NodeRadio = {
        viaMqtt: raw.viaMqtt === true,
        gateway: sanitizeLabel(raw.gateway, MAX_LABEL),
        gatewayCount: Math.max(0, Math.floor(finite(raw.gatewayCount) ?? 0)),
    };
    const snr = finite(raw.snr);
    const rssi = finite(raw.rssi);
    const hops = finite(raw.hopsAway);
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
            .filter((g): g is string => typeof g === 'string')
            .slice(0, 16)
            .map(g => sanitizeLabel(g, MAX_LABEL));
    }
    return radio;
}

/** Validates and copies one persisted record; undefined when it is not a usable node. */
/** A persisted record as the model can use it, or undefined when it is not one. */
export function sanitizeRecord(raw: unknown, historySize: number): NodeRecord | undefined {
    if (!isObject(raw)) {
        return undefined;
    }
    const num = finite(raw.num);
    if (num === undefined || !isRealNodeNum(num)) {
        return undefined;
    }
    const lastHeard = finite(raw.lastHeard) ?? 0;
    const record = newNodeRecord(num, lastHeard);
    record.lastMqtt = finite(raw.lastMqtt) ?? 0;
    record.presence = PRESENCES.includes(raw.presence as Presence) ? (raw.presence as Presence) : 'offline';
    record.packets = Math.max(0, Math.floor(finite(raw.packets) ?? 0));
    const user = sanitizeUser(raw.user);
    if (user) {
        record.user = user;
    }
    for (const key of ['firmware', 'region', 'modemPreset'] as const) {
        if (typeof raw[key] === 'string') {
            record[key] = sanitizeLabel(raw[key], MAX_LABEL);
        }
    }
    const online = finite(raw.numOnlineLocalNodes);
    if (online !== undefined) {
        record.numOnlineLocalNodes = online;
    }
    if (isObject(raw.position)) {
        const p = raw.position;
        const latitude = finite(p.latitude);
        const longitude = finite(p.longitude);
        if (latitude !== undefined && longitude !== undefined) {
            record.position = {
                latitude,
                longitude,
                precisionBits: finite(p.precisionBits) ?? 32,
                accuracyMeters: finite(p.accuracyMeters) ?? 0,
            };
            addPositionExtras(record.position, p);
        }
    }
    if (isObject(raw.telemetry)) {
        for (const variant of TELEMETRY_VARIANTS) {
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
        record.neighbors = neighborsOf(raw.neighbors);
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
    restorePacketParts(raw, record);
    const lastPacketId = finite(raw.lastPacketId);
    if (lastPacketId !== undefined) {
        record.lastPacketId = lastPacketId >>> 0;
    }
    return record;
}
