/**
 * The receive pipeline of the codec: topic → envelope → key by hash / PKI → Data → typed payload.
 * Built once; `decode` never throws and always returns a typed outcome.
 */
import { ctrCrypt, pkiDecrypt, SharedKeyCache } from './crypto';
import { decodeData, decodeEnvelope } from './envelope';
import { decodeLegacyJson } from './json';
import type { KeyRing } from './keys';
import { decodePayload } from './payloads';
import { DEFAULT_MAX_TOPIC_LENGTH, parseTopic, PKI_CHANNEL_ID } from './topic';
import type { CodecError, DataMessage, DecodedPacket, Encryption, Envelope, OpaquePacket, ParsedTopic } from './types';

export type DecodeOutcome =
    { ok: true; packet: DecodedPacket } | { ok: false; error: CodecError; opaque?: OpaquePacket };

/** Our own PKI identity, to read direct messages addressed to us. */
export interface PkiOptions {
    ownNodeNum: number;
    /** Raw 32-byte X25519 private key. */
    privateKey: Uint8Array;
    /** The sender's advertised public key (from its NodeInfo), if known. */
    publicKeyOf(nodeNum: number): Uint8Array | undefined;
}

export interface PacketDecoderOptions {
    keyRing: KeyRing;
    /** Longer topics are refused (default 256). */
    maxTopicLength?: number;
    /** Accept `/2/json/` uplinks (firmware ≤2.7 `json_enabled`); off by default. */
    legacyJson?: boolean;
    pki?: PkiOptions;
    /** Bound of the PKI shared-key cache (default 1024 peers). */
    maxSharedKeys?: number;
}

const textDecoder = new TextDecoder('utf-8');

export class PacketDecoder {
    private readonly keyRing: KeyRing;
    private readonly maxTopicLength: number;
    private readonly legacyJson: boolean;
    private readonly pki: PkiOptions | undefined;
    private readonly sharedKeys: SharedKeyCache | undefined;

    constructor(options: PacketDecoderOptions) {
        this.keyRing = options.keyRing;
        this.maxTopicLength = options.maxTopicLength ?? DEFAULT_MAX_TOPIC_LENGTH;
        this.legacyJson = options.legacyJson ?? false;
        this.pki = options.pki;
        this.sharedKeys = options.pki ? new SharedKeyCache(options.pki.privateKey, options.maxSharedKeys) : undefined;
    }

    /** Decodes one MQTT message. Never throws. */
    decode(topic: string, payload: Uint8Array): DecodeOutcome {
        try {
            return this.decodeUnsafe(topic, payload);
        } catch (e) {
            // Defensive: every step handles its own failures; this keeps the contract if a library surprises us.
            return {
                ok: false,
                error: { ok: false, reason: 'envelope', message: `internal decoder error: ${String(e)}` },
            };
        }
    }

    private decodeUnsafe(topicText: string, payload: Uint8Array): DecodeOutcome {
        const topic = parseTopic(topicText, this.maxTopicLength);
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
        const envelope = decodeEnvelope(payload);
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

        const pkiLike = env.channelId === PKI_CHANNEL_ID || h.pkiEncrypted;
        const pki = this.pki;
        if (pki && (pkiLike || h.channel === 0) && h.to === pki.ownNodeNum >>> 0) {
            const senderKey = pki.publicKeyOf(h.from);
            const shared = senderKey && this.sharedKeys?.sharedKey(h.from, senderKey);
            const plain = shared && pkiDecrypt(shared, h.id, h.from, encrypted);
            const data = plain && decodeData(plain);
            if (data && senderKey) {
                const header = { ...h, publicKey: senderKey };
                return this.finish(parsedTopic, { ...env, header }, channelId, gatewayId, 'pki', PKI_CHANNEL_ID, data);
            }
        }
        if (pkiLike) {
            const why =
                pki && h.to === pki.ownNodeNum >>> 0
                    ? 'PKI direct message to us that does not decrypt (sender key unknown or wrong)'
                    : 'PKI direct message between other nodes (only the recipient can decrypt it)';
            return fail({ ok: false, reason: 'pki', message: why, channelId, gatewayId }, parsedTopic, env, 'pki');
        }

        // Channel packets: every configured key with this hash, first Data that parses with portnum ≠ 0 wins.
        for (const channel of this.keyRing.candidates(h.channel)) {
            const data = decodeData(ctrCrypt(channel, h.id, h.from, encrypted));
            if (data) {
                const encryption: Encryption = channel.keystream ? 'channel' : 'none';
                return this.finish(parsedTopic, env, channelId, gatewayId, encryption, channel.name, data);
            }
        }
        return fail(
            {
                ok: false,
                reason: 'decrypt',
                message: `no configured key decrypts channel "${channelId}" (hash ${h.channel})`,
                channelId,
                channelHash: h.channel,
                gatewayId,
            },
            parsedTopic,
            env,
            'decrypt',
        );
    }

    private decodeJson(topic: ParsedTopic, payload: Uint8Array): DecodeOutcome {
        if (!this.legacyJson) {
            return fail({ ok: false, reason: 'topic', message: 'legacy JSON disabled' }, topic);
        }
        const result = decodeLegacyJson(topic, textDecoder.decode(payload));
        return result.ok ? { ok: true, packet: result.value } : fail(result, topic);
    }

    private finish(
        topic: ParsedTopic,
        env: Envelope,
        channelId: string,
        gatewayId: string,
        encryption: Encryption,
        channelName: string,
        data: DataMessage,
    ): DecodeOutcome {
        const decoded = decodePayload(data.portnum, data.payload);
        const packet: DecodedPacket = {
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

/** An error outcome; with an envelope, the opaque packet whose header is still useful to the mesh model. */
function fail(error: CodecError, topic: ParsedTopic, env?: Envelope, reason?: 'pki' | 'decrypt'): DecodeOutcome {
    if (error.gatewayId === undefined && topic.gatewayId !== undefined) {
        error.gatewayId = topic.gatewayId;
    }
    if (!env || !reason) {
        return { ok: false, error };
    }
    const opaque: OpaquePacket = {
        topic,
        channelId: error.channelId ?? env.channelId,
        gatewayId: error.gatewayId ?? env.gatewayId,
        header: env.header,
        reason,
    };
    return { ok: false, error, opaque };
}
