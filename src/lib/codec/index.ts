/**
 * Public API of the Meshtastic codec: pure functions and classes, no ioBroker, no I/O.
 */
export type * from './types';
export { BROADCAST_NUM, isTelemetryVariant, TELEMETRY_VARIANTS } from './types';
export {
    MAP_REPORT_APP,
    NODEINFO_APP,
    PortNum,
    POSITION_APP,
    ROUTING_APP,
    TELEMETRY_APP,
    TEXT_MESSAGE_APP,
    TRACEROUTE_APP,
} from './portnums';
export { buildMapTopic, buildTopic, DEFAULT_MAX_TOPIC_LENGTH, parseTopic, PKI_CHANNEL_ID } from './topic';
export {
    channelHash,
    type ChannelKey,
    DEFAULT_PSK,
    defaultKeyChannels,
    expandPsk,
    KeyRing,
    makeChannelKey,
    parsePsk,
    presetChannelNames,
} from './keys';
export {
    createKeystreamCipher,
    ctrCrypt,
    ctrNonce,
    ctrXor,
    generateKeyPair,
    PKI_OVERHEAD,
    pkiDecrypt,
    pkiEncrypt,
    pkiSharedKey,
    publicKeyFromPrivate,
    SharedKeyCache,
} from './crypto';
export { type DataInput, decodeData, decodeEnvelope, emptyHeader, encodeData, encodeEnvelope } from './envelope';
export {
    accuracyMeters,
    decodePayload,
    decodeText,
    encodePosition,
    encodeRoutingAck,
    encodeTracerouteRequest,
    encodeText,
    encodeUser,
    enumName,
    type PositionInput,
    type UserInput,
} from './payloads';
export { decodeLegacyJson } from './json';
export { type DecodeOutcome, PacketDecoder, type PacketDecoderOptions, type PkiOptions } from './decoder';
export {
    type ChannelPacketOptions,
    encodeChannelPacket,
    encodePkiPacket,
    nodeIdString,
    type OutgoingMessage,
    parseNodeId,
    type PkiPacketOptions,
    randomPacketId,
} from './encoder';
