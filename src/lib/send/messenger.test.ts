import { fromBinary } from '@bufbuild/protobuf';
import { Mesh, Mqtt } from '@meshtastic/protobufs';
import { expect } from 'chai';
import {
    createCipheriv,
    createDecipheriv,
    createHash,
    createPrivateKey,
    createPublicKey,
    diffieHellman,
    generateKeyPairSync,
    type KeyObject,
} from 'node:crypto';
import type sinon from 'sinon';
import { makeChannelKey } from '../codec/keys';
import type { DecodedPacket, MeshPayload } from '../codec/types';
import { decoded } from '../../test-support/mesh-fixtures';
import { createIdentity, type VirtualNodeIdentity } from './identity';
import { Messenger, type MessengerOptions } from './messenger';
import type { SendChannel } from './packets';
import { parseDestination } from './plan';
import { FakeTransport, fakeClock, globalTimers, type Published } from './test-helpers.test';
import type { SendStatus } from './types';

// ---- independent crypto (node:crypto only, not the codec) ------------------------------------------------------

const LONGFAST_KEY = Buffer.from('d4f1bb3a20290759f0bcffabcf4e6901', 'hex');
const SECRET_KEY = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');

interface RawKeyPair {
    privateKey: Uint8Array;
    publicKey: Uint8Array;
    privateObject: KeyObject;
}

function x25519Pair(): RawKeyPair {
    const pair = generateKeyPairSync('x25519');
    const jwk = pair.privateKey.export({ format: 'jwk' });
    return {
        privateKey: Buffer.from(jwk.d ?? '', 'base64url'),
        publicKey: Buffer.from(jwk.x ?? '', 'base64url'),
        privateObject: pair.privateKey,
    };
}

function x25519PublicObject(raw: Uint8Array): KeyObject {
    return createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), raw]),
        format: 'der',
        type: 'spki',
    });
}

function x25519PrivateObject(raw: Uint8Array): KeyObject {
    return createPrivateKey({
        key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), raw]),
        format: 'der',
        type: 'pkcs8',
    });
}

/** AES-CTR with nonce id LE4 ‖ 0000 ‖ from LE4 ‖ 0000 (spec §3.3). */
function ctr(key: Uint8Array, id: number, from: number, bytes: Uint8Array): Buffer {
    const nonce = Buffer.alloc(16);
    nonce.writeUInt32LE(id, 0);
    nonce.writeUInt32LE(from, 8);
    const decipher = createDecipheriv(key.length === 16 ? 'aes-128-ctr' : 'aes-256-ctr', key, nonce);
    return Buffer.concat([decipher.update(bytes), decipher.final()]);
}

/** PKI decryption with the recipient's private key: X25519 → SHA-256 → AES-256-CCM (tag 8), spec §3.4. */
function pkiDecrypt(
    recipient: KeyObject,
    senderPublic: Uint8Array,
    id: number,
    from: number,
    blob: Uint8Array,
): Buffer {
    const shared = createHash('sha256')
        .update(diffieHellman({ privateKey: recipient, publicKey: x25519PublicObject(senderPublic) }))
        .digest();
    const bytes = Buffer.from(blob);
    const extraNonce = bytes.readUInt32LE(bytes.length - 4);
    const nonce = Buffer.alloc(13);
    nonce.writeUInt32LE(id, 0);
    nonce.writeUInt32LE(extraNonce, 4);
    nonce.writeUInt32LE(from, 8);
    const decipher = createDecipheriv('aes-256-ccm', shared, nonce, { authTagLength: 8 });
    decipher.setAuthTag(bytes.subarray(bytes.length - 12, bytes.length - 4));
    const plain = decipher.update(bytes.subarray(0, bytes.length - 12));
    decipher.final(); // throws if the tag does not verify
    return plain;
}

function pkiEncrypt(
    sender: KeyObject,
    recipientPublic: Uint8Array,
    id: number,
    from: number,
    plain: Uint8Array,
): Buffer {
    const shared = createHash('sha256')
        .update(diffieHellman({ privateKey: sender, publicKey: x25519PublicObject(recipientPublic) }))
        .digest();
    const extraNonce = 0x01020304;
    const nonce = Buffer.alloc(13);
    nonce.writeUInt32LE(id, 0);
    nonce.writeUInt32LE(extraNonce, 4);
    nonce.writeUInt32LE(from, 8);
    const cipher = createCipheriv('aes-256-ccm', shared, nonce, { authTagLength: 8 });
    const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(extraNonce, 0);
    return Buffer.concat([ct, cipher.getAuthTag(), trailer]);
}

// ---- fixtures ----------------------------------------------------------------------------------------------------

const ROOT = 'msh/EU_868';
const US = 0x1e0b0001;
const PEER = 0x22334455; // has a public key
const OLD_PEER = 0x33445566; // known, no public key
const ALLOWED = 0x44556677; // no public key, channel DMs allowed
const HOP_LIMIT = 5;

function routingPayload(errorCode: number, errorReason: string): MeshPayload {
    return { type: 'routing', routing: { kind: errorCode === 0 ? 'ack' : 'nak', errorReason, errorCode } };
}

interface Decoded {
    topic: string;
    envelope: Mqtt.ServiceEnvelope;
    packet: Mesh.MeshPacket;
    encrypted: Uint8Array;
}

function open(published: Published): Decoded {
    const envelope = fromBinary(Mqtt.ServiceEnvelopeSchema, published.payload);
    const packet = envelope.packet;
    if (!packet || packet.payloadVariant.case !== 'encrypted') {
        throw new Error('expected an encrypted packet');
    }
    return { topic: published.topic, envelope, packet, encrypted: packet.payloadVariant.value };
}

function channelData(d: Decoded, key: Uint8Array = LONGFAST_KEY): Mesh.Data {
    return fromBinary(Mesh.DataSchema, ctr(key, d.packet.id, d.packet.from, d.encrypted));
}

describe('send/messenger', () => {
    let clock: sinon.SinonFakeTimers;
    let transport: FakeTransport;
    let identity: VirtualNodeIdentity;
    let peer: RawKeyPair;
    let statuses: SendStatus[];
    let channels: SendChannel[];

    function messenger(overrides: Partial<MessengerOptions> = {}): Messenger {
        return new Messenger({
            root: ROOT,
            identity,
            channels,
            hopLimit: HOP_LIMIT,
            sendSpacingMs: 0,
            ackTimeoutSeconds: 30,
            allowChannelDm: new Set([ALLOWED]),
            publicKeyOf: num => (num === PEER ? peer.publicKey : undefined),
            nodeExists: num => num === PEER || num === OLD_PEER,
            publish: transport.publish,
            isConnected: transport.isConnected,
            timers: globalTimers,
            now: () => Date.now(),
            onStatus: update => statuses.push(update),
            ...overrides,
        });
    }

    /** A packet from a peer as the receive path would hand it over. */
    function incoming(spec: Parameters<typeof decoded>[0]): DecodedPacket {
        return decoded({ gateway: '!0a0a0a0a', ...spec });
    }

    before(() => {
        const result = createIdentity({
            nodeNum: US,
            longName: 'ioBroker',
            shortName: 'IOB',
            hwModel: 255,
            role: 0,
            privateKey: '',
        });
        if (!result.ok) {
            throw new Error(result.error);
        }
        identity = result.identity;
        peer = x25519Pair();
    });

    beforeEach(() => {
        clock = fakeClock();
        transport = new FakeTransport();
        statuses = [];
        channels = [
            { ...makeChannelKey('LongFast', LONGFAST_KEY), downlink: true },
            { ...makeChannelKey('Secret', SECRET_KEY), downlink: false },
            { ...makeChannelKey('Open', new Uint8Array([0])), downlink: false },
        ];
    });
    afterEach(() => clock.restore());

    describe('channel broadcast', () => {
        it('follows every downlink rule and decrypts independently to the text', async () => {
            const m = messenger();
            const pending = m.send({ text: 'Hallo Mesh 👋' });
            await clock.tickAsync(0);
            const result = await pending;
            expect(result.status).to.equal('sent');
            expect(transport.published).to.have.length(1);

            const d = open(transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
            expect(d.envelope.channelId).to.equal('LongFast');
            expect(d.envelope.gatewayId).to.equal('!1e0b0001');
            expect(d.packet.from).to.equal(US);
            expect(d.packet.to).to.equal(0xffffffff);
            expect(d.packet.channel).to.equal(8); // LongFast + AQ==
            expect(d.packet.hopLimit).to.equal(HOP_LIMIT);
            expect(d.packet.hopStart).to.equal(HOP_LIMIT);
            expect(d.packet.wantAck).to.equal(false);
            expect(d.packet.viaMqtt).to.equal(false);
            expect(d.packet.id).to.not.equal(0);
            expect(d.packet.id).to.equal(result.id);

            const data = channelData(d);
            expect(data.portnum).to.equal(1);
            expect(data.bitfield).to.equal(1);
            expect(data.wantResponse).to.equal(false);
            expect(Buffer.from(data.payload).toString('utf8')).to.equal('Hallo Mesh 👋');

            expect(statuses.map(s => s.status)).to.deep.equal(['queued', 'sent']);
            expect(statuses[1]).to.deep.include({
                id: result.id,
                to: 'broadcast',
                channel: 'LongFast',
                text: 'Hallo Mesh 👋',
            });
        });

        it('uses a fresh random id per packet', async () => {
            const m = messenger();
            const results = await Promise.all([m.send({ text: 'a' }), m.send({ text: 'b' }), clock.tickAsync(0)]);
            expect(results[0].id).to.not.equal(results[1].id);
            const ids = transport.published.map(p => open(p).packet.id);
            expect(new Set(ids).size).to.equal(2);
        });

        it('sends on an explicitly named channel (with its own key and hash), even without downlink', async () => {
            const m = messenger();
            const pending = m.send({ text: 'psst', channel: 'secret' }); // case-insensitive when unique
            await clock.tickAsync(0);
            expect((await pending).status).to.equal('sent');
            const d = open(transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/Secret/!1e0b0001`);
            expect(d.envelope.channelId).to.equal('Secret');
            expect(d.packet.channel).to.equal(channels[1].hash);
            expect(Buffer.from(channelData(d, SECRET_KEY).payload).toString()).to.equal('psst');
        });

        it('a channel without key carries the Data unencrypted', async () => {
            const m = messenger();
            const pending = m.send({ text: 'open', channel: 'Open' });
            await clock.tickAsync(0);
            await pending;
            const envelope = fromBinary(Mqtt.ServiceEnvelopeSchema, transport.published[0].payload);
            const variant = envelope.packet?.payloadVariant;
            const data =
                variant?.case === 'decoded'
                    ? variant.value
                    : variant?.case === 'encrypted'
                      ? fromBinary(Mesh.DataSchema, variant.value)
                      : undefined;
            expect(envelope.channelId).to.equal('Open');
            expect(Buffer.from(data?.payload ?? []).toString()).to.equal('open');
        });

        it('passes replyId and emoji', async () => {
            const m = messenger();
            const pending = m.send({ text: '👍', replyId: 0x01020304, emoji: true });
            await clock.tickAsync(0);
            await pending;
            const data = channelData(open(transport.published[0]));
            expect(data.replyId).to.equal(0x01020304);
            expect(data.emoji).to.equal(1);
        });

        it('splits a long text into paced parts; the result carries the first id', async () => {
            const m = messenger({ sendSpacingMs: 2000 });
            const text = `${'word '.repeat(90)}end`; // 453 bytes → 3 parts
            const pending = m.send({ text });
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(1);
            await clock.tickAsync(4000);
            const result = await pending;
            expect(result).to.deep.include({ status: 'sent', parts: 3 });
            const packets = transport.published.map(open);
            expect(packets.map(p => p.packet.id)[0]).to.equal(result.id);
            expect(transport.published.map(p => p.time - transport.published[0].time)).to.deep.equal([0, 2000, 4000]);
            const texts = packets.map(p => Buffer.from(channelData(p).payload).toString('utf8'));
            expect(texts.join('')).to.equal(text);
            expect(texts.every(t => Buffer.byteLength(t) <= 200)).to.equal(true);
        });
    });

    describe('direct messages', () => {
        it('PKI DM: topic PKI, channel 0, want_ack, decryptable with the recipient private key; ACK → acked', async () => {
            const m = messenger();
            const pending = m.send({ text: 'secret hello', to: '!22334455' });
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(1);
            const d = open(transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/PKI/!1e0b0001`);
            expect(d.envelope.channelId).to.equal('PKI');
            expect(d.envelope.gatewayId).to.equal('!1e0b0001');
            expect(d.packet.channel).to.equal(0);
            expect(d.packet.from).to.equal(US);
            expect(d.packet.to).to.equal(PEER);
            expect(d.packet.wantAck).to.equal(true);
            expect(d.packet.hopLimit).to.equal(HOP_LIMIT);
            expect(d.packet.hopStart).to.equal(HOP_LIMIT);
            const plain = pkiDecrypt(peer.privateObject, identity.publicKey, d.packet.id, US, d.encrypted);
            const data = fromBinary(Mesh.DataSchema, plain);
            expect(data.portnum).to.equal(1);
            expect(data.bitfield).to.equal(1);
            expect(Buffer.from(data.payload).toString()).to.equal('secret hello');
            expect(statuses.map(s => s.status)).to.deep.equal(['queued', 'sent']);
            expect(statuses[1]).to.deep.include({ to: '!22334455', channel: 'PKI' });

            m.onPacket(
                incoming({
                    from: PEER,
                    to: US,
                    data: { portnum: 5, requestId: d.packet.id },
                    payload: routingPayload(0, 'NONE'),
                }),
            );
            const result = await pending;
            expect(result).to.deep.equal({ id: d.packet.id, status: 'acked' });
            expect(statuses.map(s => s.status)).to.deep.equal(['queued', 'sent', 'acked']);
            expect(transport.published).to.have.length(1); // an ACK is never ACKed
        });

        it('accepts the destination as !hex, hex and number', () => {
            expect(parseDestination('!22334455')).to.deep.equal({ kind: 'node', num: PEER });
            expect(parseDestination('22334455')).to.deep.equal({ kind: 'node', num: PEER });
            expect(parseDestination(' !ABCDEF01 ')).to.deep.equal({ kind: 'node', num: 0xabcdef01 });
            expect(parseDestination(PEER)).to.deep.equal({ kind: 'node', num: PEER });
            expect(parseDestination('!ffffffff')).to.deep.equal({ kind: 'broadcast' });
            expect(parseDestination('broadcast')).to.deep.equal({ kind: 'broadcast' });
            expect(parseDestination(undefined)).to.deep.equal({ kind: 'broadcast' });
            expect(parseDestination('!123')).to.deep.equal({ kind: 'node', num: 0x123 });
            expect(parseDestination('573785173')).to.deep.equal({ kind: 'node', num: PEER });
            for (const bad of ['!xyz', 'hello', -1, 1.5, 2 ** 32, {}, true, '!00000001', '!123456789']) {
                expect(parseDestination(bad), JSON.stringify(bad)).to.have.property('error');
            }
        });

        it('NAK → failed with the reason name', async () => {
            const m = messenger();
            const pending = m.send({ text: 'hi', to: PEER });
            await clock.tickAsync(0);
            const id = open(transport.published[0]).packet.id;
            m.onPacket(
                incoming({
                    from: PEER,
                    to: US,
                    data: { portnum: 5, requestId: id },
                    payload: routingPayload(35, 'PKI_UNKNOWN_PUBKEY'),
                }),
            );
            expect(await pending).to.deep.equal({ id, status: 'failed', error: 'PKI_UNKNOWN_PUBKEY' });
            expect(statuses.at(-1)).to.deep.include({ status: 'failed', error: 'PKI_UNKNOWN_PUBKEY' });
        });

        it('no ACK → failed after the timeout', async () => {
            const m = messenger({ ackTimeoutSeconds: 30 });
            let settled = false;
            const pending = m.send({ text: 'hi', to: PEER }).then(r => {
                settled = true;
                return r;
            });
            await clock.tickAsync(29_999);
            expect(settled).to.equal(false);
            await clock.tickAsync(1);
            expect(await pending).to.deep.include({ status: 'failed', error: 'no ACK within 30 s' });
            expect(clock.countTimers()).to.equal(0);
        });

        it('wantAck false: a DM is final once published', async () => {
            const m = messenger();
            const pending = m.send({ text: 'fire and forget', to: PEER, wantAck: false });
            await clock.tickAsync(0);
            expect((await pending).status).to.equal('sent');
            expect(m.pendingAcks).to.equal(0);
            // (the codec marks every PKI packet want_ack on the wire; an ACK that comes anyway is simply not tracked)
            expect(open(transport.published[0]).packet.to).to.equal(PEER);
        });

        it('a multi-part DM is acked only when every part is acked', async () => {
            const m = messenger();
            let result: string | undefined;
            void m.send({ text: 'x'.repeat(350), to: PEER }).then(r => (result = r.status));
            await clock.tickAsync(0);
            const ids = transport.published.map(p => open(p).packet.id);
            expect(ids).to.have.length(2);
            const ack = (id: number): void =>
                m.onPacket(
                    incoming({
                        from: PEER,
                        to: US,
                        data: { portnum: 5, requestId: id },
                        payload: routingPayload(0, 'NONE'),
                    }),
                );
            ack(ids[1]);
            await clock.tickAsync(0);
            expect(result).to.equal(undefined);
            ack(ids[0]);
            await clock.tickAsync(0);
            expect(result).to.equal('acked');
            expect(statuses.at(-1)).to.deep.include({ id: ids[0], status: 'acked', parts: 2 });
        });

        it('channel-key DM for a node in allowChannelDm without public key', async () => {
            const m = messenger();
            const pending = m.send({ text: 'legacy', to: ALLOWED });
            await clock.tickAsync(0);
            const d = open(transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
            expect(d.packet.to).to.equal(ALLOWED);
            expect(d.packet.channel).to.equal(8);
            expect(d.packet.wantAck).to.equal(true);
            expect(Buffer.from(channelData(d).payload).toString()).to.equal('legacy');
            m.onPacket(
                incoming({
                    from: ALLOWED,
                    to: US,
                    data: { portnum: 5, requestId: d.packet.id },
                    payload: routingPayload(0, 'NONE'),
                }),
            );
            expect((await pending).status).to.equal('acked');
        });
    });

    describe('invalid requests: error result, nothing published', () => {
        const cases: [string, Record<string, unknown>, RegExp][] = [
            ['empty text', { text: '' }, /empty/],
            ['whitespace text', { text: '  \n ' }, /empty/],
            ['non-string text', { text: 42 }, /must be a string/],
            ['missing text', { text: undefined }, /must be a string/],
            ['oversize text', { text: 'x'.repeat(1601) }, /too long/],
            [
                'unknown channel',
                { text: 'hi', channel: 'Nope' },
                /unknown channel "Nope" \(configured: LongFast, Secret, Open\)/,
            ],
            ['channel index out of range', { text: 'hi', channel: 7 }, /unknown channel index/],
            ['unknown node', { text: 'hi', to: '!0badc0de' }, /unknown node !0badc0de/],
            [
                'no public key',
                { text: 'hi', to: OLD_PEER },
                /no public key for !33445566 — wait for its NodeInfo or allow a channel-key DM for it/,
            ],
            ['invalid destination', { text: 'hi', to: 'someone' }, /invalid destination/],
            ['ourselves', { text: 'hi', to: US }, /ourselves/],
            ['bad replyId', { text: 'hi', replyId: -5 }, /replyId/],
            ['emoji without replyId', { text: '👍', emoji: true }, /replyId/],
        ];
        for (const [name, request, error] of cases) {
            it(name, async () => {
                const m = messenger();
                const result = await m.send(request as { text: unknown });
                await clock.tickAsync(60_000);
                expect(result.status).to.equal('failed');
                expect(result.error).to.match(error);
                expect(transport.attempts).to.equal(0);
                expect(m.queueLength).to.equal(0);
                expect(statuses).to.have.length(1);
                expect(statuses[0]).to.deep.include({ id: 0, status: 'failed' });
            });
        }

        it('a full queue rejects the whole message', async () => {
            transport.connected = false;
            const m = messenger({ queueSize: 3 });
            void m.send({ text: 'one' });
            void m.send({ text: 'two' });
            const result = await m.send({ text: 'y'.repeat(300) }); // 2 parts, 1 slot left
            expect(result).to.deep.include({ status: 'failed' });
            expect(result.error).to.match(/send queue full/);
            expect(m.queueLength).to.equal(2);
            m.stop();
        });

        it('no channel configured', async () => {
            const m = messenger({ channels: [] });
            expect((await m.send({ text: 'hi' })).error).to.match(/no channel/);
        });
    });

    describe('connection', () => {
        it('waits while disconnected and publishes once after resume()', async () => {
            transport.connected = false;
            const m = messenger();
            let result: string | undefined;
            void m.send({ text: 'later' }).then(r => (result = r.status));
            await clock.tickAsync(3000);
            expect(transport.published).to.have.length(0);
            expect(statuses.map(s => s.status)).to.deep.equal(['queued']);
            transport.connected = true;
            m.resume();
            m.resume();
            await clock.tickAsync(0);
            expect(result).to.equal('sent');
            expect(transport.published).to.have.length(1);
        });

        it('fails with "not connected" when the connection does not come back in time', async () => {
            transport.connected = false;
            const m = messenger({ disconnectedWaitMs: 60_000 });
            const pending = m.send({ text: 'never' });
            await clock.tickAsync(60_000);
            const result = await pending;
            expect(result.status).to.equal('failed');
            expect(result.error).to.match(/^not connected/);
        });
    });

    describe('replies and announcements', () => {
        it('ACKs a channel DM to us that wants one, once per packet, on the channel it came on', async () => {
            const m = messenger();
            const dm = incoming({
                from: PEER,
                to: US,
                id: 0xcafe0001,
                header: { wantAck: true },
                data: { portnum: 1, payload: Buffer.from('hi') },
                channelName: 'LongFast',
            });
            m.onPacket(dm);
            m.onPacket({ ...dm, gatewayId: '!0b0b0b0b' }); // the same DM through a second gateway
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(1);
            const d = open(transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
            expect(d.packet.to).to.equal(PEER);
            expect(d.packet.from).to.equal(US);
            expect(d.packet.wantAck).to.equal(false);
            expect(d.packet.id).to.not.equal(0xcafe0001);
            const data = channelData(d);
            expect(data.portnum).to.equal(5);
            expect(data.requestId).to.equal(0xcafe0001);
            expect(Buffer.from(data.payload).toString('hex')).to.equal('1800');
            const routing = fromBinary(Mesh.RoutingSchema, data.payload);
            expect(routing.variant).to.deep.equal({ case: 'errorReason', value: 0 });
            expect(statuses).to.have.length(0); // replies are not user sends

            // a retransmission later is ACKed again
            await clock.tickAsync(10_000);
            m.onPacket(dm);
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(2);
        });

        it('ACKs a PKI DM to us on the first downlink channel (ROUTING is never PKI, like firmware)', async () => {
            const m = messenger();
            m.onPacket(
                incoming({
                    from: PEER,
                    to: US,
                    id: 0xcafe0002,
                    encryption: 'pki',
                    channelName: 'PKI',
                    channelId: 'PKI',
                    header: { wantAck: true, pkiEncrypted: true },
                    data: { portnum: 1, payload: Buffer.from('hi') },
                }),
            );
            await clock.tickAsync(0);
            const d = open(transport.published[0]);
            expect(d.topic).to.equal(`${ROOT}/2/e/LongFast/!1e0b0001`);
            expect(d.packet.to).to.equal(PEER);
            expect(d.packet.wantAck).to.equal(false);
            const data = channelData(d);
            expect(data.portnum).to.equal(5);
            expect(data.requestId).to.equal(0xcafe0002);
        });

        it('does not ACK broadcasts, packets without want_ack, or our own echo', async () => {
            const m = messenger();
            m.onPacket(incoming({ from: PEER, to: 0xffffffff, header: { wantAck: true } }));
            m.onPacket(incoming({ from: PEER, to: US, header: { wantAck: false } }));
            m.onPacket(incoming({ from: US, to: US, header: { wantAck: true } }));
            m.onPacket(incoming({ from: PEER, to: US, gateway: '!1e0b0001', header: { wantAck: true } }));
            await clock.tickAsync(1000);
            expect(transport.published).to.have.length(0);
        });

        it('answers a NodeInfo request to us with our NodeInfo, at most every 10 min per node', async () => {
            const m = messenger();
            const request = incoming({
                from: PEER,
                to: US,
                channelName: 'LongFast',
                data: { portnum: 4, wantResponse: true, bitfield: 3 },
            });
            m.onPacket(request);
            await clock.tickAsync(0);
            m.onPacket(request);
            await clock.tickAsync(9 * 60_000);
            m.onPacket(request);
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(1);
            const d = open(transport.published[0]);
            expect(d.packet.to).to.equal(PEER);
            const data = channelData(d);
            expect(data.portnum).to.equal(4);
            expect(data.wantResponse).to.equal(false);
            const user = fromBinary(Mesh.UserSchema, data.payload);
            expect(user.id).to.equal('!1e0b0001');
            expect(Buffer.from(user.publicKey)).to.deep.equal(Buffer.from(identity.publicKey));
            await clock.tickAsync(60_000);
            m.onPacket(request);
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(2);
            // a NodeInfo broadcast with want_response is not addressed to us: no reply
            m.onPacket(incoming({ from: 0x55555555, to: 0xffffffff, data: { portnum: 4, wantResponse: true } }));
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(2);
        });

        it('announce: NodeInfo broadcast on each downlink channel, at most once per hour', async () => {
            channels[1] = { ...channels[1], downlink: true };
            const m = messenger();
            expect(m.announce()).to.deep.equal({ queued: 2 });
            expect(m.announce().queued).to.equal(0); // still queued
            await clock.tickAsync(0);
            expect(transport.topics()).to.deep.equal([
                `${ROOT}/2/e/LongFast/!1e0b0001`,
                `${ROOT}/2/e/Secret/!1e0b0001`,
            ]);
            const d = open(transport.published[0]);
            expect(d.packet.to).to.equal(0xffffffff);
            expect(d.packet.hopLimit).to.equal(HOP_LIMIT);
            const data = channelData(d);
            expect(data.portnum).to.equal(4);
            expect(data.bitfield).to.equal(1);
            const user = fromBinary(Mesh.UserSchema, data.payload);
            expect(user).to.deep.include({ id: '!1e0b0001', longName: 'ioBroker', shortName: 'IOB', hwModel: 255 });
            expect(Buffer.from(user.publicKey)).to.deep.equal(Buffer.from(identity.publicKey));
            expect(
                fromBinary(
                    Mesh.DataSchema,
                    ctr(SECRET_KEY, open(transport.published[1]).packet.id, US, open(transport.published[1]).encrypted),
                ).portnum,
            ).to.equal(4);

            await clock.tickAsync(59 * 60_000);
            expect(m.announce()).to.deep.include({ queued: 0 });
            await clock.tickAsync(60_000);
            expect(m.announce(true).queued).to.equal(2);
            await clock.tickAsync(0);
            expect(channelData(open(transport.published[2])).bitfield).to.equal(3);
            expect(transport.published).to.have.length(4);
        });

        it('announce retries after a failed attempt (the hour counts from an announcement that went out)', async () => {
            transport.connected = false;
            const m = messenger({ disconnectedWaitMs: 60_000 });
            expect(m.announce().queued).to.equal(1);
            await clock.tickAsync(60_000);
            transport.connected = true;
            expect(m.announce().queued).to.equal(1);
            await clock.tickAsync(0);
            expect(transport.published).to.have.length(1);
        });

        it('settles ACKs through onPacket and an inbound DM from the peer decrypts for us (sanity of the fixture keys)', () => {
            // the peer could encrypt to us with our advertised key: our private key decrypts it
            const blob = pkiEncrypt(peer.privateObject, identity.publicKey, 7, PEER, Buffer.from('x'));
            const plain = pkiDecrypt(x25519PrivateObject(identity.privateKey), peer.publicKey, 7, PEER, blob);
            expect(plain.toString()).to.equal('x');
        });
    });

    it('isOwnPacket: our node number or our gateway id', () => {
        const m = messenger();
        expect(m.isOwnPacket(incoming({ from: US }))).to.equal(true);
        expect(m.isOwnPacket(incoming({ from: PEER, gateway: '!1E0B0001' }))).to.equal(true);
        expect(m.isOwnPacket(incoming({ from: PEER }))).to.equal(false);
    });

    it('stop() fails everything pending with "adapter stopping" and leaves no timer', async () => {
        const m = messenger({ sendSpacingMs: 5000 });
        const dm = m.send({ text: 'waiting for ack', to: PEER });
        const queued = m.send({ text: 'still queued' });
        await clock.tickAsync(0);
        m.stop();
        expect(await dm).to.deep.include({ status: 'failed', error: 'adapter stopping' });
        expect(await queued).to.deep.include({ status: 'failed', error: 'adapter stopping' });
        expect(clock.countTimers()).to.equal(0);
        expect((await m.send({ text: 'after' })).error).to.equal('adapter stopping');
        expect(m.announce().queued).to.equal(0);
    });
});
