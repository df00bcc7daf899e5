"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Reader = exports.EMPTY = exports.WireError = exports.BIT32 = exports.LENGTH_DELIMITED = exports.VARINT = void 0;
exports.expectWireType = expectWireType;
/**
 * The protobuf wire primitives of `wire.ts`: a strict reader over one message body (varints, fixed, length-delimited
 * fields, strict UTF-8) and the error it throws; `wire.ts` turns that error into a result.
 */
exports.VARINT = 0;
const BIT64 = 1;
exports.LENGTH_DELIMITED = 2;
exports.BIT32 = 5;
/** Thrown inside this module only; the exported functions turn it into a result. */
class WireError extends Error {
}
exports.WireError = WireError;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Scratch views to reinterpret fixed32 bits as a float32 without a DataView per message. */
const floatValue = new Float32Array(1);
const floatBits = new Uint32Array(floatValue.buffer);
exports.EMPTY = new Uint8Array(0);
/** Reading position over one message body `[pos, end)` of `buf`. */
class Reader {
    buf;
    pos;
    end;
    constructor(buf, pos, end) {
        this.buf = buf;
        this.pos = pos;
        this.end = end;
    }
    /** Low 32 bits of a varint (≤10 bytes), unsigned. */
    varint32() {
        const buf = this.buf;
        let result = 0;
        for (let i = 0; i < 10; i++) {
            if (this.pos >= this.end) {
                throw new WireError('truncated varint');
            }
            const b = buf[this.pos++];
            if (i < 5) {
                result |= (b & 0x7f) << (7 * i);
            }
            if (b < 0x80) {
                return result >>> 0;
            }
        }
        throw new WireError('varint longer than 10 bytes');
    }
    /** A bool varint: true if any of its 64 value bits is set. */
    bool() {
        let nonZero = false;
        for (let i = 0; i < 10; i++) {
            if (this.pos >= this.end) {
                throw new WireError('truncated varint');
            }
            const b = this.buf[this.pos++];
            if ((b & (i === 9 ? 0x01 : 0x7f)) !== 0) {
                nonZero = true;
            }
            if (b < 0x80) {
                return nonZero;
            }
        }
        throw new WireError('varint longer than 10 bytes');
    }
    fixed32() {
        if (this.pos + 4 > this.end) {
            throw new WireError('truncated fixed32');
        }
        const b = this.buf;
        const p = this.pos;
        this.pos = p + 4;
        return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    }
    float() {
        const bits = this.fixed32();
        floatBits[0] = bits;
        return floatValue[0];
    }
    /** Start of a length-delimited field's content; advances past it, so its end is the new `pos`. */
    lengthDelimited() {
        const length = this.varint32();
        const start = this.pos;
        if (length > this.end - start) {
            throw new WireError('length-delimited field runs past the end of its message');
        }
        this.pos = start + length;
        return start;
    }
    bytes() {
        const start = this.lengthDelimited();
        return this.buf.subarray(start, this.pos);
    }
    string() {
        const start = this.lengthDelimited();
        const buf = this.buf;
        const end = this.pos;
        let ascii = '';
        // Channel and gateway ids are short ASCII: skip TextDecoder for them.
        for (let i = start; i < end; i++) {
            const c = buf[i];
            if (c > 0x7f) {
                try {
                    return strictUtf8.decode(buf.subarray(start, end));
                }
                catch {
                    throw new WireError('string is not valid UTF-8');
                }
            }
            ascii += String.fromCharCode(c);
        }
        return ascii;
    }
    /** Reads a tag: field number × 8 + wire type. Tags beyond uint32, groups (3/4) and wire types 6/7 are refused. */
    tag() {
        const start = this.pos;
        const tag = this.varint32();
        const length = this.pos - start;
        if (length > 5 || (length === 5 && this.buf[this.pos - 1] > 0x0f)) {
            throw new WireError('tag overflows uint32');
        }
        const wireType = tag & 7;
        if (tag >>> 3 === 0) {
            throw new WireError('field number 0');
        }
        if (wireType !== exports.VARINT && wireType !== BIT64 && wireType !== exports.LENGTH_DELIMITED && wireType !== exports.BIT32) {
            throw new WireError(`unsupported wire type ${wireType}`);
        }
        return tag;
    }
    skip(wireType) {
        switch (wireType) {
            case exports.VARINT:
                this.varint32();
                return;
            case BIT64:
                this.advance(8);
                return;
            case exports.BIT32:
                this.advance(4);
                return;
            default:
                this.lengthDelimited();
        }
    }
    advance(n) {
        if (this.pos + n > this.end) {
            throw new WireError('truncated field');
        }
        this.pos += n;
    }
}
exports.Reader = Reader;
function expectWireType(tag, wireType) {
    if ((tag & 7) !== wireType) {
        throw new WireError(`field ${tag >>> 3} has wire type ${tag & 7}, expected ${wireType}`);
    }
}
