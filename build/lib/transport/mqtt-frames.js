"use strict";
/**
 * Follows MQTT packet boundaries on the raw bytes of a connection, through chunks cut anywhere. The guards in front
 * of aedes' parser (packet size, UTF-8 strings) read the stream with it: this scanner finds each fixed header (type
 * byte + variable-length "remaining length") and hands the reader as much of each body as it asks for; the
 * rest of the body is skipped without copying. Pure: no I/O, no timers.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.MqttFrameScanner = void 0;
class MqttFrameScanner {
    reader;
    current = { type: 0, flags: 0, bodyLength: 0, packetSize: 0 };
    inHeader = false;
    lengthBytes = 0;
    /** Body bytes of the current packet not yet passed (collected or skipped). */
    bodyLeft = 0;
    /** Of those, bytes the reader asked for that are still being collected. */
    wanted = 0;
    parts = [];
    partsLength = 0;
    stopped = false;
    constructor(reader) {
        this.reader = reader;
    }
    /** True once the reader stopped the scan or the stream was malformed: later chunks are ignored. */
    get done() {
        return this.stopped;
    }
    feed(chunk) {
        let i = 0;
        while (i < chunk.length && !this.stopped) {
            if (this.wanted > 0) {
                i = this.collect(chunk, i);
                continue;
            }
            if (this.bodyLeft > 0) {
                const n = Math.min(this.bodyLeft, chunk.length - i);
                this.bodyLeft -= n;
                i += n;
                continue;
            }
            const byte = chunk[i++];
            if (!this.inHeader) {
                this.inHeader = true;
                this.current.type = byte >> 4;
                this.current.flags = byte & 0x0f;
                this.current.bodyLength = 0;
                this.lengthBytes = 0;
                continue;
            }
            this.current.bodyLength += (byte & 0x7f) * 2 ** (7 * this.lengthBytes);
            this.lengthBytes++;
            if (byte & 0x80) {
                if (this.lengthBytes >= 4) {
                    this.stopped = true;
                    this.reader.malformed();
                }
                continue;
            }
            this.inHeader = false;
            this.current.packetSize = 1 + this.lengthBytes + this.current.bodyLength;
            this.bodyLeft = this.current.bodyLength;
            this.ask(this.reader.header(this.current));
        }
    }
    ask(request) {
        if (request === false) {
            this.stopped = true;
            return;
        }
        this.wanted = Math.min(Math.max(0, request), this.bodyLeft);
        this.parts = [];
        this.partsLength = 0;
    }
    /** Gathers wanted body bytes from `chunk` at `i`; returns where the unread part of the chunk starts. */
    collect(chunk, i) {
        const n = Math.min(this.wanted - this.partsLength, chunk.length - i);
        this.parts.push(chunk.subarray(i, i + n));
        this.partsLength += n;
        if (this.partsLength < this.wanted) {
            return i + n;
        }
        const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
        const offset = this.current.bodyLength - this.bodyLeft;
        this.bodyLeft -= this.wanted;
        this.wanted = 0;
        this.parts = [];
        this.ask(this.reader.body(bytes, this.current, offset));
        return i + n;
    }
}
exports.MqttFrameScanner = MqttFrameScanner;
