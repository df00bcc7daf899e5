import { expect } from 'chai';
import fc from 'fast-check';
import { Utf8FieldScanner } from './utf8-guard';

const str = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
const packet = (first: number, body: Buffer): Buffer => {
    const length: number[] = [];
    let n = body.length;
    do {
        length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
        n >>= 7;
    } while (n > 0);
    return Buffer.concat([Buffer.from([first, ...length]), body]);
};
const connect = (clientId: Buffer): Buffer =>
    packet(0x10, Buffer.concat([str(Buffer.from('MQTT')), Buffer.from([4, 0x02, 0, 60]), str(clientId)]));
const publish = (topic: Buffer, payload: Buffer): Buffer => packet(0x30, Buffer.concat([str(topic), payload]));

/** Feeds `stream` cut at the given points; the first verdict. */
function scan(stream: Buffer, cuts: number[]): string | undefined {
    const scanner = new Utf8FieldScanner(65536);
    let at = 0;
    for (const cut of [...cuts.filter(c => c > 0 && c < stream.length)].sort((a, b) => a - b).concat(stream.length)) {
        const verdict = scanner.feed(stream.subarray(at, cut));
        if (verdict !== undefined) {
            return verdict;
        }
        at = cut;
    }
    return undefined;
}

describe('transport/Utf8FieldScanner', () => {
    it('finds the bad field whatever the chunking, and passes valid text (property)', () => {
        const valid = fc.string({ unit: 'grapheme', maxLength: 40 }).map(s => Buffer.from(s.replace(/\0/g, '')));
        const invalid = fc.constantFrom(
            Buffer.from([0xff]),
            Buffer.from([0xc3, 0x28]),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from([0xc0, 0x80]),
            Buffer.from([0x61, 0x00]),
        );
        fc.assert(
            fc.property(
                valid,
                valid,
                invalid,
                fc.boolean(),
                fc.uint8Array({ maxLength: 300 }),
                fc.array(fc.nat(800), { maxLength: 8 }),
                (id, topic, bad, badInTopic, payload, cuts) => {
                    const head = Buffer.concat([connect(id), publish(topic, Buffer.from(payload))]);
                    expect(scan(head, cuts)).to.equal(undefined);
                    const tail = badInTopic ? publish(Buffer.concat([topic, bad]), Buffer.from(payload)) : connect(bad);
                    expect(scan(Buffer.concat([head, tail]), cuts)).to.equal(badInTopic ? 'a topic' : 'a client id');
                },
            ),
            { numRuns: 500 },
        );
    });

    it('judges only strings: binary payloads, passwords and other packet types may hold any bytes', () => {
        const password = Buffer.from([0xff, 0x00, 0xfe]);
        const withPassword = packet(
            0x10,
            Buffer.concat([
                str(Buffer.from('MQTT')),
                Buffer.from([4, 0xc2, 0, 60]),
                str(Buffer.from('id')),
                str(Buffer.from('user')),
                str(password),
            ]),
        );
        const pubackLike = Buffer.from([0x40, 2, 0xff, 0xfe]);
        expect(
            scan(
                Buffer.concat([withPassword, publish(Buffer.from('t'), Buffer.from([0xff, 0, 0xc0])), pubackLike]),
                [],
            ),
        ).to.equal(undefined);
    });
});
