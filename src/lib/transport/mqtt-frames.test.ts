import { expect } from 'chai';
import fc from 'fast-check';
import { generate, type Packet } from 'mqtt-packet';
import { type FixedHeader, type FrameReader, MqttFrameScanner } from './mqtt-frames';

interface Seen {
    type: number;
    flags: number;
    bodyLength: number;
    packetSize: number;
    /** The body bytes the reader asked for, as collected. */
    collected: Buffer[];
}

/** A reader that asks for `want(header)` bytes of each body, then for `more(...)` further bytes, and records all. */
function recorder(
    want: (header: FixedHeader) => number | false = () => 0,
    more: (bytes: Buffer, header: FixedHeader, offset: number) => number | false = () => 0,
): { reader: FrameReader; seen: Seen[]; malformed: number } {
    const result = { seen: [] as Seen[], malformed: 0, reader: undefined as unknown as FrameReader };
    result.reader = {
        header: h => {
            result.seen.push({ ...h, collected: [] });
            return want(h);
        },
        body: (bytes, h, offset) => {
            result.seen.at(-1)!.collected.push(Buffer.from(bytes));
            return more(bytes, h, offset);
        },
        malformed: () => {
            result.malformed++;
        },
    };
    return result;
}

function feedCut(scanner: MqttFrameScanner, data: Buffer, cuts: number[]): void {
    let start = 0;
    for (const end of [...cuts.filter(c => c > 0 && c < data.length).sort((a, b) => a - b), data.length]) {
        scanner.feed(data.subarray(start, end));
        start = end;
    }
}

/** Real packets as MQTT.js and aedes write them. */
const REAL: Packet[] = [
    {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        clientId: 'gw-!1234abcd',
        keepalive: 60,
        username: 'meshdev',
        password: Buffer.from('large4cats'),
    },
    { cmd: 'connack', returnCode: 0, sessionPresent: false },
    { cmd: 'subscribe', messageId: 7, subscriptions: [{ topic: 'msh/EU_868/2/e/#', qos: 1 }] },
    {
        cmd: 'publish',
        topic: 'msh/EU_868/2/e/LongFast/!1234abcd',
        payload: Buffer.alloc(90, 1),
        qos: 1,
        messageId: 8,
        retain: false,
        dup: false,
    },
    // A body over 127 bytes (2 length bytes) and over 16,383 (3 length bytes).
    { cmd: 'publish', topic: 'msh/EU_868/2/map/', payload: Buffer.alloc(300, 2), qos: 0, retain: false, dup: false },
    { cmd: 'publish', topic: 'big', payload: Buffer.alloc(20_000, 3), qos: 0, retain: false, dup: false },
    { cmd: 'puback', messageId: 8 },
    { cmd: 'pingreq' },
    { cmd: 'unsubscribe', messageId: 9, unsubscriptions: ['msh/EU_868/2/e/#'] },
    { cmd: 'disconnect' },
];
const frames = REAL.map(p => generate(p));
const stream = Buffer.concat(frames);

describe('transport/mqtt-frames (MqttFrameScanner)', () => {
    it('finds every fixed header of real packets, with 1-, 2- and 3-byte remaining lengths', () => {
        const r = recorder();
        new MqttFrameScanner(r.reader).feed(stream);
        expect(r.seen.map(s => s.type)).to.deep.equal([1, 2, 8, 3, 3, 3, 4, 12, 10, 14]);
        expect(r.seen.map(s => s.packetSize)).to.deep.equal(frames.map(f => f.length));
        expect(r.seen.map(s => s.packetSize - s.bodyLength)).to.deep.equal([2, 2, 2, 2, 3, 4, 2, 2, 2, 2]);
        expect(r.seen[2].flags).to.equal(0b0010); // SUBSCRIBE's reserved flags
        expect(r.seen[3].flags).to.equal(0b0010); // PUBLISH QoS 1
        expect(r.malformed).to.equal(0);
    });

    it('hands over the body bytes asked for, in steps, whatever the chunking (property)', () => {
        fc.assert(
            fc.property(fc.array(fc.nat(stream.length + 10), { maxLength: 30 }), fc.boolean(), (cuts, single) => {
                // PUBLISH: 2 bytes of topic length, then the topic. Others: the whole body.
                const r = recorder(
                    h => (h.type === 3 ? 2 : h.bodyLength),
                    (bytes, h, offset) => (h.type === 3 && offset === 0 ? bytes.readUInt16BE(0) : 0),
                );
                const scanner = new MqttFrameScanner(r.reader);
                if (single) {
                    for (let i = 0; i < stream.length; i++) {
                        scanner.feed(stream.subarray(i, i + 1));
                    }
                } else {
                    feedCut(scanner, stream, cuts);
                }
                expect(r.seen).to.have.length(REAL.length);
                const publishes = r.seen.filter(s => s.type === 3);
                expect(publishes.map(s => s.collected[1].toString())).to.deep.equal([
                    'msh/EU_868/2/e/LongFast/!1234abcd',
                    'msh/EU_868/2/map/',
                    'big',
                ]);
                for (const [i, s] of r.seen.entries()) {
                    if (s.type !== 3 && s.bodyLength > 0) {
                        expect(s.collected, `packet ${i}`).to.deep.equal([
                            frames[i].subarray(s.packetSize - s.bodyLength),
                        ]);
                    }
                    if (s.bodyLength === 0) {
                        expect(s.collected, `packet ${i}`).to.deep.equal([]); // nothing to collect: no body call
                    }
                }
            }),
            { numRuns: 200 },
        );
    });

    it('clamps a request to the body and skips what is not asked for', () => {
        const r = recorder(() => 1000);
        const puback = generate({ cmd: 'puback', messageId: 0x1234 });
        new MqttFrameScanner(r.reader).feed(Buffer.concat([puback, generate({ cmd: 'pingreq' }), puback]));
        expect(r.seen.map(s => s.collected.map(b => [...b]))).to.deep.equal([[[0x12, 0x34]], [], [[0x12, 0x34]]]);
    });

    it('stops for good when the reader says so', () => {
        const r = recorder(h => (h.type === 8 ? false : 0));
        const scanner = new MqttFrameScanner(r.reader);
        scanner.feed(stream);
        expect(r.seen.map(s => s.type)).to.deep.equal([1, 2, 8]);
        expect(scanner.done).to.equal(true);
        scanner.feed(stream);
        expect(r.seen).to.have.length(3);
    });

    it('reports a fifth length byte as malformed once and reads no further', () => {
        const r = recorder();
        const scanner = new MqttFrameScanner(r.reader);
        scanner.feed(Buffer.from([0xc0, 0x00, 0x30, 0x80, 0x80]));
        scanner.feed(Buffer.from([0x80, 0x80, 0x01, 0x30, 0x00]));
        expect(r.seen.map(s => s.type)).to.deep.equal([12]);
        expect(r.malformed).to.equal(1);
        expect(scanner.done).to.equal(true);
        // The largest legal length is four bytes.
        const legal = recorder();
        new MqttFrameScanner(legal.reader).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]));
        expect(legal.seen[0].bodyLength).to.equal(268_435_455);
        expect(legal.malformed).to.equal(0);
    });

    it('survives garbage: every header it reports is consistent, no exception (property)', () => {
        fc.assert(
            fc.property(
                fc.uint8Array({ maxLength: 2000 }),
                fc.array(fc.nat(2000), { maxLength: 10 }),
                fc.nat(300),
                (bytes, cuts, ask) => {
                    const r = recorder(
                        () => ask,
                        () => ask,
                    );
                    feedCut(new MqttFrameScanner(r.reader), Buffer.from(bytes), cuts);
                    let consumed = 0;
                    for (const s of r.seen) {
                        const lengthBytes = s.packetSize - s.bodyLength - 1;
                        expect(lengthBytes).to.be.within(1, 4);
                        const collected = s.collected.reduce((n, b) => n + b.length, 0);
                        expect(collected).to.be.at.most(s.bodyLength);
                        consumed += s.packetSize;
                    }
                    // Complete packets never claim more bytes than were fed (the last one may be incomplete).
                    const complete = r.seen.slice(0, -1).reduce((n, s) => n + s.packetSize, 0);
                    expect(complete).to.be.at.most(bytes.length);
                    expect(consumed).to.be.at.least(complete);
                },
            ),
            { numRuns: 300 },
        );
    });
});
