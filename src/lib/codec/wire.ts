/**
 * A small, strict protobuf reader for the three messages on the hot path: ServiceEnvelope, MeshPacket and Data.
 *
 * Why not `fromBinary`: profiling the decoder showed a quarter of all time in protobuf-es message construction for
 * these wrappers, which every packet (and every key tried) goes through. This reader builds the codec's plain types
 * directly. It is stricter than protobuf-es (like firmware's nanopb): a known field with the wrong wire type, a field
 * that crosses the end of its message, groups, and invalid UTF-8 in strings are errors. The tests check that whatever
 * it accepts, protobuf-es decodes to the same values, and that both agree on every valid encoding.
 * Payload messages (Position, User, Telemetry…) still use protobuf-es.
 */
import type { DataMessage, PacketHeader } from './types';
import { BIT32, EMPTY, expectWireType, LENGTH_DELIMITED, Reader, VARINT } from './wire-reader';

/** A fresh Data with proto3 defaults. */
export function emptyData(): DataMessage {
    return {
        portnum: 0,
        payload: EMPTY,
        wantResponse: false,
        dest: 0,
        source: 0,
        requestId: 0,
        replyId: 0,
        emoji: 0,
    };
}

/** Reads Data fields in `[r.pos, end)` into `data` (merge semantics: later fields overwrite). */
function readDataFields(r: Reader, data: DataMessage): void {
    while (r.pos < r.end) {
        const tag = r.tag();
        switch (tag >>> 3) {
            case 1:
                expectWireType(tag, VARINT);
                data.portnum = r.varint32() | 0;
                break;
            case 2:
                expectWireType(tag, LENGTH_DELIMITED);
                data.payload = r.bytes();
                break;
            case 3:
                expectWireType(tag, VARINT);
                data.wantResponse = r.bool();
                break;
            case 4:
                expectWireType(tag, BIT32);
                data.dest = r.fixed32();
                break;
            case 5:
                expectWireType(tag, BIT32);
                data.source = r.fixed32();
                break;
            case 6:
                expectWireType(tag, BIT32);
                data.requestId = r.fixed32();
                break;
            case 7:
                expectWireType(tag, BIT32);
                data.replyId = r.fixed32();
                break;
            case 8:
                expectWireType(tag, BIT32);
                data.emoji = r.fixed32();
                break;
            case 9:
                expectWireType(tag, VARINT);
                data.bitfield = r.varint32();
                break;
            default:
                r.skip(tag & 7);
        }
    }
}

/** Parses `Data`; throws WireError. */
function parseData(bytes: Uint8Array): DataMessage {
    const data = emptyData();
    readDataFields(new Reader(bytes, 0, bytes.length), data);
    return data;
}

/** MeshPacket as read: header plus the payload oneof. */
export interface PacketParts {
    header: PacketHeader;
    variant: 'encrypted' | 'decoded' | undefined;
    encrypted: Uint8Array | undefined;
    decoded: DataMessage | undefined;
}

/** A header with every field at its proto3 default (0/false). */
export function emptyHeader(): PacketHeader {
    return {
        from: 0,
        to: 0,
        id: 0,
        channel: 0,
        hopLimit: 0,
        hopStart: 0,
        wantAck: false,
        viaMqtt: false,
        rxTime: 0,
        rxSnr: 0,
        rxRssi: 0,
        priority: 0,
        relayNode: 0,
        nextHop: 0,
        pkiEncrypted: false,
        transportMechanism: 0,
    };
}

function emptyPacket(): PacketParts {
    return { header: emptyHeader(), variant: undefined, encrypted: undefined, decoded: undefined };
}

/** Reads MeshPacket fields into `packet` (a repeated `packet` field merges, as protobuf requires). */
function readPacketFields(r: Reader, packet: PacketParts): void {
    const h = packet.header;
    while (r.pos < r.end) {
        const tag = r.tag();
        switch (tag >>> 3) {
            case 1:
                expectWireType(tag, BIT32);
                h.from = r.fixed32();
                break;
            case 2:
                expectWireType(tag, BIT32);
                h.to = r.fixed32();
                break;
            case 3:
                expectWireType(tag, VARINT);
                h.channel = r.varint32();
                break;
            case 4: {
                expectWireType(tag, LENGTH_DELIMITED);
                const start = r.lengthDelimited();
                // Oneof: a second `decoded` merges into the first; after `encrypted` it starts afresh.
                if (packet.variant !== 'decoded' || !packet.decoded) {
                    packet.decoded = emptyData();
                }
                packet.variant = 'decoded';
                packet.encrypted = undefined;
                readDataFields(new Reader(r.buf, start, r.pos), packet.decoded);
                break;
            }
            case 5:
                expectWireType(tag, LENGTH_DELIMITED);
                packet.encrypted = r.bytes();
                packet.variant = 'encrypted';
                packet.decoded = undefined;
                break;
            case 6:
                expectWireType(tag, BIT32);
                h.id = r.fixed32();
                break;
            case 7:
                expectWireType(tag, BIT32);
                h.rxTime = r.fixed32();
                break;
            case 8:
                expectWireType(tag, BIT32);
                h.rxSnr = r.float();
                break;
            case 9:
                expectWireType(tag, VARINT);
                h.hopLimit = r.varint32();
                break;
            case 10:
                expectWireType(tag, VARINT);
                h.wantAck = r.bool();
                break;
            case 11:
                expectWireType(tag, VARINT);
                h.priority = r.varint32() | 0;
                break;
            case 12:
                expectWireType(tag, VARINT);
                h.rxRssi = r.varint32() | 0;
                break;
            case 14:
                expectWireType(tag, VARINT);
                h.viaMqtt = r.bool();
                break;
            case 15:
                expectWireType(tag, VARINT);
                h.hopStart = r.varint32();
                break;
            case 16: {
                expectWireType(tag, LENGTH_DELIMITED);
                const key = r.bytes();
                if (key.length > 0) {
                    h.publicKey = key;
                } else {
                    delete h.publicKey;
                }
                break;
            }
            case 17:
                expectWireType(tag, VARINT);
                h.pkiEncrypted = r.bool();
                break;
            case 18:
                expectWireType(tag, VARINT);
                h.nextHop = r.varint32();
                break;
            case 19:
                expectWireType(tag, VARINT);
                h.relayNode = r.varint32();
                break;
            case 21:
                expectWireType(tag, VARINT);
                h.transportMechanism = r.varint32() | 0;
                break;
            case 13: {
                // deprecated enum, kept only so that re-encoding is byte-identical
                expectWireType(tag, VARINT);
                const delayed = r.varint32() | 0;
                if (delayed !== 0) {
                    h.delayed = delayed;
                } else {
                    delete h.delayed;
                }
                break;
            }
            case 20: {
                // firmware-internal queueing delay, kept only so that re-encoding is byte-identical
                expectWireType(tag, VARINT);
                const txAfter = r.varint32();
                if (txAfter !== 0) {
                    h.txAfter = txAfter;
                } else {
                    delete h.txAfter;
                }
                break;
            }
            default:
                r.skip(tag & 7);
        }
    }
}

/** What the envelope reader produces. */
export interface WireEnvelope {
    channelId: string;
    gatewayId: string;
    packet: PacketParts | undefined;
}

/** Parses a ServiceEnvelope; throws WireError (use `readEnvelope` for a result). */
function parseEnvelope(bytes: Uint8Array): WireEnvelope {
    const r = new Reader(bytes, 0, bytes.length);
    const envelope: WireEnvelope = { channelId: '', gatewayId: '', packet: undefined };
    while (r.pos < r.end) {
        const tag = r.tag();
        switch (tag >>> 3) {
            case 1: {
                expectWireType(tag, LENGTH_DELIMITED);
                const start = r.lengthDelimited();
                envelope.packet ??= emptyPacket();
                readPacketFields(new Reader(bytes, start, r.pos), envelope.packet);
                break;
            }
            case 2:
                expectWireType(tag, LENGTH_DELIMITED);
                envelope.channelId = r.string();
                break;
            case 3:
                expectWireType(tag, LENGTH_DELIMITED);
                envelope.gatewayId = r.string();
                break;
            default:
                r.skip(tag & 7);
        }
    }
    return envelope;
}

/** ServiceEnvelope bytes → parts, or the reason they are not a valid envelope. Never throws. */
export function readEnvelope(bytes: Uint8Array): { ok: true; value: WireEnvelope } | { ok: false; message: string } {
    try {
        return { ok: true, value: parseEnvelope(bytes) };
    } catch (e) {
        return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
}

/** Data bytes → Data, or undefined if they are not a valid Data message. Never throws. */
export function readDataMessage(bytes: Uint8Array): DataMessage | undefined {
    try {
        return parseData(bytes);
    } catch {
        return undefined;
    }
}
