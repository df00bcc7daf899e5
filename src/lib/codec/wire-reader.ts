/**
 * The protobuf wire primitives of `wire.ts`: a strict reader over one message body (varints, fixed, length-delimited
 * fields, strict UTF-8) and the error it throws; `wire.ts` turns that error into a result.
 */
export const VARINT = 0;
const BIT64 = 1;
export const LENGTH_DELIMITED = 2;
export const BIT32 = 5;

/** Thrown inside this module only; the exported functions turn it into a result. */
export class WireError extends Error {}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Scratch views to reinterpret fixed32 bits as a float32 without a DataView per message. */
const floatValue = new Float32Array(1);
const floatBits = new Uint32Array(floatValue.buffer);
export const EMPTY = new Uint8Array(0);

/** Reading position over one message body `[pos, end)` of `buf`. */
export class Reader {
    constructor(
        readonly buf: Uint8Array,
        public pos: number,
        readonly end: number,
    ) {}

    /** Low 32 bits of a varint (≤10 bytes), unsigned. */
    varint32(): number {
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
    bool(): boolean {
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

    fixed32(): number {
        if (this.pos + 4 > this.end) {
            throw new WireError('truncated fixed32');
        }
        const b = this.buf;
        const p = this.pos;
        this.pos = p + 4;
        return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    }

    float(): number {
        const bits = this.fixed32();
        floatBits[0] = bits;
        return floatValue[0];
    }

    /** Start of a length-delimited field's content; advances past it, so its end is the new `pos`. */
    lengthDelimited(): number {
        const length = this.varint32();
        const start = this.pos;
        if (length > this.end - start) {
            throw new WireError('length-delimited field runs past the end of its message');
        }
        this.pos = start + length;
        return start;
    }

    bytes(): Uint8Array {
        const start = this.lengthDelimited();
        return this.buf.subarray(start, this.pos);
    }

    string(): string {
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
                } catch {
                    throw new WireError('string is not valid UTF-8');
                }
            }
            ascii += String.fromCharCode(c);
        }
        return ascii;
    }

    /** Reads a tag: field number × 8 + wire type. Tags beyond uint32, groups (3/4) and wire types 6/7 are refused. */
    tag(): number {
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
        if (wireType !== VARINT && wireType !== BIT64 && wireType !== LENGTH_DELIMITED && wireType !== BIT32) {
            throw new WireError(`unsupported wire type ${wireType}`);
        }
        return tag;
    }

    skip(wireType: number): void {
        switch (wireType) {
            case VARINT:
                this.varint32();
                return;
            case BIT64:
                this.advance(8);
                return;
            case BIT32:
                this.advance(4);
                return;
            default:
                this.lengthDelimited();
        }
    }

    private advance(n: number): void {
        if (this.pos + n > this.end) {
            throw new WireError('truncated field');
        }
        this.pos += n;
    }
}

export function expectWireType(tag: number, wireType: number): void {
    if ((tag & 7) !== wireType) {
        throw new WireError(`field ${tag >>> 3} has wire type ${tag & 7}, expected ${wireType}`);
    }
}
