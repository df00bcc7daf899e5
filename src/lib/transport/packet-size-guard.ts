/**
 * Enforces a maximum MQTT packet size on an incoming byte stream. aedes' parser (mqtt-packet) has no limit and
 * buffers whatever length a client declares (up to 256 MB), so the check has to run before it: we follow the
 * packet boundaries from the fixed headers and cut the connection as soon as a header announces too much.
 */
import { Duplex } from 'node:stream';
import { Utf8FieldScanner } from './utf8-guard';

/** Follows MQTT fixed headers (type byte + variable-length "remaining length") through arbitrary chunks. */
export class PacketSizeScanner {
    /** Body bytes of the current packet still to pass. */
    private skip = 0;
    private inHeader = false;
    private length = 0;
    private lengthBytes = 0;

    constructor(private readonly maxPacketSize: number) {}

    /** Returns the declared total size of the first packet over the limit, or undefined when all is fine. */
    feed(chunk: Uint8Array): number | undefined {
        let i = 0;
        while (i < chunk.length) {
            if (this.skip > 0) {
                const n = Math.min(this.skip, chunk.length - i);
                this.skip -= n;
                i += n;
                continue;
            }
            const byte = chunk[i++];
            if (!this.inHeader) {
                // First byte: packet type and flags. The remaining length follows.
                this.inHeader = true;
                this.length = 0;
                this.lengthBytes = 0;
                continue;
            }
            this.length += (byte & 0x7f) * 2 ** (7 * this.lengthBytes);
            this.lengthBytes++;
            if (byte & 0x80) {
                if (this.lengthBytes >= 4) {
                    // A fifth length byte is malformed; the size it announces is beyond any limit anyway.
                    return Number.POSITIVE_INFINITY;
                }
                continue;
            }
            this.inHeader = false;
            const total = 1 + this.lengthBytes + this.length;
            if (total > this.maxPacketSize) {
                return total;
            }
            this.skip = this.length;
        }
        return undefined;
    }
}

/**
 * A duplex that passes everything through to/from `inner` (a socket or a WebSocket stream) and destroys both
 * when an incoming packet is larger than allowed, or (with `onBadString`) carries a string that is not valid UTF-8.
 * aedes handles this wrapper like any connection; a bad packet never reaches its parser.
 */
export class SizeGuardedConnection extends Duplex {
    private readonly scanner: PacketSizeScanner;
    private readonly strings?: Utf8FieldScanner;

    constructor(
        private readonly inner: Duplex,
        maxPacketSize: number,
        onOversize: (size: number) => void,
        onBadString?: (field: string) => void,
    ) {
        super({ allowHalfOpen: false });
        this.scanner = new PacketSizeScanner(maxPacketSize);
        this.strings = onBadString ? new Utf8FieldScanner(maxPacketSize) : undefined;
        inner.on('data', (chunk: Buffer) => {
            if (this.destroyed) {
                return;
            }
            const oversize = this.scanner.feed(chunk);
            if (oversize !== undefined) {
                onOversize(oversize);
                this.destroy();
                return;
            }
            const badField = this.strings?.feed(chunk);
            if (badField !== undefined) {
                onBadString?.(badField);
                this.destroy();
                return;
            }
            if (!this.push(chunk)) {
                inner.pause(); // backpressure: resumed in _read
            }
        });
        inner.on('end', () => this.push(null));
        inner.on('error', (err: Error) => this.destroy(err));
        inner.on('close', () => this.destroy());
    }

    override _read(): void {
        this.inner.resume();
    }

    override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
        this.inner.write(chunk, encoding, callback);
    }

    /**
     * Chunks written while the wrapper was corked (mqtt-packet corks for every packet it writes: header, length, id
     * and payload are separate chunks) go out in one corked burst, so the socket sends them with one syscall instead
     * of one per chunk: a PUBACK is 3 chunks, and acknowledging thousands of packets a second is measurable.
     */
    override _writev(
        chunks: { chunk: Buffer; encoding: BufferEncoding }[],
        callback: (error?: Error | null) => void,
    ): void {
        this.inner.cork();
        const last = chunks.length - 1;
        for (let i = 0; i < last; i++) {
            this.inner.write(chunks[i].chunk, chunks[i].encoding);
        }
        this.inner.write(chunks[last].chunk, chunks[last].encoding, callback);
        this.inner.uncork();
    }

    override _final(callback: (error?: Error | null) => void): void {
        this.inner.end(() => callback());
    }

    override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
        this.inner.destroy();
        callback(error);
    }
}
