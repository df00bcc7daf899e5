/** Application payloads with a message of their own: WAYPOINT_APP, STORE_FORWARD_APP, PAXCOUNTER_APP. */
import { fromBinary } from '@bufbuild/protobuf';
import { Mesh, PaxCount, StoreForward } from '@meshtastic/protobufs';
import type { PaxcounterPayload, StoreForwardPayload, WaypointPayload } from '../types';
import { decodeText, degrees, enumName, stripNul } from './fields';

export function decodeWaypoint(bytes: Uint8Array): WaypointPayload {
    const w = fromBinary(Mesh.WaypointSchema, bytes);
    const waypoint: WaypointPayload = {
        id: w.id >>> 0,
        name: stripNul(w.name),
        description: stripNul(w.description),
        expire: w.expire >>> 0,
        lockedTo: w.lockedTo >>> 0,
        icon: w.icon >>> 0,
    };
    if (w.latitudeI !== undefined && w.longitudeI !== undefined) {
        waypoint.latitude = degrees(w.latitudeI);
        waypoint.longitude = degrees(w.longitudeI);
    }
    return waypoint;
}

export function decodeStoreForward(bytes: Uint8Array): StoreForwardPayload {
    const s = fromBinary(StoreForward.StoreAndForwardSchema, bytes);
    const payload: StoreForwardPayload = { kind: enumName(StoreForward.StoreAndForward_RequestResponse, s.rr) };
    if (s.variant.case === 'heartbeat') {
        payload.heartbeatPeriod = s.variant.value.period;
    } else if (s.variant.case === 'text') {
        payload.text = decodeText(s.variant.value);
    }
    return payload;
}

export function decodePaxcounter(bytes: Uint8Array): PaxcounterPayload {
    const p = fromBinary(PaxCount.PaxcountSchema, bytes);
    return { wifi: p.wifi >>> 0, ble: p.ble >>> 0, uptime: p.uptime >>> 0 };
}
