/**
 * ServiceEnvelope ⇄ plain typed values (spec §2). protobuf-es and firmware (nanopb) both write fields in ascending
 * order and omit proto3 defaults, so `encodeEnvelope(decodeEnvelope(x))` reproduces `x` byte for byte.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { Mesh, Mqtt } from '@meshtastic/protobufs';
import type { CodecError, DataMessage, Envelope, Result } from './types';
import { readDataMessage, readEnvelope } from './wire';

export { emptyHeader } from './wire';

/** What `encodeData` needs: port and payload, everything else defaults to 0/false/absent. */
export type DataInput = Partial<DataMessage> & Pick<DataMessage, 'portnum' | 'payload'>;

function envelopeError(message: string): CodecError {
    return { ok: false, reason: 'envelope', message };
}

/**
 * Parses a ServiceEnvelope. Fails (reason `envelope`) when the bytes are not a valid envelope or the packet or its
 * payload is missing. Empty `channel_id`/`gateway_id` are kept as '' (lenient: firmware requires them, observers
 * need not). Uses the strict hot-path reader in `wire.ts` rather than `fromBinary` (see there why).
 */
export function decodeEnvelope(bytes: Uint8Array): Result<Envelope> {
    if (!(bytes instanceof Uint8Array)) {
        return envelopeError('payload is not binary');
    }
    const parsed = readEnvelope(bytes);
    if (!parsed.ok) {
        return envelopeError(`not a ServiceEnvelope: ${parsed.message}`);
    }
    const packet = parsed.value.packet;
    if (!packet) {
        return envelopeError('ServiceEnvelope has no packet');
    }
    const envelope: Envelope = {
        channelId: parsed.value.channelId,
        gatewayId: parsed.value.gatewayId,
        header: packet.header,
    };
    if (packet.variant === 'encrypted' && packet.encrypted) {
        envelope.encrypted = packet.encrypted;
    } else if (packet.variant === 'decoded' && packet.decoded) {
        envelope.decoded = packet.decoded;
    } else {
        return envelopeError('packet has neither encrypted nor decoded payload');
    }
    return { ok: true, value: envelope };
}

function dataMessage(d: DataInput): Mesh.Data {
    return create(Mesh.DataSchema, {
        portnum: d.portnum,
        payload: d.payload,
        wantResponse: d.wantResponse ?? false,
        dest: d.dest ?? 0,
        source: d.source ?? 0,
        requestId: d.requestId ?? 0,
        replyId: d.replyId ?? 0,
        emoji: d.emoji ?? 0,
        bitfield: d.bitfield,
    });
}

/** Serialises an envelope (the inverse of `decodeEnvelope`). */
export function encodeEnvelope(env: Envelope): Uint8Array {
    const h = env.header;
    const payloadVariant: Mesh.MeshPacket['payloadVariant'] = env.encrypted
        ? { case: 'encrypted', value: env.encrypted }
        : env.decoded
          ? { case: 'decoded', value: dataMessage(env.decoded) }
          : { case: undefined };
    const packet = create(Mesh.MeshPacketSchema, {
        from: h.from,
        to: h.to,
        channel: h.channel,
        payloadVariant,
        id: h.id,
        rxTime: h.rxTime,
        rxSnr: h.rxSnr,
        hopLimit: h.hopLimit,
        wantAck: h.wantAck,
        priority: h.priority,
        rxRssi: h.rxRssi,
        viaMqtt: h.viaMqtt,
        hopStart: h.hopStart,
        publicKey: h.publicKey ?? new Uint8Array(0),
        pkiEncrypted: h.pkiEncrypted,
        nextHop: h.nextHop,
        relayNode: h.relayNode,
        transportMechanism: h.transportMechanism,
        delayed: h.delayed ?? 0,
        txAfter: h.txAfter ?? 0,
    });
    return toBinary(
        Mqtt.ServiceEnvelopeSchema,
        create(Mqtt.ServiceEnvelopeSchema, { packet, channelId: env.channelId, gatewayId: env.gatewayId }),
    );
}

/**
 * Parses decrypted bytes as `Data`. Undefined when they do not parse or the port is 0 (UNKNOWN_APP): firmware's own
 * test for "this key was the right one".
 */
export function decodeData(bytes: Uint8Array): DataMessage | undefined {
    const data = readDataMessage(bytes);
    return data === undefined || data.portnum === 0 ? undefined : data;
}

/** Serialises a `Data` message. */
export function encodeData(d: DataInput): Uint8Array {
    return toBinary(Mesh.DataSchema, dataMessage(d));
}
