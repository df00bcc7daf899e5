"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.nodeIdString = nodeIdString;
exports.parseNodeId = parseNodeId;
exports.randomPacketId = randomPacketId;
exports.encodeChannelPacket = encodeChannelPacket;
exports.encodePkiPacket = encodePkiPacket;
/**
 * Send path (spec §6.2, §6.4): envelopes a virtual node publishes, plus node-id helpers.
 */
const node_crypto_1 = require("node:crypto");
const crypto_1 = require("./crypto");
const envelope_1 = require("./envelope");
const topic_1 = require("./topic");
/** `!xxxxxxxx` (lower-case, 8 hex digits) of a node number. */
function nodeIdString(num) {
    return `!${(num >>> 0).toString(16).padStart(8, '0')}`;
}
/**
 * A node number from `!a1b2c3d4`, `a1b2c3d4` (8 hex digits: the id without `!`), `0xa1b2c3d4` or a decimal number.
 * Undefined for anything else or values beyond uint32.
 */
function parseNodeId(text) {
    if (typeof text !== 'string') {
        return undefined;
    }
    const s = text.trim();
    let hex;
    if (s.startsWith('!')) {
        hex = s.slice(1);
    }
    else if (/^0x/i.test(s)) {
        hex = s.slice(2);
    }
    else if (/^[0-9a-fA-F]{8}$/.test(s)) {
        hex = s;
    }
    if (hex !== undefined) {
        return /^[0-9a-fA-F]{1,8}$/.test(hex) ? parseInt(hex, 16) >>> 0 : undefined;
    }
    if (/^[0-9]{1,10}$/.test(s)) {
        const value = Number(s);
        return value <= 0xffffffff ? value : undefined;
    }
    return undefined;
}
/** A random packet id, never 0 (firmware treats id 0 as "not set"). */
function randomPacketId() {
    for (;;) {
        const id = (0, node_crypto_1.randomBytes)(4).readUInt32LE(0);
        if (id !== 0) {
            return id;
        }
    }
}
/** The header of a packet we originate: `hop_start` = `hop_limit` (the packet starts here). */
function outgoingHeader(opts, channel, wantAck) {
    const header = (0, envelope_1.emptyHeader)();
    header.from = opts.from >>> 0;
    header.to = opts.to >>> 0;
    header.id = opts.id >>> 0;
    header.channel = channel;
    header.hopLimit = opts.hopLimit;
    header.hopStart = opts.hopLimit;
    header.wantAck = wantAck;
    return header;
}
/**
 * A channel packet as a virtual node publishes it: topic `<root>/2/e/<channel>/<gateway>`, `channel_id` = the exact
 * channel name, `packet.channel` = channel hash, encrypted with the channel key (plain Data bytes for a channel
 * without a key).
 */
function encodeChannelPacket(opts) {
    const gatewayId = opts.gatewayId ?? nodeIdString(opts.from);
    const header = outgoingHeader(opts, opts.channel.hash, opts.wantAck);
    const envelope = { channelId: opts.channel.name, gatewayId, header };
    // A channel without a key still goes in `encrypted` (the plain Data bytes), as firmware sends it: gateways with
    // encryption enabled (the default) drop `decoded` downlinks.
    envelope.encrypted = (0, crypto_1.ctrCrypt)(opts.channel, header.id, header.from, (0, envelope_1.encodeData)(opts.data));
    return { topic: (0, topic_1.buildTopic)(opts.root, opts.channel.name, gatewayId), payload: (0, envelope_1.encodeEnvelope)(envelope) };
}
/**
 * A PKI direct message: topic `<root>/2/e/PKI/<gateway>`, `channel_id` "PKI", channel 0, `pki_encrypted`,
 * `want_ack`, AES-256-CCM with the shared key. Throws RangeError if the shared key is not 32 bytes.
 */
function encodePkiPacket(opts) {
    const gatewayId = opts.gatewayId ?? nodeIdString(opts.from);
    const header = outgoingHeader(opts, 0, opts.wantAck ?? true);
    header.pkiEncrypted = true;
    const encrypted = (0, crypto_1.pkiEncrypt)(opts.sharedKey, header.id, header.from, (0, envelope_1.encodeData)(opts.data), opts.extraNonce);
    const envelope = { channelId: topic_1.PKI_CHANNEL_ID, gatewayId, header, encrypted };
    return { topic: (0, topic_1.buildTopic)(opts.root, topic_1.PKI_CHANNEL_ID, gatewayId), payload: (0, envelope_1.encodeEnvelope)(envelope) };
}
