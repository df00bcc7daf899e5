/**
 * Port payloads (spec §4) → plain typed values, and the few encoders the send path needs: the dispatch by port here,
 * one file per payload group in `payloads/` (fields, position, node, telemetry, routing, apps), re-exported.
 * Enum values become their names; numbers unknown to the bundled protobufs become the number as a string.
 */
import { decodePaxcounter, decodeStoreForward, decodeWaypoint } from './payloads/apps';
import { decodeText, enumName } from './payloads/fields';
import { decodeMapReport, decodeUser } from './payloads/node';
import { decodePosition } from './payloads/position';
import { decodeNeighborInfo, decodeRouting, decodeTraceroute } from './payloads/routing';
import { decodeTelemetry } from './payloads/telemetry';
import { PortNum } from './portnums';
import type { MeshPayload } from './types';

export { decodeText, encodeText, enumName, stripNul } from './payloads/fields';
export { encodeUser, type UserInput } from './payloads/node';
export {
    accuracyMeters,
    encodePosition,
    normalisePrecisionBits,
    type PositionInput,
    positionInfo,
} from './payloads/position';
export { encodeRoutingAck, encodeTracerouteRequest } from './payloads/routing';

function raw(portnum: number, bytes: Uint8Array): MeshPayload {
    return { type: 'raw', portnum, bytes };
}

/** Decodes a payload by port. Unknown ports are `raw`; a payload that does not parse is `raw` plus an error. */
export function decodePayload(portnum: number, bytes: Uint8Array): { payload: MeshPayload; error?: string } {
    try {
        return { payload: decodeKnownPayload(portnum, bytes) };
    } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return { payload: raw(portnum, bytes), error: `${enumName(PortNum, portnum)}: ${reason}` };
    }
}

function decodeKnownPayload(portnum: number, bytes: Uint8Array): MeshPayload {
    switch (portnum) {
        case PortNum.TEXT_MESSAGE_APP:
            return { type: 'text', text: decodeText(bytes) };
        case PortNum.POSITION_APP:
            return { type: 'position', position: decodePosition(bytes) };
        case PortNum.NODEINFO_APP:
            return { type: 'nodeinfo', user: decodeUser(bytes) };
        case PortNum.TELEMETRY_APP: {
            const telemetry = decodeTelemetry(bytes);
            return telemetry ? { type: 'telemetry', telemetry } : raw(portnum, bytes);
        }
        case PortNum.NEIGHBORINFO_APP:
            return { type: 'neighborinfo', neighborInfo: decodeNeighborInfo(bytes) };
        case PortNum.MAP_REPORT_APP:
            return { type: 'mapreport', mapReport: decodeMapReport(bytes) };
        case PortNum.ROUTING_APP: {
            const routing = decodeRouting(bytes);
            return routing ? { type: 'routing', routing } : raw(portnum, bytes);
        }
        case PortNum.TRACEROUTE_APP:
            return { type: 'traceroute', traceroute: decodeTraceroute(bytes) };
        case PortNum.WAYPOINT_APP:
            return { type: 'waypoint', waypoint: decodeWaypoint(bytes) };
        case PortNum.RANGE_TEST_APP:
            return { type: 'rangetest', text: decodeText(bytes) };
        case PortNum.DETECTION_SENSOR_APP:
            return { type: 'detection', text: decodeText(bytes) };
        case PortNum.ALERT_APP:
            return { type: 'alert', text: decodeText(bytes) };
        case PortNum.PAXCOUNTER_APP:
            return { type: 'paxcounter', paxcounter: decodePaxcounter(bytes) };
        case PortNum.STORE_FORWARD_APP:
            return { type: 'storeforward', storeForward: decodeStoreForward(bytes) };
        default:
            return raw(portnum, bytes);
    }
}
