"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.randomPacketId = exports.parseNodeId = exports.nodeIdString = exports.encodePkiPacket = exports.encodeChannelPacket = exports.PacketDecoder = exports.decodeLegacyJson = exports.enumName = exports.encodeUser = exports.encodeText = exports.encodeRoutingAck = exports.encodePosition = exports.decodeText = exports.decodePayload = exports.accuracyMeters = exports.encodeEnvelope = exports.encodeData = exports.emptyHeader = exports.decodeEnvelope = exports.decodeData = exports.SharedKeyCache = exports.publicKeyFromPrivate = exports.pkiSharedKey = exports.pkiEncrypt = exports.pkiDecrypt = exports.PKI_OVERHEAD = exports.generateKeyPair = exports.ctrXor = exports.ctrNonce = exports.ctrCrypt = exports.createKeystreamCipher = exports.presetChannelNames = exports.parsePsk = exports.makeChannelKey = exports.KeyRing = exports.expandPsk = exports.defaultKeyChannels = exports.DEFAULT_PSK = exports.channelHash = exports.PKI_CHANNEL_ID = exports.parseTopic = exports.DEFAULT_MAX_TOPIC_LENGTH = exports.buildTopic = exports.buildMapTopic = void 0;
/**
 * Public API of the Meshtastic codec: pure functions and classes, no ioBroker, no I/O.
 */
__exportStar(require("./types"), exports);
var topic_1 = require("./topic");
Object.defineProperty(exports, "buildMapTopic", { enumerable: true, get: function () { return topic_1.buildMapTopic; } });
Object.defineProperty(exports, "buildTopic", { enumerable: true, get: function () { return topic_1.buildTopic; } });
Object.defineProperty(exports, "DEFAULT_MAX_TOPIC_LENGTH", { enumerable: true, get: function () { return topic_1.DEFAULT_MAX_TOPIC_LENGTH; } });
Object.defineProperty(exports, "parseTopic", { enumerable: true, get: function () { return topic_1.parseTopic; } });
Object.defineProperty(exports, "PKI_CHANNEL_ID", { enumerable: true, get: function () { return topic_1.PKI_CHANNEL_ID; } });
var keys_1 = require("./keys");
Object.defineProperty(exports, "channelHash", { enumerable: true, get: function () { return keys_1.channelHash; } });
Object.defineProperty(exports, "DEFAULT_PSK", { enumerable: true, get: function () { return keys_1.DEFAULT_PSK; } });
Object.defineProperty(exports, "defaultKeyChannels", { enumerable: true, get: function () { return keys_1.defaultKeyChannels; } });
Object.defineProperty(exports, "expandPsk", { enumerable: true, get: function () { return keys_1.expandPsk; } });
Object.defineProperty(exports, "KeyRing", { enumerable: true, get: function () { return keys_1.KeyRing; } });
Object.defineProperty(exports, "makeChannelKey", { enumerable: true, get: function () { return keys_1.makeChannelKey; } });
Object.defineProperty(exports, "parsePsk", { enumerable: true, get: function () { return keys_1.parsePsk; } });
Object.defineProperty(exports, "presetChannelNames", { enumerable: true, get: function () { return keys_1.presetChannelNames; } });
var crypto_1 = require("./crypto");
Object.defineProperty(exports, "createKeystreamCipher", { enumerable: true, get: function () { return crypto_1.createKeystreamCipher; } });
Object.defineProperty(exports, "ctrCrypt", { enumerable: true, get: function () { return crypto_1.ctrCrypt; } });
Object.defineProperty(exports, "ctrNonce", { enumerable: true, get: function () { return crypto_1.ctrNonce; } });
Object.defineProperty(exports, "ctrXor", { enumerable: true, get: function () { return crypto_1.ctrXor; } });
Object.defineProperty(exports, "generateKeyPair", { enumerable: true, get: function () { return crypto_1.generateKeyPair; } });
Object.defineProperty(exports, "PKI_OVERHEAD", { enumerable: true, get: function () { return crypto_1.PKI_OVERHEAD; } });
Object.defineProperty(exports, "pkiDecrypt", { enumerable: true, get: function () { return crypto_1.pkiDecrypt; } });
Object.defineProperty(exports, "pkiEncrypt", { enumerable: true, get: function () { return crypto_1.pkiEncrypt; } });
Object.defineProperty(exports, "pkiSharedKey", { enumerable: true, get: function () { return crypto_1.pkiSharedKey; } });
Object.defineProperty(exports, "publicKeyFromPrivate", { enumerable: true, get: function () { return crypto_1.publicKeyFromPrivate; } });
Object.defineProperty(exports, "SharedKeyCache", { enumerable: true, get: function () { return crypto_1.SharedKeyCache; } });
var envelope_1 = require("./envelope");
Object.defineProperty(exports, "decodeData", { enumerable: true, get: function () { return envelope_1.decodeData; } });
Object.defineProperty(exports, "decodeEnvelope", { enumerable: true, get: function () { return envelope_1.decodeEnvelope; } });
Object.defineProperty(exports, "emptyHeader", { enumerable: true, get: function () { return envelope_1.emptyHeader; } });
Object.defineProperty(exports, "encodeData", { enumerable: true, get: function () { return envelope_1.encodeData; } });
Object.defineProperty(exports, "encodeEnvelope", { enumerable: true, get: function () { return envelope_1.encodeEnvelope; } });
var payloads_1 = require("./payloads");
Object.defineProperty(exports, "accuracyMeters", { enumerable: true, get: function () { return payloads_1.accuracyMeters; } });
Object.defineProperty(exports, "decodePayload", { enumerable: true, get: function () { return payloads_1.decodePayload; } });
Object.defineProperty(exports, "decodeText", { enumerable: true, get: function () { return payloads_1.decodeText; } });
Object.defineProperty(exports, "encodePosition", { enumerable: true, get: function () { return payloads_1.encodePosition; } });
Object.defineProperty(exports, "encodeRoutingAck", { enumerable: true, get: function () { return payloads_1.encodeRoutingAck; } });
Object.defineProperty(exports, "encodeText", { enumerable: true, get: function () { return payloads_1.encodeText; } });
Object.defineProperty(exports, "encodeUser", { enumerable: true, get: function () { return payloads_1.encodeUser; } });
Object.defineProperty(exports, "enumName", { enumerable: true, get: function () { return payloads_1.enumName; } });
var json_1 = require("./json");
Object.defineProperty(exports, "decodeLegacyJson", { enumerable: true, get: function () { return json_1.decodeLegacyJson; } });
var decoder_1 = require("./decoder");
Object.defineProperty(exports, "PacketDecoder", { enumerable: true, get: function () { return decoder_1.PacketDecoder; } });
var encoder_1 = require("./encoder");
Object.defineProperty(exports, "encodeChannelPacket", { enumerable: true, get: function () { return encoder_1.encodeChannelPacket; } });
Object.defineProperty(exports, "encodePkiPacket", { enumerable: true, get: function () { return encoder_1.encodePkiPacket; } });
Object.defineProperty(exports, "nodeIdString", { enumerable: true, get: function () { return encoder_1.nodeIdString; } });
Object.defineProperty(exports, "parseNodeId", { enumerable: true, get: function () { return encoder_1.parseNodeId; } });
Object.defineProperty(exports, "randomPacketId", { enumerable: true, get: function () { return encoder_1.randomPacketId; } });
