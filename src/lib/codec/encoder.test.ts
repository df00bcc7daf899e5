import { expect } from 'chai';
import fc from 'fast-check';
import { generateKeyPair, pkiSharedKey } from './crypto';
import { PacketDecoder } from './decoder';
import { decodeEnvelope, emptyHeader, encodeData, encodeEnvelope } from './envelope';
import { encodeChannelPacket, encodePkiPacket, nodeIdString, parseNodeId, randomPacketId } from './encoder';
import { KeyRing, makeChannelKey, parsePsk } from './keys';
import { encodeText } from './payloads';
import type { DecodedPacket } from './types';
import { hex, vectorFile } from './vectors.test';

function key(base64: string): Uint8Array {
    const parsed = parsePsk(base64);
    if (!parsed.ok) {
        throw new Error(parsed.message);
    }
    return parsed.value;
}

function decodedPacket(decoder: PacketDecoder, topic: string, payload: Uint8Array): DecodedPacket {
    const outcome = decoder.decode(topic, payload);
    if (!outcome.ok) {
        expect.fail(`decode failed: ${outcome.error.reason}: ${outcome.error.message}`);
    }
    return outcome.packet;
}

describe('codec/encoder', () => {
    describe('encoder reproductions', () => {
        for (const r of vectorFile.encoder_reproductions) {
            it(`${r.name}: reproduces the captured envelope byte for byte`, () => {
                const i = r.inputs;
                const channel = makeChannelKey(i.channel_id, key(i.key_base64));
                expect(channel.hash).to.equal(i.channel_hash);
                const from = Number(i.from);
                const data = {
                    portnum: i.data.portnum,
                    payload: encodeText(i.data.payload_utf8),
                    bitfield: i.data.bitfield,
                };
                expect(hex(encodeData(data))).to.equal(r.data_plain_hex);

                const message = encodeChannelPacket({
                    root: 'msh/US',
                    channel,
                    from,
                    to: Number(i.to),
                    id: i.id,
                    data,
                    hopLimit: i.hop_start,
                    wantAck: false,
                });
                expect(message.topic).to.equal(`msh/US/2/e/${i.channel_id}/${i.gateway_id}`);
                expect(hex(message.payload)).to.equal(r.hex_hop_limit_3);

                // As delivered by the public broker: hop_limit rewritten to 0, everything else unchanged.
                const delivered = decodeEnvelope(message.payload);
                expect(delivered.ok).to.equal(true);
                if (delivered.ok) {
                    expect(hex(delivered.value.encrypted ?? new Uint8Array())).to.equal(r.data_encrypted_hex);
                    const rewritten = { ...delivered.value, header: { ...delivered.value.header, hopLimit: 0 } };
                    expect(hex(encodeEnvelope(rewritten))).to.equal(r.hex_hop_limit_0);
                }
            });
        }
    });

    it('sends the plain Data bytes in `encrypted` on channels without a key, as firmware does', () => {
        const open = makeChannelKey('Open', new Uint8Array(0));
        const message = encodeChannelPacket({
            root: 'msh/EU_868',
            channel: open,
            from: 0x1234,
            to: 0xffffffff,
            id: 5,
            data: { portnum: 1, payload: encodeText('hi') },
            hopLimit: 3,
            wantAck: false,
            gatewayId: '!gateway1',
        });
        expect(message.topic).to.equal('msh/EU_868/2/e/Open/!gateway1');
        const env = decodeEnvelope(message.payload);
        expect(env.ok && env.value.decoded).to.equal(undefined);
        expect(env.ok && env.value.encrypted).to.deep.equal(encodeData({ portnum: 1, payload: encodeText('hi') }));
        expect(env.ok && env.value.header.channel).to.equal(open.hash);
        expect(env.ok && env.value.gatewayId).to.equal('!gateway1');
        const packet = decodedPacket(
            new PacketDecoder({ keyRing: new KeyRing([open]) }),
            message.topic,
            message.payload,
        );
        expect(packet.payload).to.deep.equal({ type: 'text', text: 'hi' });
    });

    it('round-trips channel packets for any key, name, ids and text', () => {
        const keyArb = fc.oneof(
            fc.uint8Array({ minLength: 16, maxLength: 16 }),
            fc.uint8Array({ minLength: 32, maxLength: 32 }),
            fc.integer({ min: 1, max: 255 }).map(n => new Uint8Array([n])),
        );
        fc.assert(
            fc.property(
                keyArb,
                fc.stringMatching(/^[A-Za-z0-9_-]{1,11}$/),
                fc.integer({ min: 4, max: 0xfffffffe }),
                fc.nat({ max: 0xffffffff }),
                fc.integer({ min: 1, max: 0xffffffff }),
                fc.string({ maxLength: 200 }),
                fc.boolean(),
                (rawKey, name, from, to, id, text, wantAck) => {
                    const ring = new KeyRing([{ name, key: rawKey }]);
                    const channel = ring.byName(name);
                    if (!channel) {
                        expect.fail('channel missing');
                    }
                    const message = encodeChannelPacket({
                        root: 'msh/EU_868',
                        channel,
                        from,
                        to,
                        id,
                        data: { portnum: 1, payload: encodeText(text), bitfield: 1 },
                        hopLimit: 3,
                        wantAck,
                    });
                    const packet = decodedPacket(new PacketDecoder({ keyRing: ring }), message.topic, message.payload);
                    expect(packet.payload).to.deep.equal({ type: 'text', text });
                    expect(packet.channelName).to.equal(name);
                    expect(packet.encryption).to.equal('channel');
                    expect(packet.gatewayId).to.equal(nodeIdString(from));
                    expect(packet.header).to.include({
                        from,
                        to,
                        id,
                        hopLimit: 3,
                        hopStart: 3,
                        wantAck,
                        channel: channel.hash,
                    });
                    expect(packet.data.bitfield).to.equal(1);
                },
            ),
            { numRuns: 300 },
        );
    });

    it('round-trips PKI packets between fresh key pairs', () => {
        const alice = generateKeyPair();
        const bob = generateKeyPair();
        const aliceNum = 0x0a11ce00;
        const bobNum = 0x0b0b0000;
        const shared = pkiSharedKey(alice.privateKey, bob.publicKey);
        if (!shared) {
            expect.fail('no shared key');
        }
        const bobDecoder = new PacketDecoder({
            keyRing: new KeyRing([]),
            pki: {
                ownNodeNum: bobNum,
                privateKey: bob.privateKey,
                publicKeyOf: n => (n === aliceNum ? alice.publicKey : undefined),
            },
        });
        fc.assert(
            fc.property(
                fc.integer({ min: 1, max: 0xffffffff }),
                fc.string({ maxLength: 180 }),
                fc.nat({ max: 0xffffffff }),
                (id, text, extraNonce) => {
                    const message = encodePkiPacket({
                        root: 'msh/EU_868',
                        from: aliceNum,
                        to: bobNum,
                        id,
                        data: { portnum: 1, payload: encodeText(text), bitfield: 1 },
                        hopLimit: 3,
                        sharedKey: shared,
                        extraNonce,
                    });
                    expect(message.topic).to.equal(`msh/EU_868/2/e/PKI/${nodeIdString(aliceNum)}`);
                    const env = decodeEnvelope(message.payload);
                    expect(env.ok && env.value.header).to.include({
                        channel: 0,
                        pkiEncrypted: true,
                        wantAck: true,
                        hopStart: 3,
                    });
                    expect(env.ok && env.value.channelId).to.equal('PKI');
                    const packet = decodedPacket(bobDecoder, message.topic, message.payload);
                    expect(packet.encryption).to.equal('pki');
                    expect(packet.payload).to.deep.equal({ type: 'text', text });
                    expect(packet.header.id).to.equal(id);
                },
            ),
            { numRuns: 100 },
        );
        expect(() =>
            encodePkiPacket({
                root: 'msh',
                from: 1,
                to: 2,
                id: 3,
                data: { portnum: 1, payload: new Uint8Array(1) },
                hopLimit: 3,
                sharedKey: new Uint8Array(5),
            }),
        ).to.throw(RangeError);
    });

    it('formats and parses node ids', () => {
        expect(nodeIdString(0xdeadbeef)).to.equal('!deadbeef');
        expect(nodeIdString(1)).to.equal('!00000001');
        expect(nodeIdString(-1)).to.equal('!ffffffff');
        expect(parseNodeId('!a1b2c3d4')).to.equal(0xa1b2c3d4);
        expect(parseNodeId('!A1B2C3D4')).to.equal(0xa1b2c3d4);
        expect(parseNodeId('a1b2c3d4')).to.equal(0xa1b2c3d4);
        expect(parseNodeId('0xa1b2c3d4')).to.equal(0xa1b2c3d4);
        expect(parseNodeId(' 3735928559 ')).to.equal(0xdeadbeef);
        expect(parseNodeId('42')).to.equal(42);
        // 8 hex digits are an id without `!`, even when they look decimal
        expect(parseNodeId('12345678')).to.equal(0x12345678);
        for (const bad of ['', '!', '!xyz', '!123456789', '4294967296', '99999999999', '-1', '1.5', 'abc', '0x']) {
            expect(parseNodeId(bad), bad).to.equal(undefined);
        }
        expect(parseNodeId(7 as unknown as string)).to.equal(undefined);
        fc.assert(
            fc.property(fc.nat({ max: 0xffffffff }), n => {
                expect(parseNodeId(nodeIdString(n))).to.equal(n);
            }),
        );
    });

    it('makes random non-zero packet ids', () => {
        const ids = new Set<number>();
        for (let i = 0; i < 1000; i++) {
            const id = randomPacketId();
            expect(id).to.be.greaterThan(0);
            expect(id).to.be.at.most(0xffffffff);
            ids.add(id);
        }
        expect(ids.size).to.be.greaterThan(990);
    });

    it('builds envelopes without a payload only when asked to (empty header)', () => {
        const bytes = encodeEnvelope({ channelId: 'x', gatewayId: 'y', header: emptyHeader() });
        expect(decodeEnvelope(bytes).ok).to.equal(false);
    });
});
