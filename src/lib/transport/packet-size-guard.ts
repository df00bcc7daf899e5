/**
 * Enforces a maximum MQTT packet size on an incoming byte stream. aedes' parser (mqtt-packet) has no limit and
 * buffers whatever length a client declares (up to 256 MB), so the check has to run before it: we follow the
 * packet boundaries from the fixed headers and cut the connection as soon as a header announces too much.
 */
import { Duplex } from 'node:stream';
import { MqttFrameScanner } from './mqtt-frames';
import { Utf8FieldScanner } from './utf8-guard';

/** Finds the first packet larger than the limit, from the fixed headers alone (no body byte is copied). */
export class PacketSizeScanner {
    private readonly frames: MqttFrameScanner;
    private oversize?: number;

    constructor(maxPacketSize: number) {
        this.frames = new MqttFrameScanner({
            header: header => {
                if (header.packetSize > maxPacketSize) {
                    this.oversize = header.packetSize;
                    return false;
                }
                return 0;
            },
            body: () => 0,
            // A fifth length byte: the size it announces is beyond any limit anyway.
            malformed: () => {
                this.oversize = Number.POSITIVE_INFINITY;
            },
        });
    }

    /** Returns the declared total size of the first packet over the limit, or undefined when all is fine. */
    feed(chunk: Buffer): number | undefined {
        if (this.oversize === undefined) {
            this.frames.feed(chunk);
        }
        return this.oversize;
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
