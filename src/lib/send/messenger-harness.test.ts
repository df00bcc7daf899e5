/**
 * The messenger's test bench (a `.test.ts` file so the build leaves it out): independent crypto with node:crypto only
 * (not the codec), fixture nodes and keys, and a fresh Messenger over a fake transport and fake clock per test.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { Mesh, Mqtt } from '@meshtastic/protobufs';
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
import { FakeTransport, fakeClock, globalTimers, type Published } from './test-helpers.test';
import type { SendStatus } from './types';

// ---- independent crypto (node:crypto only, not the codec) ------------------------------------------------------

export const LONGFAST_KEY = Buffer.from('d4f1bb3a20290759f0bcffabcf4e6901', 'hex');
export const SECRET_KEY = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');

export interface RawKeyPair {
    privateKey: Uint8Array;
    publicKey: Uint8Array;
    privateObject: KeyObject;
}

export function x25519Pair(): RawKeyPair {
    const pair = generateKeyPairSync('x25519');
    const jwk = pair.privateKey.export({ format: 'jwk' });
    return {
        privateKey: Buffer.from(jwk.d ?? '', 'base64url'),
        publicKey: Buffer.from(jwk.x ?? '', 'base64url'),
        privateObject: pair.privateKey,
    };
}

export function x25519PublicObject(raw: Uint8Array): KeyObject {
    return createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), raw]),
        format: 'der',
        type: 'spki',
    });
}

export function x25519PrivateObject(raw: Uint8Array): KeyObject {
    return createPrivateKey({
        key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), raw]),
        format: 'der',
        type: 'pkcs8',
    });
}

/** AES-CTR with nonce id LE4 ‖ 0000 ‖ from LE4 ‖ 0000 (spec §3.3). */
export function ctr(key: Uint8Array, id: number, from: number, bytes: Uint8Array): Buffer {
    const nonce = Buffer.alloc(16);
    nonce.writeUInt32LE(id, 0);
    nonce.writeUInt32LE(from, 8);
    const decipher = createDecipheriv(key.length === 16 ? 'aes-128-ctr' : 'aes-256-ctr', key, nonce);
    return Buffer.concat([decipher.update(bytes), decipher.final()]);
}

/** PKI decryption with the recipient's private key: X25519 → SHA-256 → AES-256-CCM (tag 8), spec §3.4. */
export function pkiDecrypt(
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

export function pkiEncrypt(
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

export const ROOT = 'msh/EU_868';
export const US = 0x1e0b0001;
export const PEER = 0x22334455; // has a public key
export const OLD_PEER = 0x33445566; // known, no public key
export const ALLOWED = 0x44556677; // no public key, channel DMs allowed
export const HOP_LIMIT = 5;

export function routingPayload(errorCode: number, errorReason: string): MeshPayload {
    return { type: 'routing', routing: { kind: errorCode === 0 ? 'ack' : 'nak', errorReason, errorCode } };
}

export interface Decoded {
    topic: string;
    envelope: Mqtt.ServiceEnvelope;
    packet: Mesh.MeshPacket;
    encrypted: Uint8Array;
}

export function open(published: Published): Decoded {
    const envelope = fromBinary(Mqtt.ServiceEnvelopeSchema, published.payload);
    const packet = envelope.packet;
    if (!packet || packet.payloadVariant.case !== 'encrypted') {
        throw new Error('expected an encrypted packet');
    }
    return { topic: published.topic, envelope, packet, encrypted: packet.payloadVariant.value };
}

export function channelData(d: Decoded, key: Uint8Array = LONGFAST_KEY): Mesh.Data {
    return fromBinary(Mesh.DataSchema, ctr(key, d.packet.id, d.packet.from, d.encrypted));
}

/** What each test gets: fresh per test (identity and peer keys once per file). */
export interface MessengerHarness {
    clock: sinon.SinonFakeTimers;
    transport: FakeTransport;
    identity: VirtualNodeIdentity;
    peer: RawKeyPair;
    statuses: SendStatus[];
    /** LongFast (downlink), Secret and Open (no key), both without downlink. */
    channels: SendChannel[];
    messenger(overrides?: Partial<MessengerOptions>): Messenger;
    /** A packet from a peer as the receive path would hand it over. */
    incoming(spec: Parameters<typeof decoded>[0]): DecodedPacket;
}

/** Registers the mocha hooks of the bench in the calling `describe` and returns it. */
export function useMessengerHarness(): MessengerHarness {
    const h = {
        statuses: [],
        messenger(overrides: Partial<MessengerOptions> = {}): Messenger {
            return new Messenger({
                root: ROOT,
                identity: h.identity,
                channels: h.channels,
                hopLimit: HOP_LIMIT,
                sendSpacingMs: 0,
                ackTimeoutSeconds: 30,
                allowChannelDm: new Set([ALLOWED]),
                publicKeyOf: num => (num === PEER ? h.peer.publicKey : undefined),
                nodeExists: num => num === PEER || num === OLD_PEER,
                publish: h.transport.publish,
                isConnected: h.transport.isConnected,
                timers: globalTimers,
                now: () => Date.now(),
                onStatus: update => h.statuses.push(update),
                ...overrides,
            });
        },
        incoming(spec: Parameters<typeof decoded>[0]): DecodedPacket {
            return decoded({ gateway: '!0a0a0a0a', ...spec });
        },
    } as unknown as MessengerHarness;

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
        h.identity = result.identity;
        h.peer = x25519Pair();
    });

    beforeEach(() => {
        h.clock = fakeClock();
        h.transport = new FakeTransport();
        h.statuses = [];
        h.channels = [
            { ...makeChannelKey('LongFast', LONGFAST_KEY), downlink: true },
            { ...makeChannelKey('Secret', SECRET_KEY), downlink: false },
            { ...makeChannelKey('Open', new Uint8Array([0])), downlink: false },
        ];
    });
    afterEach(() => h.clock.restore());
    return h;
}
