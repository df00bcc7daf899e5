/** The mesh's routes: ROUTING_APP (ACK/NAK, decoded and encoded for our replies), TRACEROUTE_APP, NEIGHBORINFO_APP. */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { Mesh } from '@meshtastic/protobufs';
import type { NeighborInfoPayload, RoutingPayload, TraceroutePayload } from '../types';
import { enumName } from './fields';

/** Undefined for a `Routing` without a variant (kept raw by the caller). */
export function decodeRouting(bytes: Uint8Array): RoutingPayload | undefined {
    const r = fromBinary(Mesh.RoutingSchema, bytes);
    switch (r.variant.case) {
        case 'errorReason': {
            const code = r.variant.value;
            return {
                kind: code === 0 ? 'ack' : 'nak',
                errorReason: enumName(Mesh.Routing_Error, code),
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
export function encodeRoutingAck(errorCode = 0): Uint8Array {
    return toBinary(
        Mesh.RoutingSchema,
        create(Mesh.RoutingSchema, { variant: { case: 'errorReason', value: errorCode } }),
    );
}

/** TRACEROUTE_APP payload of a request: an empty `RouteDiscovery` (each relay and the target append to it). */
export function encodeTracerouteRequest(): Uint8Array {
    return toBinary(Mesh.RouteDiscoverySchema, create(Mesh.RouteDiscoverySchema, {}));
}

/** Route SNR on the wire is int8 dB×4; −128 means unknown. */
function snrValues(values: number[]): (number | undefined)[] {
    return values.map(v => (v === -128 ? undefined : v / 4));
}

export function decodeTraceroute(bytes: Uint8Array): TraceroutePayload {
    const r = fromBinary(Mesh.RouteDiscoverySchema, bytes);
    return {
        route: r.route.map(n => n >>> 0),
        snrTowards: snrValues(r.snrTowards),
        routeBack: r.routeBack.map(n => n >>> 0),
        snrBack: snrValues(r.snrBack),
    };
}

export function decodeNeighborInfo(bytes: Uint8Array): NeighborInfoPayload {
    const n = fromBinary(Mesh.NeighborInfoSchema, bytes);
    return {
        nodeId: n.nodeId >>> 0,
        lastSentById: n.lastSentById >>> 0,
        broadcastIntervalSecs: n.nodeBroadcastIntervalSecs >>> 0,
        neighbors: n.neighbors.map(neighbor => ({ nodeId: neighbor.nodeId >>> 0, snr: neighbor.snr })),
    };
}
