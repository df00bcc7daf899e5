/**
 * Send path (spec §6.2, §6.4): envelopes a virtual node publishes, plus node-id helpers.
 */
import { randomBytes } from 'node:crypto';
import { ctrCrypt, pkiEncrypt } from './crypto';
import { type DataInput, encodeData, encodeEnvelope, emptyHeader } from './envelope';
import type { ChannelKey } from './channel-key';
import { buildTopic, PKI_CHANNEL_ID } from './topic';
import type { Envelope, PacketHeader } from './types';

/** A topic and the bytes to publish there (QoS 0, not retained). */
export interface OutgoingMessage {
    topic: string;
    payload: Uint8Array;
}

/** `!xxxxxxxx` (lower-case, 8 hex digits) of a node number. */
export function nodeIdString(num: number): string {
    return `!${(num >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * A node number from `!a1b2c3d4`, `a1b2c3d4` (8 hex digits: the id without `!`), `0xa1b2c3d4` or a decimal number.
 * Undefined for anything else or values beyond uint32.
 */
export function parseNodeId(text: string): number | undefined {
    if (typeof text !== 'string') {
        return undefined;
    }
    const s = text.trim();
    let hex: string | undefined;
    if (s.startsWith('!')) {
        hex = s.slice(1);
    } else if (/^0x/i.test(s)) {
        hex = s.slice(2);
    } else if (/^[0-9a-fA-F]{8}$/.test(s)) {
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
export function randomPacketId(): number {
    for (;;) {
        const id = randomBytes(4).readUInt32LE(0);
        if (id !== 0) {
            return id;
        }
    }
}

/** What every packet we originate carries. */
interface PacketOptions {
    root: string;
    from: number;
    to: number;
    id: number;
    data: DataInput;
    /** Also written as hop_start (the packet starts here). */
    hopLimit: number;
    /** Our `!id` (default: `nodeIdString(from)`), used as envelope gateway id and last topic level. */
    gatewayId?: string;
}

export interface ChannelPacketOptions extends PacketOptions {
    channel: ChannelKey;
    wantAck: boolean;
}

/** The header of a packet we originate: `hop_start` = `hop_limit` (the packet starts here). */
function outgoingHeader(
    opts: Pick<PacketOptions, 'from' | 'to' | 'id' | 'hopLimit'>,
    channel: number,
    wantAck: boolean,
): PacketHeader {
    const header = emptyHeader();
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
export function encodeChannelPacket(opts: ChannelPacketOptions): OutgoingMessage {
    const gatewayId = opts.gatewayId ?? nodeIdString(opts.from);
    const header = outgoingHeader(opts, opts.channel.hash, opts.wantAck);
    const envelope: Envelope = { channelId: opts.channel.name, gatewayId, header };
    // A channel without a key still goes in `encrypted` (the plain Data bytes), as firmware sends it: gateways with
    // encryption enabled (the default) drop `decoded` downlinks.
    envelope.encrypted = ctrCrypt(opts.channel, header.id, header.from, encodeData(opts.data));
    return { topic: buildTopic(opts.root, opts.channel.name, gatewayId), payload: encodeEnvelope(envelope) };
}

export interface PkiPacketOptions extends PacketOptions {
    /** `SHA-256(X25519(ourPrivate, theirPublic))`, 32 bytes. */
    sharedKey: Uint8Array;
    /** Per-packet nonce part (random unless given). */
    extraNonce?: number;
    /** Ask the recipient for an ACK (default true, as firmware does for DMs). */
    wantAck?: boolean;
}

/**
 * A PKI direct message: topic `<root>/2/e/PKI/<gateway>`, `channel_id` "PKI", channel 0, `pki_encrypted`,
 * `want_ack`, AES-256-CCM with the shared key. Throws RangeError if the shared key is not 32 bytes.
 */
export function encodePkiPacket(opts: PkiPacketOptions): OutgoingMessage {
    const gatewayId = opts.gatewayId ?? nodeIdString(opts.from);
    const header = outgoingHeader(opts, 0, opts.wantAck ?? true);
    header.pkiEncrypted = true;
    const encrypted = pkiEncrypt(opts.sharedKey, header.id, header.from, encodeData(opts.data), opts.extraNonce);
    const envelope: Envelope = { channelId: PKI_CHANNEL_ID, gatewayId, header, encrypted };
    return { topic: buildTopic(opts.root, PKI_CHANNEL_ID, gatewayId), payload: encodeEnvelope(envelope) };
}
