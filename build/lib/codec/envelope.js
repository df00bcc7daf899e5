"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.emptyHeader = void 0;
exports.decodeEnvelope = decodeEnvelope;
exports.encodeEnvelope = encodeEnvelope;
exports.decodeData = decodeData;
exports.encodeData = encodeData;
/**
 * ServiceEnvelope ⇄ plain typed values (spec §2). protobuf-es and firmware (nanopb) both write fields in ascending
 * order and omit proto3 defaults, so `encodeEnvelope(decodeEnvelope(x))` reproduces `x` byte for byte.
 */
const protobuf_1 = require("@bufbuild/protobuf");
const protobufs_1 = require("@meshtastic/protobufs");
const wire_1 = require("./wire");
var wire_2 = require("./wire");
Object.defineProperty(exports, "emptyHeader", { enumerable: true, get: function () { return wire_2.emptyHeader; } });
function envelopeError(message) {
    return { ok: false, reason: 'envelope', message };
}
/**
 * Parses a ServiceEnvelope. Fails (reason `envelope`) when the bytes are not a valid envelope or the packet or its
 * payload is missing. Empty `channel_id`/`gateway_id` are kept as '' (lenient: firmware requires them, observers
 * need not). Uses the strict hot-path reader in `wire.ts` rather than `fromBinary` (see there why).
 */
function decodeEnvelope(bytes) {
    if (!(bytes instanceof Uint8Array)) {
        return envelopeError('payload is not binary');
    }
    const parsed = (0, wire_1.readEnvelope)(bytes);
    if (!parsed.ok) {
        return envelopeError(`not a ServiceEnvelope: ${parsed.message}`);
    }
    const packet = parsed.value.packet;
    if (!packet) {
        return envelopeError('ServiceEnvelope has no packet');
    }
    const envelope = {
        channelId: parsed.value.channelId,
        gatewayId: parsed.value.gatewayId,
        header: packet.header,
    };
    if (packet.variant === 'encrypted' && packet.encrypted) {
        envelope.encrypted = packet.encrypted;
    }
    else if (packet.variant === 'decoded' && packet.decoded) {
        envelope.decoded = packet.decoded;
    }
    else {
        return envelopeError('packet has neither encrypted nor decoded payload');
    }
    return { ok: true, value: envelope };
}
function dataMessage(d) {
    return (0, protobuf_1.create)(protobufs_1.Mesh.DataSchema, {
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
function encodeEnvelope(env) {
    const h = env.header;
    const payloadVariant = env.encrypted
        ? { case: 'encrypted', value: env.encrypted }
        : env.decoded
            ? { case: 'decoded', value: dataMessage(env.decoded) }
            : { case: undefined };
    const packet = (0, protobuf_1.create)(protobufs_1.Mesh.MeshPacketSchema, {
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
    return (0, protobuf_1.toBinary)(protobufs_1.Mqtt.ServiceEnvelopeSchema, (0, protobuf_1.create)(protobufs_1.Mqtt.ServiceEnvelopeSchema, { packet, channelId: env.channelId, gatewayId: env.gatewayId }));
}
/**
 * Parses decrypted bytes as `Data`. Undefined when they do not parse or the port is 0 (UNKNOWN_APP): firmware's own
 * test for "this key was the right one".
 */
function decodeData(bytes) {
    const data = (0, wire_1.readDataMessage)(bytes);
    return data === undefined || data.portnum === 0 ? undefined : data;
}
/** Serialises a `Data` message. */
function encodeData(d) {
    return (0, protobuf_1.toBinary)(protobufs_1.Mesh.DataSchema, dataMessage(d));
}
