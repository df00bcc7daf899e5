"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodeWaypoint = decodeWaypoint;
exports.decodeStoreForward = decodeStoreForward;
exports.decodePaxcounter = decodePaxcounter;
/** Application payloads with a message of their own: WAYPOINT_APP, STORE_FORWARD_APP, PAXCOUNTER_APP. */
const protobuf_1 = require("@bufbuild/protobuf");
const protobufs_1 = require("@meshtastic/protobufs");
const fields_1 = require("./fields");
function decodeWaypoint(bytes) {
    const w = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.WaypointSchema, bytes);
    const waypoint = {
        id: w.id >>> 0,
        name: (0, fields_1.stripNul)(w.name),
        description: (0, fields_1.stripNul)(w.description),
        expire: w.expire >>> 0,
        lockedTo: w.lockedTo >>> 0,
        icon: w.icon >>> 0,
    };
    if (w.latitudeI !== undefined && w.longitudeI !== undefined) {
        waypoint.latitude = (0, fields_1.degrees)(w.latitudeI);
        waypoint.longitude = (0, fields_1.degrees)(w.longitudeI);
    }
    return waypoint;
}
function decodeStoreForward(bytes) {
    const s = (0, protobuf_1.fromBinary)(protobufs_1.StoreForward.StoreAndForwardSchema, bytes);
    const payload = { kind: (0, fields_1.enumName)(protobufs_1.StoreForward.StoreAndForward_RequestResponse, s.rr) };
    if (s.variant.case === 'heartbeat') {
        payload.heartbeatPeriod = s.variant.value.period;
    }
    else if (s.variant.case === 'text') {
        payload.text = (0, fields_1.decodeText)(s.variant.value);
    }
    return payload;
}
function decodePaxcounter(bytes) {
    const p = (0, protobuf_1.fromBinary)(protobufs_1.PaxCount.PaxcountSchema, bytes);
    return { wifi: p.wifi >>> 0, ble: p.ble >>> 0, uptime: p.uptime >>> 0 };
}
