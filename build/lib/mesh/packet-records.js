"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_DETECTION_ALARM_MS = exports.MAX_ROUTE_HOPS = void 0;
exports.hopOf = hopOf;
exports.tracerouteOf = tracerouteOf;
exports.restorePacketParts = restorePacketParts;
const util_1 = require("./util");
/** Firmware carries at most 8 relays each way (`ROUTE_SIZE`); more is hostile input. */
exports.MAX_ROUTE_HOPS = 10;
/** Default time after which a detection's `alarm` falls back to false. */
exports.DEFAULT_DETECTION_ALARM_MS = 60_000;
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A hop of a persisted or fresh route, undefined when its id is no node id. */
function hopOf(raw) {
    if (!isObject(raw) || typeof raw.id !== 'string') {
        return undefined;
    }
    const num = (0, util_1.parseNodeId)(raw.id);
    if (num === undefined) {
        return undefined;
    }
    const hop = { id: (0, util_1.nodeIdOf)(num) };
    const name = (0, util_1.sanitizeLabel)(raw.name, util_1.MAX_LONG_NAME);
    if (name) {
        hop.name = name;
    }
    const snr = (0, util_1.finite)(raw.snr);
    if (snr !== undefined) {
        hop.snr = snr;
    }
    return hop;
}
function hopsOf(raw) {
    const hops = [];
    if (Array.isArray(raw)) {
        for (const item of raw.slice(0, exports.MAX_ROUTE_HOPS + 2)) {
            const hop = hopOf(item);
            if (hop) {
                hops.push(hop);
            }
        }
    }
    return hops;
}
function tracerouteOf(raw) {
    if (!isObject(raw) || typeof raw.from !== 'string' || (0, util_1.parseNodeId)(raw.from) === undefined) {
        return undefined;
    }
    return {
        time: (0, util_1.finite)(raw.time) ?? 0,
        from: (0, util_1.nodeIdOf)((0, util_1.parseNodeId)(raw.from)),
        towards: hopsOf(raw.towards),
        back: hopsOf(raw.back),
    };
}
/** Copies the packet parts of a persisted record that are usable (restore). */
function restorePacketParts(raw, record) {
    const traceroute = tracerouteOf(raw.traceroute);
    if (traceroute) {
        record.traceroute = traceroute;
    }
    if (isObject(raw.detection)) {
        const d = raw.detection;
        const detection = {
            text: (0, util_1.sanitizeText)(d.text),
            time: (0, util_1.finite)(d.time) ?? 0,
            alarm: d.alarm === true,
        };
        record.detection = detection;
    }
    if (isObject(raw.alert)) {
        const alert = { text: (0, util_1.sanitizeText)(raw.alert.text), time: (0, util_1.finite)(raw.alert.time) ?? 0 };
        record.alert = alert;
    }
    if (isObject(raw.rangeTest)) {
        const r = raw.rangeTest;
        const rangeTest = { time: (0, util_1.finite)(r.time) ?? 0 };
        for (const key of ['sequence', 'snr', 'rssi']) {
            const n = (0, util_1.finite)(r[key]);
            if (n !== undefined) {
                rangeTest[key] = n;
            }
        }
        record.rangeTest = rangeTest;
    }
}
