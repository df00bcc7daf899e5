import { expect } from 'chai';
import fc from 'fast-check';
import { createCipheriv } from 'node:crypto';
import {
    createKeystreamCipher,
    ctrCrypt,
    ctrNonce,
    ctrXor,
    generateKeyPair,
    pkiDecrypt,
    pkiEncrypt,
    pkiSharedKey,
    publicKeyFromPrivate,
    SharedKeyCache,
} from './crypto';
import { decodeData } from './envelope';
import { makeChannelKey, parsePsk } from './keys';
import { fromHex, hex, pkiPrimitive, primitive } from './vectors.test';

function keyOf(base64: string): Uint8Array {
    const parsed = parsePsk(base64);
    if (!parsed.ok) {
        throw new Error(parsed.message);
    }
    return parsed.value;
}

/** Node's own AES-CTR, the reference the keystream path must match byte for byte. */
function nodeCtr(key: Uint8Array, iv: Uint8Array, bytes: Uint8Array): string {
    const cipher = createCipheriv(key.length === 16 ? 'aes-128-ctr' : 'aes-256-ctr', key, iv);
    return hex(Buffer.concat([cipher.update(bytes), cipher.final()]));
}

describe('codec/crypto', () => {
    describe('AES-CTR', () => {
        it('builds the Meshtastic nonce (id LE, 0, from LE, 0)', () => {
            const p = primitive('nonce_layout');
            expect(hex(ctrNonce(p.packet_id ?? 0, p.from ?? 0))).to.equal(p.nonce_hex);
        });

        it('decrypts the FriendlyDev CTR vector', () => {
            const p = primitive('ctr_friendlydev');
            const key = makeChannelKey('LongFast', keyOf(p.key_base64 ?? ''));
            const plain = ctrCrypt(
                key,
                p.packet_id ?? 0,
                p.from ?? 0,
                Buffer.from(p.ciphertext_base64 ?? '', 'base64'),
            );
            expect(Buffer.from(plain).toString('base64')).to.equal(p.plaintext_base64);
        });

        it('decrypts the bridger position vector and re-encrypts it identically', () => {
            const p = primitive('ctr_bridger_position_payload');
            const key = makeChannelKey('LongFast', keyOf(p.key_base64 ?? ''));
            expect(hex(ctrNonce(p.packet_id ?? 0, p.from ?? 0))).to.equal(p.nonce_hex);
            const plain = ctrCrypt(key, p.packet_id ?? 0, p.from ?? 0, fromHex(p.ciphertext_hex ?? ''));
            expect(hex(plain)).to.equal(p.plaintext_hex);
            expect(hex(ctrCrypt(key, p.packet_id ?? 0, p.from ?? 0, plain))).to.equal(p.ciphertext_hex);
            expect(decodeData(plain)?.portnum).to.equal(3);
        });

        for (const name of ['aes128ctr_rfc3686', 'aes256ctr_rfc3686']) {
            it(`matches ${name} through the ECB keystream path`, () => {
                const p = primitive(name);
                const key = fromHex(p.key_hex ?? '');
                const ecb = createKeystreamCipher(key);
                expect(ecb).to.not.equal(undefined);
                if (!ecb) {
                    return;
                }
                const out = ctrXor(ecb, fromHex(p.iv_hex ?? ''), Buffer.from(p.plaintext ?? '', 'utf8'));
                expect(hex(out)).to.equal(p.ciphertext_hex);
                expect(nodeCtr(key, fromHex(p.iv_hex ?? ''), Buffer.from(p.plaintext ?? '', 'utf8'))).to.equal(
                    p.ciphertext_hex,
                );
            });
        }

        it('is byte-identical to createCipheriv aes-128/256-ctr for any key, id, sender and length ≤ 256', () => {
            fc.assert(
                fc.property(
                    fc.oneof(
                        fc.uint8Array({ minLength: 16, maxLength: 16 }),
                        fc.uint8Array({ minLength: 32, maxLength: 32 }),
                    ),
                    fc.nat({ max: 0xffffffff }),
                    fc.nat({ max: 0xffffffff }),
                    fc.uint8Array({ maxLength: 256 }),
                    (key, id, from, bytes) => {
                        const channel = makeChannelKey('x', key);
                        expect(hex(ctrCrypt(channel, id, from, bytes))).to.equal(
                            nodeCtr(key, ctrNonce(id, from), bytes),
                        );
                    },
                ),
                { numRuns: 300 },
            );
        });

        it('handles payloads beyond the 256-byte firmware limit too', () => {
            const key = makeChannelKey('x', new Uint8Array(16).fill(3));
            const bytes = new Uint8Array(1000).fill(0x5a);
            expect(hex(ctrCrypt(key, 1, 2, bytes))).to.equal(nodeCtr(key.key, ctrNonce(1, 2), bytes));
        });

        it('increments only the last 4 counter bytes (firmware CTR with a 4-byte counter)', () => {
            const key = new Uint8Array(16).fill(7);
            const ecb = createKeystreamCipher(key);
            if (!ecb) {
                expect.fail('no cipher');
            }
            const iv = fromHex('000102030405060708090a0bffffffff');
            const zeros = new Uint8Array(32);
            const stream = ctrXor(ecb, iv, zeros);
            const block = (counter: string): string => {
                const c = createCipheriv('aes-128-ecb', key, null);
                c.setAutoPadding(false);
                return hex(c.update(fromHex(`000102030405060708090a0b${counter}`)));
            };
            expect(hex(stream)).to.equal(block('ffffffff') + block('00000000'));
            expect(ctrXor(ecb, iv, new Uint8Array(0))).to.have.length(0);
            expect(() => ctrXor(ecb, iv.subarray(0, 8), zeros)).to.throw(RangeError);
        });

        it('returns a copy for channels without a key, and empty output for empty input', () => {
            const open = makeChannelKey('open', new Uint8Array(0));
            expect(open.keystream).to.equal(undefined);
            const bytes = new Uint8Array([1, 2, 3]);
            const out = ctrCrypt(open, 1, 2, bytes);
            expect(Array.from(out)).to.deep.equal([1, 2, 3]);
            expect(out).to.not.equal(bytes);
            expect(ctrCrypt(makeChannelKey('k', new Uint8Array([1])), 1, 2, new Uint8Array(0))).to.have.length(0);
        });

        it('creates AES-192 keystreams for 24-byte keys', () => {
            const ecb = createKeystreamCipher(new Uint8Array(24).fill(1));
            expect(ecb).to.not.equal(undefined);
        });
    });

    describe('PKI', () => {
        const p = pkiPrimitive();
        const receiverPrivate = fromHex(p.receiver_private_key_hex);
        const senderPublic = fromHex(p.sender_public_key_hex);
        const encrypted = fromHex(p.encrypted_payload_hex);

        it('derives the firmware shared key (SHA-256 of X25519)', () => {
            const shared = pkiSharedKey(receiverPrivate, senderPublic);
            expect(hex(shared ?? new Uint8Array())).to.equal(p.shared_key_sha256_hex);
        });

        it('decrypts the firmware test_PKC frame to "test" and re-encrypts it identically', () => {
            const shared = fromHex(p.shared_key_sha256_hex);
            const plain = pkiDecrypt(shared, p.header.id, p.header.from, encrypted);
            expect(hex(plain ?? new Uint8Array())).to.equal(p.expected.plaintext_hex);
            expect(decodeData(plain ?? new Uint8Array())?.payload).to.deep.equal(new Uint8Array(Buffer.from('test')));
            const extraNonce = Buffer.from(p.extra_nonce_hex, 'hex').readUInt32LE(0);
            const again = pkiEncrypt(shared, p.header.id, p.header.from, plain ?? new Uint8Array(), extraNonce);
            expect(hex(again)).to.equal(p.encrypted_payload_hex);
            // Layout: ciphertext ‖ tag ‖ extra nonce
            expect(hex(again.subarray(again.length - 12, again.length - 4))).to.equal(p.auth_tag_hex);
            expect(hex(again.subarray(again.length - 4))).to.equal(p.extra_nonce_hex);
        });

        it('rejects tampered, truncated or wrongly keyed frames', () => {
            const shared = fromHex(p.shared_key_sha256_hex);
            const tampered = Uint8Array.from(encrypted);
            tampered[0] ^= 1;
            expect(pkiDecrypt(shared, p.header.id, p.header.from, tampered)).to.equal(undefined);
            expect(pkiDecrypt(shared, p.header.id + 1, p.header.from, encrypted)).to.equal(undefined);
            expect(pkiDecrypt(shared, p.header.id, p.header.from, encrypted.subarray(0, 12))).to.equal(undefined);
            expect(pkiDecrypt(shared.subarray(0, 16), p.header.id, p.header.from, encrypted)).to.equal(undefined);
            expect(() => pkiEncrypt(shared.subarray(0, 16), 1, 2, new Uint8Array(1))).to.throw(RangeError);
        });

        it('generates key pairs whose shared keys agree in both directions', () => {
            const a = generateKeyPair();
            const b = generateKeyPair();
            expect(a.privateKey).to.have.length(32);
            expect(a.publicKey).to.have.length(32);
            expect(hex(publicKeyFromPrivate(a.privateKey))).to.equal(hex(a.publicKey));
            const ab = pkiSharedKey(a.privateKey, b.publicKey);
            const ba = pkiSharedKey(b.privateKey, a.publicKey);
            expect(ab).to.have.length(32);
            expect(hex(ab ?? new Uint8Array())).to.equal(hex(ba ?? new Uint8Array()));
        });

        it('round-trips random plaintexts with random extra nonces', () => {
            const a = generateKeyPair();
            const b = generateKeyPair();
            const shared = pkiSharedKey(a.privateKey, b.publicKey) ?? new Uint8Array();
            fc.assert(
                fc.property(
                    fc.uint8Array({ minLength: 1, maxLength: 220 }),
                    fc.nat({ max: 0xffffffff }),
                    fc.nat(),
                    (plain, id, from) => {
                        const frame = pkiEncrypt(shared, id, from, plain);
                        expect(frame).to.have.length(plain.length + 12);
                        expect(hex(pkiDecrypt(shared, id, from, frame) ?? new Uint8Array())).to.equal(hex(plain));
                    },
                ),
                { numRuns: 100 },
            );
        });

        it('refuses keys of the wrong size and degenerate peer keys', () => {
            expect(pkiSharedKey(new Uint8Array(31), senderPublic)).to.equal(undefined);
            expect(pkiSharedKey(receiverPrivate, new Uint8Array(33))).to.equal(undefined);
            // All-zero public key: a low-order point, the X25519 result is all zeros and OpenSSL refuses it.
            expect(pkiSharedKey(receiverPrivate, new Uint8Array(32))).to.equal(undefined);
            expect(() => publicKeyFromPrivate(new Uint8Array(16))).to.throw(RangeError);
        });
    });

    describe('SharedKeyCache', () => {
        const p = pkiPrimitive();
        const receiverPrivate = fromHex(p.receiver_private_key_hex);
        const senderPublic = fromHex(p.sender_public_key_hex);

        it('caches per node, recomputes when the key changes and stays bounded', () => {
            const cache = new SharedKeyCache(receiverPrivate, 2);
            const first = cache.sharedKey(1, senderPublic);
            expect(hex(first ?? new Uint8Array())).to.equal(p.shared_key_sha256_hex);
            expect(cache.sharedKey(1, senderPublic)).to.equal(first);
            const other = generateKeyPair().publicKey;
            const changed = cache.sharedKey(1, other);
            expect(hex(changed ?? new Uint8Array())).to.not.equal(p.shared_key_sha256_hex);
            cache.sharedKey(2, senderPublic);
            cache.sharedKey(3, senderPublic);
            expect(cache.size).to.equal(2);
            // node 1 was least recently used and is gone: recomputed (new object)
            expect(cache.sharedKey(1, other)).to.not.equal(changed);
            expect(cache.sharedKey(9, new Uint8Array(32))).to.equal(undefined);
            cache.clear();
            expect(cache.size).to.equal(0);
        });
    });
});
