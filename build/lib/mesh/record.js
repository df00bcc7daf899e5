"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.METRIC_NAME = exports.MAX_METRICS_PER_VARIANT = exports.MAX_NEIGHBORS = void 0;
exports.newNodeRecord = newNodeRecord;
exports.pushBounded = pushBounded;
exports.neighborsOf = neighborsOf;
exports.addPositionExtras = addPositionExtras;
exports.userOf = userOf;
const util_1 = require("./util");
exports.MAX_NEIGHBORS = 32;
/** Metrics kept per telemetry variant (the schema has fewer; this guards against odd input). */
exports.MAX_METRICS_PER_VARIANT = 64;
/** A metric name as produced by protobuf-es (camelCase); excludes `__proto__` and friends. */
exports.METRIC_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** An empty record of a node first heard at `nowMs`. */
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
/** Appends and drops from the front beyond `max` (newest last). */
function pushBounded(list, item, max) {
    list.push(item);
    if (list.length > max) {
        list.splice(0, list.length - max);
    }
}
/** The first `MAX_NEIGHBORS` entries with a finite node id (SNR 0 when unknown). */
function neighborsOf(list) {
    const neighbors = [];
    for (const n of list.slice(0, exports.MAX_NEIGHBORS)) {
        if (typeof n === 'object' && n !== null) {
            const entry = n;
            const nodeId = (0, util_1.finite)(entry.nodeId);
            if (nodeId !== undefined) {
                neighbors.push({ nodeId: nodeId >>> 0, id: (0, util_1.nodeIdOf)(nodeId), snr: (0, util_1.finite)(entry.snr) ?? 0 });
            }
        }
    }
    return neighbors;
}
const POSITION_EXTRAS = ['altitude', 'time', 'groundSpeed', 'groundTrack', 'satsInView'];
/** Copies the optional numeric fields of a position that are finite. */
function addPositionExtras(target, source) {
    for (const key of POSITION_EXTRAS) {
        const n = (0, util_1.finite)(source[key]);
        if (n !== undefined) {
            target[key] = n;
        }
    }
}
/** Names, hardware and role cleaned and capped, the flags as booleans (no public key: each source checks its own). */
function userOf(raw) {
    return {
        longName: (0, util_1.sanitizeLabel)(raw.longName, util_1.MAX_LONG_NAME),
        shortName: (0, util_1.sanitizeLabel)(raw.shortName, util_1.MAX_SHORT_NAME),
        hwModel: (0, util_1.sanitizeLabel)(raw.hwModel, util_1.MAX_LABEL),
        role: (0, util_1.sanitizeLabel)(raw.role, util_1.MAX_LABEL),
        isLicensed: raw.isLicensed === true,
        isUnmessagable: raw.isUnmessagable === true,
    };
}
