"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodeTracerouteRequest = exports.encodeRoutingAck = exports.positionInfo = exports.normalisePrecisionBits = exports.encodePosition = exports.accuracyMeters = exports.encodeUser = exports.stripNul = exports.enumName = exports.encodeText = exports.decodeText = void 0;
exports.decodePayload = decodePayload;
/**
 * Port payloads (spec §4) → plain typed values, and the few encoders the send path needs: the dispatch by port here,
 * one file per payload group in `payloads/` (fields, position, node, telemetry, routing, apps), re-exported.
 * Enum values become their names; numbers unknown to the bundled protobufs become the number as a string.
 */
const apps_1 = require("./payloads/apps");
const fields_1 = require("./payloads/fields");
const node_1 = require("./payloads/node");
const position_1 = require("./payloads/position");
const routing_1 = require("./payloads/routing");
const telemetry_1 = require("./payloads/telemetry");
const portnums_1 = require("./portnums");
var fields_2 = require("./payloads/fields");
Object.defineProperty(exports, "decodeText", { enumerable: true, get: function () { return fields_2.decodeText; } });
Object.defineProperty(exports, "encodeText", { enumerable: true, get: function () { return fields_2.encodeText; } });
Object.defineProperty(exports, "enumName", { enumerable: true, get: function () { return fields_2.enumName; } });
Object.defineProperty(exports, "stripNul", { enumerable: true, get: function () { return fields_2.stripNul; } });
var node_2 = require("./payloads/node");
Object.defineProperty(exports, "encodeUser", { enumerable: true, get: function () { return node_2.encodeUser; } });
var position_2 = require("./payloads/position");
Object.defineProperty(exports, "accuracyMeters", { enumerable: true, get: function () { return position_2.accuracyMeters; } });
Object.defineProperty(exports, "encodePosition", { enumerable: true, get: function () { return position_2.encodePosition; } });
Object.defineProperty(exports, "normalisePrecisionBits", { enumerable: true, get: function () { return position_2.normalisePrecisionBits; } });
Object.defineProperty(exports, "positionInfo", { enumerable: true, get: function () { return position_2.positionInfo; } });
var routing_2 = require("./payloads/routing");
Object.defineProperty(exports, "encodeRoutingAck", { enumerable: true, get: function () { return routing_2.encodeRoutingAck; } });
Object.defineProperty(exports, "encodeTracerouteRequest", { enumerable: true, get: function () { return routing_2.encodeTracerouteRequest; } });
function raw(portnum, bytes) {
    return { type: 'raw', portnum, bytes };
}
/** Decodes a payload by port. Unknown ports are `raw`; a payload that does not parse is `raw` plus an error. */
function decodePayload(portnum, bytes) {
    try {
        return { payload: decodeKnownPayload(portnum, bytes) };
    }
    catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return { payload: raw(portnum, bytes), error: `${(0, fields_1.enumName)(portnums_1.PortNum, portnum)}: ${reason}` };
    }
}
function decodeKnownPayload(portnum, bytes) {
    switch (portnum) {
        case portnums_1.PortNum.TEXT_MESSAGE_APP:
            return { type: 'text', text: (0, fields_1.decodeText)(bytes) };
        case portnums_1.PortNum.POSITION_APP:
            return { type: 'position', position: (0, position_1.decodePosition)(bytes) };
        case portnums_1.PortNum.NODEINFO_APP:
            return { type: 'nodeinfo', user: (0, node_1.decodeUser)(bytes) };
        case portnums_1.PortNum.TELEMETRY_APP: {
            const telemetry = (0, telemetry_1.decodeTelemetry)(bytes);
            return telemetry ? { type: 'telemetry', telemetry } : raw(portnum, bytes);
        }
        case portnums_1.PortNum.NEIGHBORINFO_APP:
            return { type: 'neighborinfo', neighborInfo: (0, routing_1.decodeNeighborInfo)(bytes) };
        case portnums_1.PortNum.MAP_REPORT_APP:
            return { type: 'mapreport', mapReport: (0, node_1.decodeMapReport)(bytes) };
        case portnums_1.PortNum.ROUTING_APP: {
            const routing = (0, routing_1.decodeRouting)(bytes);
            return routing ? { type: 'routing', routing } : raw(portnum, bytes);
        }
        case portnums_1.PortNum.TRACEROUTE_APP:
            return { type: 'traceroute', traceroute: (0, routing_1.decodeTraceroute)(bytes) };
        case portnums_1.PortNum.WAYPOINT_APP:
            return { type: 'waypoint', waypoint: (0, apps_1.decodeWaypoint)(bytes) };
        case portnums_1.PortNum.RANGE_TEST_APP:
            return { type: 'rangetest', text: (0, fields_1.decodeText)(bytes) };
        case portnums_1.PortNum.DETECTION_SENSOR_APP:
            return { type: 'detection', text: (0, fields_1.decodeText)(bytes) };
        case portnums_1.PortNum.ALERT_APP:
            return { type: 'alert', text: (0, fields_1.decodeText)(bytes) };
        case portnums_1.PortNum.PAXCOUNTER_APP:
            return { type: 'paxcounter', paxcounter: (0, apps_1.decodePaxcounter)(bytes) };
        case portnums_1.PortNum.STORE_FORWARD_APP:
            return { type: 'storeforward', storeForward: (0, apps_1.decodeStoreForward)(bytes) };
        default:
            return raw(portnum, bytes);
    }
}
