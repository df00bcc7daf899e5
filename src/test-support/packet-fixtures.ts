/**
 * Payloads of the less common ports as the codec decodes them from bytes built with the official
 * `@meshtastic/protobufs` (so the mesh handlers' tests see exactly what real packets give). Not compiled into the build.
 */
import { create, type DescMessage, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { Mesh, PaxCount, Portnums } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { decodePayload, encodeText } from '../lib/codec/payloads';
import type { MeshPayload } from '../lib/codec/types';

export const Port = Portnums.PortNum;

export function bin<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Uint8Array {
    return toBinary(schema, create(schema, init));
}

/** What the codec makes of these payload bytes on this port (fails the test on a payload error). */
export function wire(portnum: number, bytes: Uint8Array): MeshPayload {
    const result = decodePayload(portnum, bytes);
    expect(result.error, `port ${portnum}`).to.equal(undefined);
    return result.payload;
}

export function routeDiscovery(init: MessageInitShape<typeof Mesh.RouteDiscoverySchema>): MeshPayload {
    return wire(Port.TRACEROUTE_APP, bin(Mesh.RouteDiscoverySchema, init));
}

export function waypointPayload(init: MessageInitShape<typeof Mesh.WaypointSchema>): MeshPayload {
    return wire(Port.WAYPOINT_APP, bin(Mesh.WaypointSchema, init));
}

export function paxcount(init: MessageInitShape<typeof PaxCount.PaxcountSchema>): MeshPayload {
    return wire(Port.PAXCOUNTER_APP, bin(PaxCount.PaxcountSchema, init));
}

/** A text-payload port (detection sensor, alert, range test, compressed text) carrying `text` as UTF-8. */
export function textPort(portnum: number, text: string): MeshPayload {
    return wire(portnum, encodeText(text));
}
