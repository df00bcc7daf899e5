import { expect } from 'chai';
import fc from 'fast-check';
import { createServer, connect, type Socket } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import { generate } from 'mqtt-packet';
import { PacketSizeScanner, SizeGuardedConnection } from './packet-size-guard';

/** MQTT "remaining length" encoding: 7 bits per byte, high bit = more bytes follow. */
function remainingLength(length: number): number[] {
    const bytes: number[] = [];
    do {
        let byte = length % 128;
        length = Math.floor(length / 128);
        if (length > 0) {
            byte |= 0x80;
        }
        bytes.push(byte);
    } while (length > 0);
    return bytes;
}

function packet(type: number, bodyLength: number): Buffer {
    return Buffer.concat([Buffer.from([type, ...remainingLength(bodyLength)]), Buffer.alloc(bodyLength, 0xaa)]);
}

function feedAll(scanner: PacketSizeScanner, data: Buffer, cuts: number[]): number | undefined {
    let start = 0;
    for (const end of [...cuts.filter(c => c > 0 && c < data.length).sort((a, b) => a - b), data.length]) {
        const result = scanner.feed(data.subarray(start, end));
        if (result !== undefined) {
            return result;
        }
        start = end;
    }
    return undefined;
}

describe('transport/packet-size-guard', () => {
    it('finds the first oversized packet whatever the chunking (property)', () => {
        fc.assert(
            fc.property(
                fc.array(
                    fc.record({ type: fc.integer({ min: 1, max: 15 }), body: fc.integer({ min: 0, max: 20000 }) }),
                    {
                        minLength: 1,
                        maxLength: 8,
                    },
                ),
                fc.integer({ min: 2, max: 17000 }),
                fc.array(fc.integer({ min: 0, max: 200000 }), { maxLength: 20 }),
                (packets, max, cuts) => {
                    const encoded = packets.map(p => packet(p.type << 4, p.body));
                    const firstTooBig = encoded.find(b => b.length > max);
                    const result = feedAll(new PacketSizeScanner(max), Buffer.concat(encoded), cuts);
                    expect(result).to.equal(firstTooBig?.length);
                },
            ),
            { numRuns: 300 },
        );
    });

    it('handles single-byte chunks and 4-byte lengths', () => {
        const big = packet(0x30, 2_000_000); // remaining length needs 3 bytes
        const scanner = new PacketSizeScanner(1_000_000);
        let result: number | undefined;
        for (let i = 0; i < 6 && result === undefined; i++) {
            result = scanner.feed(big.subarray(i, i + 1));
        }
        expect(result).to.equal(big.length);
        const ok = new PacketSizeScanner(300_000_000);
        expect(ok.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))).to.equal(undefined); // 268 435 455: the largest legal size
        expect(new PacketSizeScanner(1000).feed(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80]))).to.equal(
            Number.POSITIVE_INFINITY,
        );
    });

    it('sends the chunks of one corked packet to the socket as one write (one syscall per PUBACK, not three)', async () => {
        const server = createServer();
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        const port = (server.address() as { port: number }).port;
        const accepted = new Promise<Socket>(resolve => server.once('connection', resolve));
        const peer = connect(port, '127.0.0.1');
        const socket = await accepted;
        try {
            const writes: number[] = [];
            const socketWrites = socket as unknown as {
                _write: (...args: unknown[]) => void;
                _writev: (...args: unknown[]) => void;
            };
            const write = socketWrites._write.bind(socket);
            const writev = socketWrites._writev.bind(socket);
            socketWrites._write = (...args: unknown[]) => (writes.push(1), write(...args));
            socketWrites._writev = (...args: unknown[]) => {
                writes.push((args[0] as unknown[]).length);
                writev(...args);
            };
            const guard = new SizeGuardedConnection(socket, 100, () => {});
            const received: Buffer[] = [];
            peer.on('data', (chunk: Buffer) => received.push(chunk));
            // What mqtt-packet does for every packet: cork, write header / length / message id, uncork on next tick.
            const puback = [Buffer.from([0x40]), Buffer.from([0x02]), Buffer.from([0x12, 0x34])];
            guard.cork();
            puback.forEach(chunk => guard.write(chunk));
            process.nextTick(() => guard.uncork());
            await new Promise(resolve => setImmediate(resolve));
            guard.write(Buffer.from([0xd0, 0x00])); // a single-chunk packet (PINGRESP) later
            while (Buffer.concat(received).length < 6) {
                await new Promise(resolve => setTimeout(resolve, 5));
            }
            expect(Buffer.concat(received)).to.deep.equal(Buffer.from([0x40, 0x02, 0x12, 0x34, 0xd0, 0x00]));
            expect(writes).to.deep.equal([3, 1]); // the corked PUBACK as one writev of 3 chunks, then the PINGRESP
        } finally {
            peer.destroy();
            socket.destroy();
            await new Promise(resolve => server.close(resolve));
        }
    });

    it('acknowledges a burst of QoS 1 publishes from one chunk with a few socket writes, not one per packet', async () => {
        const { Aedes } = await import('aedes');
        const aedes = new Aedes();
        await aedes.listen();
        const server = createServer();
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        const port = (server.address() as { port: number }).port;
        const accepted = new Promise<Socket>(resolve => server.once('connection', resolve));
        const peer = connect(port, '127.0.0.1');
        const socket = await accepted;
        try {
            let writes = 0;
            const spied = socket as unknown as {
                _write: (...args: unknown[]) => void;
                _writev: (...args: unknown[]) => void;
            };
            const write = spied._write.bind(socket);
            const writev = spied._writev.bind(socket);
            spied._write = (...args: unknown[]) => (writes++, write(...args));
            spied._writev = (...args: unknown[]) => (writes++, writev(...args));
            aedes.handle(new SizeGuardedConnection(socket, 4096, () => {}));
            let received = Buffer.alloc(0);
            peer.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
            const connectPacket = generate({
                cmd: 'connect',
                protocolId: 'MQTT',
                protocolVersion: 4,
                clientId: 'gw',
                clean: true,
                keepalive: 60,
            });
            peer.write(connectPacket);
            while (received.length < 4) {
                await new Promise(resolve => setTimeout(resolve, 5));
            }
            const count = 200;
            const publishes: Buffer[] = [];
            for (let i = 1; i <= count; i++) {
                publishes.push(
                    generate({
                        cmd: 'publish',
                        topic: 'msh/EU_868/2/e/LongFast/!12345678',
                        payload: Buffer.alloc(60, i),
                        qos: 1,
                        messageId: i,
                        dup: false,
                        retain: false,
                    }),
                );
            }
            const before = writes;
            peer.write(Buffer.concat(publishes)); // what a busy gateway's socket delivers: many packets in one chunk
            while (received.length < 4 + 4 * count) {
                await new Promise(resolve => setTimeout(resolve, 5));
            }
            const acks = received.subarray(4);
            for (let i = 0; i < count; i++) {
                expect([acks[4 * i], acks[4 * i + 1]], `PUBACK ${i + 1}`).to.deep.equal([0x40, 0x02]);
                expect(acks.readUInt16BE(4 * i + 2)).to.equal(i + 1);
            }
            expect(writes - before, 'socket writes for 200 PUBACKs').to.be.lessThan(20);
        } finally {
            peer.destroy();
            socket.destroy();
            await new Promise(resolve => aedes.close(() => resolve(undefined)));
            await new Promise(resolve => server.close(resolve));
        }
    });

    it('passes data both ways and cuts the connection on an oversized packet', async () => {
        // A fake socket: what the peer sends comes out of `incoming`, what the guard writes lands in `outgoing`.
        const incoming = new PassThrough();
        const outgoing = new PassThrough();
        const socket = Duplex.from({ readable: incoming, writable: outgoing });
        const sizes: number[] = [];
        const guard = new SizeGuardedConnection(socket, 100, size => sizes.push(size));
        const received: Buffer[] = [];
        guard.on('data', (chunk: Buffer) => received.push(chunk));
        guard.write(Buffer.from('to the peer'));
        incoming.write(packet(0x30, 50));
        await new Promise(resolve => setImmediate(resolve));
        expect(Buffer.concat(received).length).to.equal(52);
        expect(String(outgoing.read())).to.equal('to the peer');
        const closed = new Promise(resolve => guard.once('close', resolve));
        incoming.write(packet(0x30, 500));
        await closed;
        expect(sizes).to.deep.equal([503]);
        expect(socket.destroyed).to.equal(true);
        expect(Buffer.concat(received).length).to.equal(52);
    });
});
