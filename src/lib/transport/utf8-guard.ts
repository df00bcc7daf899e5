/**
 * MQTT 3.1.1 §1.5.3: a receiver MUST close the connection on a string that is not well-formed UTF-8 or contains
 * U+0000 (MQTT-1.5.3-1, -2). aedes' parser (mqtt-packet) decodes such bytes with replacement characters and goes on,
 * so this scanner checks the string fields on the raw bytes before the parser sees them: CONNECT (protocol name,
 * client id, will topic, user name), PUBLISH (topic), SUBSCRIBE and UNSUBSCRIBE (topic filters). Binary fields
 * (password, will message, payloads) are not strings and are skipped. Malformed packet structure is left to the
 * parser; only well-delimited strings are judged.
 */
import { isUtf8 } from 'node:buffer';

const CONNECT = 1;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;

/** The first bad string field of a packet body, or undefined. */
type BodyCheck = (body: Buffer) => string | undefined;

function badString(bytes: Buffer): boolean {
    return bytes.includes(0) || !isUtf8(bytes);
}

/** Reads length-prefixed fields; `undefined` when the body ends early (the parser reports that, not we). */
class FieldReader {
    private at = 0;

    constructor(private readonly body: Buffer) {}

    bytes(): Buffer | undefined {
        if (this.at + 2 > this.body.length) {
            return undefined;
        }
        const length = this.body.readUInt16BE(this.at);
        const start = this.at + 2;
        if (start + length > this.body.length) {
            return undefined;
        }
        this.at = start + length;
        return this.body.subarray(start, this.at);
    }

    skip(n: number): boolean {
        this.at += n;
        return this.at <= this.body.length;
    }

    get done(): boolean {
        return this.at >= this.body.length;
    }
}

function checkConnect(body: Buffer): string | undefined {
    const r = new FieldReader(body);
    const protocol = r.bytes();
    if (protocol === undefined) {
        return undefined;
    }
    if (badString(protocol)) {
        return 'a protocol name';
    }
    const level = body[protocol.length + 2];
    const flags = body[protocol.length + 3];
    if (level !== 3 && level !== 4) {
        return undefined; // MQTT 5 (properties follow) or unknown: aedes refuses the version anyway
    }
    if (!r.skip(4)) {
        return undefined;
    }
    const fields: [string, boolean][] = [['a client id', true]];
    if (flags & 0x04) {
        fields.push(['a will topic', true], ['a will message', false]);
    }
    if (flags & 0x80) {
        fields.push(['a user name', true]);
    }
    for (const [name, isString] of fields) {
        const value = r.bytes();
        if (value === undefined) {
            return undefined;
        }
        if (isString && badString(value)) {
            return name;
        }
    }
    return undefined;
}

function checkFilters(withOptionsByte: boolean): BodyCheck {
    return body => {
        const r = new FieldReader(body);
        if (!r.skip(2)) {
            return undefined; // packet id
        }
        while (!r.done) {
            const filter = r.bytes();
            if (filter === undefined) {
                return undefined;
            }
            if (badString(filter)) {
                return 'a topic filter';
            }
            if (withOptionsByte && !r.skip(1)) {
                return undefined;
            }
        }
        return undefined;
    };
}

const checkSubscribe = checkFilters(true);
const checkUnsubscribe = checkFilters(false);

/** Follows MQTT fixed headers through arbitrary chunks and checks the string fields of the packets named above. */
export class Utf8FieldScanner {
    private inHeader = false;
    private type = 0;
    private length = 0;
    private lengthBytes = 0;
    /** Body bytes still to pass unchecked. */
    private skip = 0;
    /** Body bytes collected for the check, and how many are needed. */
    private collected: Buffer[] = [];
    private collectedLength = 0;
    private needed = 0;
    private check?: BodyCheck;
    /** Body bytes of the current packet after the collected part. */
    private rest = 0;

    /** `maxCollect`: bytes of one body kept at most (the size guard closes larger packets before this runs). */
    constructor(private readonly maxCollect: number) {}

    /** The kind of field that is not valid UTF-8 (e.g. "a topic"), or undefined while everything is fine. */
    feed(chunk: Buffer): string | undefined {
        let i = 0;
        while (i < chunk.length) {
            if (this.needed > 0) {
                const n = Math.min(this.needed - this.collectedLength, chunk.length - i);
                this.collected.push(chunk.subarray(i, i + n));
                this.collectedLength += n;
                i += n;
                if (this.collectedLength === this.needed) {
                    const problem = this.finishCollecting();
                    if (problem !== undefined) {
                        return problem;
                    }
                }
                continue;
            }
            if (this.skip > 0) {
                const n = Math.min(this.skip, chunk.length - i);
                this.skip -= n;
                i += n;
                continue;
            }
            const byte = chunk[i++];
            if (!this.inHeader) {
                this.inHeader = true;
                this.type = byte >> 4;
                this.length = 0;
                this.lengthBytes = 0;
                continue;
            }
            this.length += (byte & 0x7f) * 2 ** (7 * this.lengthBytes);
            this.lengthBytes++;
            if (byte & 0x80) {
                if (this.lengthBytes >= 4) {
                    return undefined; // malformed length: the size guard closes the connection
                }
                continue;
            }
            this.inHeader = false;
            this.startBody();
        }
        return undefined;
    }

    private startBody(): void {
        const length = this.length;
        switch (this.type) {
            case PUBLISH:
                // First the topic length (2 bytes), then the topic itself (see finishCollecting).
                this.beginCollect(Math.min(2, length), length, undefined);
                return;
            case CONNECT:
                this.beginCollect(length, length, checkConnect);
                return;
            case SUBSCRIBE:
                this.beginCollect(length, length, checkSubscribe);
                return;
            case UNSUBSCRIBE:
                this.beginCollect(length, length, checkUnsubscribe);
                return;
            default:
                this.skip = length;
        }
    }

    private beginCollect(needed: number, bodyLength: number, check: BodyCheck | undefined): void {
        if (needed > this.maxCollect || needed === 0) {
            this.skip = bodyLength;
            return;
        }
        this.collected = [];
        this.collectedLength = 0;
        this.needed = needed;
        this.check = check;
        this.rest = bodyLength - needed;
    }

    private finishCollecting(): string | undefined {
        const body = this.collected.length === 1 ? this.collected[0] : Buffer.concat(this.collected);
        this.collected = [];
        this.needed = 0;
        if (this.type === PUBLISH && this.check === undefined && body.length === 2) {
            // The topic length is known: collect the topic (or what the packet has of it).
            const topicLength = Math.min(body.readUInt16BE(0), this.rest);
            const rest = this.rest;
            this.beginCollect(topicLength, rest, topic => (badString(topic) ? 'a topic' : undefined));
            if (this.needed === 0) {
                this.skip = rest;
            }
            return undefined;
        }
        const problem = this.check?.(body);
        this.check = undefined;
        this.skip = this.rest;
        return problem;
    }
}
