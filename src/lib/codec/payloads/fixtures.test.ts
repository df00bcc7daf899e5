/** Shared helpers of the payload tests: protobuf bytes from an init shape, a payload that must decode. */
import { create, type DescMessage, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { Portnums } from '@meshtastic/protobufs';
import { expect } from 'chai';
import { decodePayload } from '../payloads';
import type { MeshPayload } from '../types';

export const Port = Portnums.PortNum;

export function bin<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Uint8Array {
    return toBinary(schema, create(schema, init));
}

/** The payload of a port that decodes without an error. */
export function decoded(portnum: number, bytes: Uint8Array): MeshPayload {
    const result = decodePayload(portnum, bytes);
    expect(result.error, `port ${portnum}`).to.equal(undefined);
    return result.payload;
}
