import { create, fromBinary, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { Mesh, Mqtt } from '@meshtastic/protobufs';
import { expect } from 'chai';
import fc from 'fast-check';
import { ctrCrypt } from './crypto';
import { type DataInput, decodeData, decodeEnvelope, emptyHeader, encodeData, encodeEnvelope } from './envelope';
import { DEFAULT_PSK, makeChannelKey } from './keys';
import type { DataMessage, Envelope, PacketHeader } from './types';
import { readDataMessage, readEnvelope } from './wire';
import { fromHex, hex, vectorEnvelopes } from './vectors.test';

function mustEnvelope(bytes: Uint8Array): Envelope {
    const result = decodeEnvelope(bytes);
    if (!result.ok) {
        expect.fail(`decodeEnvelope failed: ${result.message}`);
    }
    return result.value;
}

const u32 = fc.nat({ max: 0xffffffff });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const smallBytes = fc.uint8Array({ maxLength: 40 });

const dataArb: fc.Arbitrary<DataMessage> = fc
    .record({
        portnum: int32,
        payload: smallBytes,
        wantResponse: fc.boolean(),
        dest: u32,
        source: u32,
        requestId: u32,
        replyId: u32,
        emoji: u32,
        bitfield: fc.option(u32, { nil: undefined }),
    })
    .map(d => {
        const { bitfield, ...rest } = d;
        return bitfield === undefined ? rest : { ...rest, bitfield };
    });

const headerArb: fc.Arbitrary<PacketHeader> = fc
    .record({
        from: u32,
        to: u32,
        id: u32,
        channel: u32,
        hopLimit: u32,
        hopStart: u32,
        wantAck: fc.boolean(),
        viaMqtt: fc.boolean(),
        rxTime: u32,
        rxSnr: fc.float({ noNaN: true }).map(Math.fround),
        rxRssi: int32,
        priority: int32,
        relayNode: u32,
        nextHop: u32,
        pkiEncrypted: fc.boolean(),
        transportMechanism: int32,
        publicKey: fc.option(fc.uint8Array({ minLength: 1, maxLength: 32 }), { nil: undefined }),
        delayed: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
        txAfter: fc.option(fc.integer({ min: 1, max: 0xffffffff }), { nil: undefined }),
    })
    .map(h => {
        // -0 encodes like 0 (proto3 default), which decodes as +0; absent optionals are left out, not undefined
        const header: PacketHeader = { ...h, rxSnr: Object.is(h.rxSnr, -0) ? 0 : h.rxSnr };
        for (const key of ['publicKey', 'delayed', 'txAfter'] as const) {
            if (header[key] === undefined) {
                delete header[key];
            }
        }
        return header;
    });

const envelopeArb: fc.Arbitrary<Envelope> = fc
    .record({
        channelId: fc.string({ maxLength: 12 }),
        gatewayId: fc.string({ maxLength: 12 }),
        header: headerArb,
        payload: fc.oneof(
            smallBytes.map(encrypted => ({ encrypted })),
            dataArb.map(decoded => ({ decoded })),
        ),
    })
    .map(e => ({ channelId: e.channelId, gatewayId: e.gatewayId, header: e.header, ...e.payload }));

/** Our reading of protobuf-es' MeshPacket, for the differential tests. */
function fromProtobufEs(bytes: Uint8Array): Envelope | undefined {
    let parsed: Mqtt.ServiceEnvelope;
    try {
        parsed = fromBinary(Mqtt.ServiceEnvelopeSchema, bytes);
    } catch {
        return undefined;
    }
    const p = parsed.packet;
    if (!p) {
        return undefined;
    }
    const header: PacketHeader = {
        from: p.from,
        to: p.to,
        id: p.id,
        channel: p.channel,
        hopLimit: p.hopLimit,
        hopStart: p.hopStart,
        wantAck: p.wantAck,
        viaMqtt: p.viaMqtt,
        rxTime: p.rxTime,
        rxSnr: p.rxSnr,
        rxRssi: p.rxRssi,
        priority: p.priority,
        relayNode: p.relayNode,
        nextHop: p.nextHop,
        pkiEncrypted: p.pkiEncrypted,
        transportMechanism: p.transportMechanism,
    };
    if (p.delayed !== 0) {
        header.delayed = p.delayed;
    }
    if (p.txAfter !== 0) {
        header.txAfter = p.txAfter;
    }
    if (p.publicKey.length > 0) {
        header.publicKey = p.publicKey;
    }
    const env: Envelope = { channelId: parsed.channelId, gatewayId: parsed.gatewayId, header };
    if (p.payloadVariant.case === 'encrypted') {
        env.encrypted = p.payloadVariant.value;
    } else if (p.payloadVariant.case === 'decoded') {
        env.decoded = dataFromProtobufEs(p.payloadVariant.value);
    } else {
        return undefined;
    }
    return env;
}

function dataFromProtobufEs(d: Mesh.Data): DataMessage {
    const data: DataMessage = {
        portnum: d.portnum,
        payload: d.payload,
        wantResponse: d.wantResponse,
        dest: d.dest,
        source: d.source,
        requestId: d.requestId,
        replyId: d.replyId,
        emoji: d.emoji,
    };
    if (d.bitfield !== undefined) {
        data.bitfield = d.bitfield;
    }
    return data;
}

/** Deterministic xorshift32, so mutation failures are reproducible. */
function prng(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) / 0x100000000;
    };
}

function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
    const out = Array.from(bytes);
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (out.length + 1));
        switch (Math.floor(rand() * 4)) {
            case 0:
                if (at < out.length) {
                    out[at] ^= 1 << Math.floor(rand() * 8);
                }
                break;
            case 1:
                out.length = at;
                break;
            case 2:
                out.splice(at, 0, Math.floor(rand() * 256));
                break;
            default:
                if (at < out.length) {
                    out[at] = Math.floor(rand() * 256);
                }
        }
    }
    return Uint8Array.from(out);
}

describe('codec/envelope', () => {
    it('re-encodes every captured envelope byte for byte', () => {
        for (const v of vectorEnvelopes()) {
            const env = mustEnvelope(v.bytes);
            expect(env.channelId, v.name).to.equal(v.expected.envelope.channel_id);
            expect(env.gatewayId, v.name).to.equal(v.expected.envelope.gateway_id);
            expect(env.encrypted !== undefined, v.name).to.equal(v.expected.packet.payload_variant === 'encrypted');
            expect(hex(encodeEnvelope(env)), v.name).to.equal(v.hex);
        }
    });

    it('re-encrypts every decryptable encrypted envelope identically', () => {
        const key = makeChannelKey('LongFast', DEFAULT_PSK);
        for (const v of vectorEnvelopes().filter(x => x.expected.decrypted_data_hex)) {
            const env = mustEnvelope(v.bytes);
            const plain = ctrCrypt(key, env.header.id, env.header.from, env.encrypted ?? new Uint8Array());
            expect(hex(plain), v.name).to.equal(v.expected.decrypted_data_hex);
            const data = decodeData(plain);
            expect(data, v.name).to.not.equal(undefined);
            expect(hex(encodeData(data as DataMessage)), v.name).to.equal(v.expected.decrypted_data_hex);
            expect(hex(ctrCrypt(key, env.header.id, env.header.from, plain)), v.name).to.equal(
                hex(env.encrypted ?? new Uint8Array()),
            );
        }
    });

    it('round-trips arbitrary envelopes', () => {
        fc.assert(
            fc.property(envelopeArb, env => {
                expect(mustEnvelope(encodeEnvelope(env))).to.deep.equal(env);
            }),
            { numRuns: 500 },
        );
    });

    it('round-trips arbitrary Data (portnum ≠ 0)', () => {
        fc.assert(
            fc.property(dataArb, data => {
                const decoded = decodeData(encodeData(data));
                if (data.portnum === 0) {
                    expect(decoded).to.equal(undefined);
                } else {
                    expect(decoded).to.deep.equal(data);
                }
            }),
            { numRuns: 500 },
        );
    });

    it('encodes Data with defaults for omitted fields', () => {
        const input: DataInput = { portnum: 1, payload: new Uint8Array([0x41]) };
        expect(hex(encodeData(input))).to.equal('08011201' + '41');
        expect(decodeData(encodeData(input))).to.deep.equal({
            portnum: 1,
            payload: new Uint8Array([0x41]),
            wantResponse: false,
            dest: 0,
            source: 0,
            requestId: 0,
            replyId: 0,
            emoji: 0,
        });
    });

    it('refuses garbage, missing packets and packets without payload', () => {
        const cases: [Uint8Array, string][] = [
            [fromHex('ff'), 'not a ServiceEnvelope'],
            [fromHex('0a05'), 'not a ServiceEnvelope'],
            [new Uint8Array(0), 'no packet'],
            [fromHex('1208'), 'not a ServiceEnvelope'],
            [fromHex('12024142'), 'no packet'],
            [fromHex('0a00'), 'neither encrypted nor decoded'],
        ];
        for (const [bytes, message] of cases) {
            const result = decodeEnvelope(bytes);
            expect(result.ok, hex(bytes)).to.equal(false);
            if (!result.ok) {
                expect(result.reason).to.equal('envelope');
                expect(result.message, hex(bytes)).to.contain(message);
            }
        }
        expect(decodeEnvelope('nope' as unknown as Uint8Array).ok).to.equal(false);
        expect(decodeData(fromHex('ff'))).to.equal(undefined);
        expect(decodeData(fromHex('0800'))).to.equal(undefined);
    });

    it('keeps empty channel and gateway ids as empty strings', () => {
        const header = { ...emptyHeader(), from: 1, id: 2 };
        const env = mustEnvelope(
            encodeEnvelope({ channelId: '', gatewayId: '', header, encrypted: new Uint8Array([1]) }),
        );
        expect(env.channelId).to.equal('');
        expect(env.gatewayId).to.equal('');
    });

    describe('hot-path wire reader agrees with protobuf-es', () => {
        it('on arbitrary valid envelopes', () => {
            fc.assert(
                fc.property(envelopeArb, env => {
                    const bytes = encodeEnvelope(env);
                    expect(mustEnvelope(bytes)).to.deep.equal(fromProtobufEs(bytes));
                }),
                { numRuns: 500 },
            );
        });

        it('on mutated captures: whatever it accepts, protobuf-es decodes identically', () => {
            const rand = prng(0x5eed);
            const sources = vectorEnvelopes().map(v => v.bytes);
            let accepted = 0;
            for (let i = 0; i < 20000; i++) {
                const bytes = mutate(sources[i % sources.length], rand);
                const ours = decodeEnvelope(bytes);
                if (ours.ok) {
                    accepted++;
                    expect(ours.value, hex(bytes)).to.deep.equal(fromProtobufEs(bytes));
                }
                const data = readDataMessage(bytes);
                if (data) {
                    let reference: Mesh.Data | undefined;
                    try {
                        reference = fromBinary(Mesh.DataSchema, bytes);
                    } catch {
                        reference = undefined;
                    }
                    expect(reference, hex(bytes)).to.not.equal(undefined);
                    expect(data).to.deep.equal(dataFromProtobufEs(reference as Mesh.Data));
                }
            }
            expect(accepted).to.be.greaterThan(1000);
        });

        it('merges repeated messages and switches the oneof like protobuf-es', () => {
            const part = (init: MessageInitShape<typeof Mesh.MeshPacketSchema>): Uint8Array =>
                toBinary(
                    Mqtt.ServiceEnvelopeSchema,
                    create(Mqtt.ServiceEnvelopeSchema, { packet: create(Mesh.MeshPacketSchema, init) }),
                );
            const dataA = create(Mesh.DataSchema, { portnum: 1, payload: new Uint8Array([1]) });
            const dataB = create(Mesh.DataSchema, { requestId: 5, bitfield: 1 });
            const sequences: Uint8Array[][] = [
                [
                    part({ from: 1, payloadVariant: { case: 'decoded', value: dataA } }),
                    part({ to: 2, payloadVariant: { case: 'decoded', value: dataB } }),
                ],
                [
                    part({ payloadVariant: { case: 'decoded', value: dataA } }),
                    part({ payloadVariant: { case: 'encrypted', value: new Uint8Array([9]) } }),
                ],
                [
                    part({ payloadVariant: { case: 'decoded', value: dataA } }),
                    part({ payloadVariant: { case: 'encrypted', value: new Uint8Array([9]) } }),
                    part({ payloadVariant: { case: 'decoded', value: dataB } }),
                ],
                [
                    part({
                        publicKey: new Uint8Array([1, 2]),
                        payloadVariant: { case: 'encrypted', value: new Uint8Array([9]) },
                    }),
                    fromHex('0a038201' + '00'),
                ],
            ];
            for (const sequence of sequences) {
                const bytes = Buffer.concat(sequence);
                expect(mustEnvelope(bytes), hex(bytes)).to.deep.equal(fromProtobufEs(bytes));
            }
        });

        it('skips unknown fields of every wire type and reads 10-byte varints', () => {
            // unknown field 99 as varint, fixed64, length-delimited and fixed32 inside packet and envelope
            const unknowns = '98063c' + '99060102030405060708' + '9a0602abcd' + '9d0601020304';
            const packet = `0d01000000` + `2a0101` + `60` + `ffffffffffffffffff01${unknowns}`;
            const bytes = fromHex(`0a${(packet.length / 2).toString(16).padStart(2, '0')}${packet}${unknowns}`);
            const env = mustEnvelope(bytes);
            expect(env.header.from).to.equal(1);
            expect(env.header.rxRssi).to.equal(-1);
            expect(env).to.deep.equal(fromProtobufEs(bytes));
            // deprecated `delayed` (13) and internal `tx_after` (20) are read and dropped
            const withInternal = fromHex('0a0c' + '2a0101' + '6801' + 'a00105' + '5001' + '6800');
            const header = mustEnvelope(withInternal).header;
            expect(header.wantAck).to.equal(true);
            expect(header.txAfter).to.equal(5);
            expect(header.delayed).to.equal(undefined);
        });

        it('is stricter than protobuf-es where firmware (nanopb) is', () => {
            const refused = [
                '0a050801020304', // packet field `from` (fixed32) sent as varint
                '0a030b0c00', // group start
                '0a020f00', // wire type 7
                '0a0200ff', // field number 0
                '0a040d010203', // truncated fixed32
                '0a0c' + '60ffffffffffffffffffffff', // 11-byte varint
                '0a032a0501', // bytes field longer than its message
                '1202ffff', // invalid UTF-8 channel id
                '0a04' + '22020802' + '1a03ffffff', // invalid UTF-8 gateway id
                '0a04500180', // truncated bool varint
            ];
            for (const text of refused) {
                expect(readEnvelope(fromHex(text)).ok, text).to.equal(false);
            }
            expect(readDataMessage(fromHex('0d00000000'))).to.equal(undefined); // portnum as fixed32
        });
    });
});
