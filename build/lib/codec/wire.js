"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.emptyData = emptyData;
exports.emptyHeader = emptyHeader;
exports.readEnvelope = readEnvelope;
exports.readDataMessage = readDataMessage;
const wire_reader_1 = require("./wire-reader");
/** A fresh Data with proto3 defaults. */
function emptyData() {
    return {
        portnum: 0,
        payload: wire_reader_1.EMPTY,
        wantResponse: false,
        dest: 0,
        source: 0,
        requestId: 0,
        replyId: 0,
        emoji: 0,
    };
}
/** Reads Data fields in `[r.pos, end)` into `data` (merge semantics: later fields overwrite). */
function readDataFields(r, data) {
    while (r.pos < r.end) {
        const tag = r.tag();
        switch (tag >>> 3) {
            case 1:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                data.portnum = r.varint32() | 0;
                break;
            case 2:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.LENGTH_DELIMITED);
                data.payload = r.bytes();
                break;
            case 3:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                data.wantResponse = r.bool();
                break;
            case 4:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                data.dest = r.fixed32();
                break;
            case 5:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                data.source = r.fixed32();
                break;
            case 6:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                data.requestId = r.fixed32();
                break;
            case 7:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                data.replyId = r.fixed32();
                break;
            case 8:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                data.emoji = r.fixed32();
                break;
            case 9:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                data.bitfield = r.varint32();
                break;
            default:
                r.skip(tag & 7);
        }
    }
}
/** Parses `Data`; throws WireError. */
function parseData(bytes) {
    const data = emptyData();
    readDataFields(new wire_reader_1.Reader(bytes, 0, bytes.length), data);
    return data;
}
/** A header with every field at its proto3 default (0/false). */
function emptyHeader() {
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
function emptyPacket() {
    return { header: emptyHeader(), variant: undefined, encrypted: undefined, decoded: undefined };
}
/** Reads MeshPacket fields into `packet` (a repeated `packet` field merges, as protobuf requires). */
function readPacketFields(r, packet) {
    const h = packet.header;
    while (r.pos < r.end) {
        const tag = r.tag();
        switch (tag >>> 3) {
            case 1:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                h.from = r.fixed32();
                break;
            case 2:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                h.to = r.fixed32();
                break;
            case 3:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.channel = r.varint32();
                break;
            case 4: {
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.LENGTH_DELIMITED);
                const start = r.lengthDelimited();
                // Oneof: a second `decoded` merges into the first; after `encrypted` it starts afresh.
                if (packet.variant !== 'decoded' || !packet.decoded) {
                    packet.decoded = emptyData();
                }
                packet.variant = 'decoded';
                packet.encrypted = undefined;
                readDataFields(new wire_reader_1.Reader(r.buf, start, r.pos), packet.decoded);
                break;
            }
            case 5:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.LENGTH_DELIMITED);
                packet.encrypted = r.bytes();
                packet.variant = 'encrypted';
                packet.decoded = undefined;
                break;
            case 6:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                h.id = r.fixed32();
                break;
            case 7:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                h.rxTime = r.fixed32();
                break;
            case 8:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.BIT32);
                h.rxSnr = r.float();
                break;
            case 9:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.hopLimit = r.varint32();
                break;
            case 10:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.wantAck = r.bool();
                break;
            case 11:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.priority = r.varint32() | 0;
                break;
            case 12:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.rxRssi = r.varint32() | 0;
                break;
            case 14:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.viaMqtt = r.bool();
                break;
            case 15:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.hopStart = r.varint32();
                break;
            case 16: {
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.LENGTH_DELIMITED);
                const key = r.bytes();
                if (key.length > 0) {
                    h.publicKey = key;
                }
                else {
                    delete h.publicKey;
                }
                break;
            }
            case 17:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.pkiEncrypted = r.bool();
                break;
            case 18:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.nextHop = r.varint32();
                break;
            case 19:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.relayNode = r.varint32();
                break;
            case 21:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                h.transportMechanism = r.varint32() | 0;
                break;
            case 13: {
                // deprecated enum, kept only so that re-encoding is byte-identical
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                const delayed = r.varint32() | 0;
                if (delayed !== 0) {
                    h.delayed = delayed;
                }
                else {
                    delete h.delayed;
                }
                break;
            }
            case 20: {
                // firmware-internal queueing delay, kept only so that re-encoding is byte-identical
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.VARINT);
                const txAfter = r.varint32();
                if (txAfter !== 0) {
                    h.txAfter = txAfter;
                }
                else {
                    delete h.txAfter;
                }
                break;
            }
            default:
                r.skip(tag & 7);
        }
    }
}
/** Parses a ServiceEnvelope; throws WireError (use `readEnvelope` for a result). */
function parseEnvelope(bytes) {
    const r = new wire_reader_1.Reader(bytes, 0, bytes.length);
    const envelope = { channelId: '', gatewayId: '', packet: undefined };
    while (r.pos < r.end) {
        const tag = r.tag();
        switch (tag >>> 3) {
            case 1: {
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.LENGTH_DELIMITED);
                const start = r.lengthDelimited();
                envelope.packet ??= emptyPacket();
                readPacketFields(new wire_reader_1.Reader(bytes, start, r.pos), envelope.packet);
                break;
            }
            case 2:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.LENGTH_DELIMITED);
                envelope.channelId = r.string();
                break;
            case 3:
                (0, wire_reader_1.expectWireType)(tag, wire_reader_1.LENGTH_DELIMITED);
                envelope.gatewayId = r.string();
                break;
            default:
                r.skip(tag & 7);
        }
    }
    return envelope;
}
/** ServiceEnvelope bytes → parts, or the reason they are not a valid envelope. Never throws. */
function readEnvelope(bytes) {
    try {
        return { ok: true, value: parseEnvelope(bytes) };
    }
    catch (e) {
        return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
}
/** Data bytes → Data, or undefined if they are not a valid Data message. Never throws. */
function readDataMessage(bytes) {
    try {
        return parseData(bytes);
    }
    catch {
        return undefined;
    }
}
