"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PacketDecoder = void 0;
/**
 * The receive pipeline of the codec: topic → envelope → key by hash / PKI → Data → typed payload.
 * Built once; `decode` never throws and always returns a typed outcome.
 */
const crypto_1 = require("./crypto");
const envelope_1 = require("./envelope");
const json_1 = require("./json");
const payloads_1 = require("./payloads");
const topic_1 = require("./topic");
const textDecoder = new TextDecoder('utf-8');
class PacketDecoder {
    keyRing;
    maxTopicLength;
    legacyJson;
    pki;
    sharedKeys;
    constructor(options) {
        this.keyRing = options.keyRing;
        this.maxTopicLength = options.maxTopicLength ?? topic_1.DEFAULT_MAX_TOPIC_LENGTH;
        this.legacyJson = options.legacyJson ?? false;
        this.pki = options.pki;
        this.sharedKeys = options.pki ? new crypto_1.SharedKeyCache(options.pki.privateKey, options.maxSharedKeys) : undefined;
    }
    /** Decodes one MQTT message. Never throws. */
    decode(topic, payload) {
        try {
            return this.decodeUnsafe(topic, payload);
        }
        catch (e) {
            // Defensive: every step handles its own failures; this keeps the contract if a library surprises us.
            return {
                ok: false,
                error: { ok: false, reason: 'envelope', message: `internal decoder error: ${String(e)}` },
            };
        }
    }
    decodeUnsafe(topicText, payload) {
        const topic = (0, topic_1.parseTopic)(topicText, this.maxTopicLength);
        if (!topic.ok) {
            return { ok: false, error: topic };
        }
        const parsedTopic = topic.value;
        if (!(payload instanceof Uint8Array)) {
            return fail({ ok: false, reason: 'envelope', message: 'payload is not binary' }, parsedTopic);
        }
        if (parsedTopic.kind === 'json') {
            return this.decodeJson(parsedTopic, payload);
        }
        const envelope = (0, envelope_1.decodeEnvelope)(payload);
        if (!envelope.ok) {
            return fail(envelope, parsedTopic);
        }
        const env = envelope.value;
        const channelId = env.channelId || (parsedTopic.channelId ?? '');
        const gatewayId = env.gatewayId || (parsedTopic.gatewayId ?? '');
        if (env.decoded) {
            return this.finish(parsedTopic, env, channelId, gatewayId, 'none', channelId, env.decoded);
        }
        const encrypted = env.encrypted ?? new Uint8Array(0);
        const h = env.header;
        const pkiLike = env.channelId === topic_1.PKI_CHANNEL_ID || h.pkiEncrypted;
        const pki = this.pki;
        if (pki && (pkiLike || h.channel === 0) && h.to === pki.ownNodeNum >>> 0) {
            const senderKey = pki.publicKeyOf(h.from);
            const shared = senderKey && this.sharedKeys?.sharedKey(h.from, senderKey);
            const plain = shared && (0, crypto_1.pkiDecrypt)(shared, h.id, h.from, encrypted);
            const data = plain && (0, envelope_1.decodeData)(plain);
            if (data && senderKey) {
                const header = { ...h, publicKey: senderKey };
                return this.finish(parsedTopic, { ...env, header }, channelId, gatewayId, 'pki', topic_1.PKI_CHANNEL_ID, data);
            }
        }
        if (pkiLike) {
            const why = pki && h.to === pki.ownNodeNum >>> 0
                ? 'PKI direct message to us that does not decrypt (sender key unknown or wrong)'
                : 'PKI direct message between other nodes (only the recipient can decrypt it)';
            return fail({ ok: false, reason: 'pki', message: why, channelId, gatewayId }, parsedTopic, env, 'pki');
        }
        // Channel packets: every configured key with this hash, first Data that parses with portnum ≠ 0 wins.
        for (const channel of this.keyRing.candidates(h.channel)) {
            const data = (0, envelope_1.decodeData)((0, crypto_1.ctrCrypt)(channel, h.id, h.from, encrypted));
            if (data) {
                const encryption = channel.keystream ? 'channel' : 'none';
                return this.finish(parsedTopic, env, channelId, gatewayId, encryption, channel.name, data);
            }
        }
        return fail({
            ok: false,
            reason: 'decrypt',
            message: `no configured key decrypts channel "${channelId}" (hash ${h.channel})`,
            channelId,
            channelHash: h.channel,
            gatewayId,
        }, parsedTopic, env, 'decrypt');
    }
    decodeJson(topic, payload) {
        if (!this.legacyJson) {
            return fail({ ok: false, reason: 'topic', message: 'legacy JSON disabled' }, topic);
        }
        const result = (0, json_1.decodeLegacyJson)(topic, textDecoder.decode(payload));
        return result.ok ? { ok: true, packet: result.value } : fail(result, topic);
    }
    finish(topic, env, channelId, gatewayId, encryption, channelName, data) {
        const decoded = (0, payloads_1.decodePayload)(data.portnum, data.payload);
        const packet = {
            topic,
            channelId,
            gatewayId,
            header: env.header,
            encryption,
            channelName,
            data,
            payload: decoded.payload,
        };
        if (decoded.error !== undefined) {
            packet.payloadError = decoded.error;
        }
        return { ok: true, packet };
    }
}
exports.PacketDecoder = PacketDecoder;
/** An error outcome; with an envelope, the opaque packet whose header is still useful to the mesh model. */
function fail(error, topic, env, reason) {
    if (error.gatewayId === undefined && topic.gatewayId !== undefined) {
        error.gatewayId = topic.gatewayId;
    }
    if (!env || !reason) {
        return { ok: false, error };
    }
    const opaque = {
        topic,
        channelId: error.channelId ?? env.channelId,
        gatewayId: error.gatewayId ?? env.gatewayId,
        header: env.header,
        reason,
    };
    return { ok: false, error, opaque };
}
