"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodeRouting = decodeRouting;
exports.encodeRoutingAck = encodeRoutingAck;
exports.encodeTracerouteRequest = encodeTracerouteRequest;
exports.decodeTraceroute = decodeTraceroute;
exports.decodeNeighborInfo = decodeNeighborInfo;
/** The mesh's routes: ROUTING_APP (ACK/NAK, decoded and encoded for our replies), TRACEROUTE_APP, NEIGHBORINFO_APP. */
const protobuf_1 = require("@bufbuild/protobuf");
const protobufs_1 = require("@meshtastic/protobufs");
const fields_1 = require("./fields");
/** Undefined for a `Routing` without a variant (kept raw by the caller). */
function decodeRouting(bytes) {
    const r = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.RoutingSchema, bytes);
    switch (r.variant.case) {
        case 'errorReason': {
            const code = r.variant.value;
            return {
                kind: code === 0 ? 'ack' : 'nak',
                errorReason: (0, fields_1.enumName)(protobufs_1.Mesh.Routing_Error, code),
                errorCode: code,
            };
        }
        case 'routeRequest':
            return { kind: 'request', errorReason: 'NONE', errorCode: 0 };
        case 'routeReply':
            return { kind: 'reply', errorReason: 'NONE', errorCode: 0 };
        default:
            return undefined;
    }
}
/** ROUTING_APP payload of an ACK (error 0) or NAK: `Routing{error_reason}` (`18 00` for an ACK). */
function encodeRoutingAck(errorCode = 0) {
    return (0, protobuf_1.toBinary)(protobufs_1.Mesh.RoutingSchema, (0, protobuf_1.create)(protobufs_1.Mesh.RoutingSchema, { variant: { case: 'errorReason', value: errorCode } }));
}
/** TRACEROUTE_APP payload of a request: an empty `RouteDiscovery` (each relay and the target append to it). */
function encodeTracerouteRequest() {
    return (0, protobuf_1.toBinary)(protobufs_1.Mesh.RouteDiscoverySchema, (0, protobuf_1.create)(protobufs_1.Mesh.RouteDiscoverySchema, {}));
}
/** Route SNR on the wire is int8 dB×4; −128 means unknown. */
function snrValues(values) {
    return values.map(v => (v === -128 ? undefined : v / 4));
}
function decodeTraceroute(bytes) {
    const r = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.RouteDiscoverySchema, bytes);
    return {
        route: r.route.map(n => n >>> 0),
        snrTowards: snrValues(r.snrTowards),
        routeBack: r.routeBack.map(n => n >>> 0),
        snrBack: snrValues(r.snrBack),
    };
}
function decodeNeighborInfo(bytes) {
    const n = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.NeighborInfoSchema, bytes);
    return {
        nodeId: n.nodeId >>> 0,
        lastSentById: n.lastSentById >>> 0,
        broadcastIntervalSecs: n.nodeBroadcastIntervalSecs >>> 0,
        neighbors: n.neighbors.map(neighbor => ({ nodeId: neighbor.nodeId >>> 0, snr: neighbor.snr })),
    };
}
