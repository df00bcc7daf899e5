"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SharedKeyCache = exports.PKI_OVERHEAD = void 0;
exports.createKeystreamCipher = createKeystreamCipher;
exports.ctrNonce = ctrNonce;
exports.ctrXor = ctrXor;
exports.ctrCrypt = ctrCrypt;
exports.pkiSharedKey = pkiSharedKey;
exports.pkiEncrypt = pkiEncrypt;
exports.pkiDecrypt = pkiDecrypt;
exports.generateKeyPair = generateKeyPair;
exports.publicKeyFromPrivate = publicKeyFromPrivate;
/**
 * Meshtastic cryptography with node:crypto only (spec §3.3, §3.4).
 *
 * Channel packets: AES-CTR. Creating a Decipher per packet costs more than the whole rest of decoding, so each key
 * keeps one AES-ECB encryptor and the CTR keystream is made by encrypting the counter blocks ourselves. ECB without
 * padding is stateless per 16-byte block, so the same Cipher object serves every packet (never call `final()`).
 *
 * Direct messages: X25519 → SHA-256 → AES-256-CCM (tag 8, 13-byte nonce).
 */
const node_crypto_1 = require("node:crypto");
const BLOCK_SIZE = 16;
/** Firmware limit of an encrypted payload; counter blocks for packets up to this size come from a reused buffer. */
const MAX_ENCRYPTED_BYTES = 256;
/** Reused counter-block buffer: the ECB encryptor copies its input, so one buffer serves every call. */
const counterScratch = Buffer.alloc(MAX_ENCRYPTED_BYTES);
/** One reusable AES-ECB encryptor for a 16/24/32-byte key (undefined for an empty key: no encryption). */
function createKeystreamCipher(key) {
    if (key.length === 0) {
        return undefined;
    }
    const algorithm = key.length === 16 ? 'aes-128-ecb' : key.length === 24 ? 'aes-192-ecb' : 'aes-256-ecb';
    const cipher = (0, node_crypto_1.createCipheriv)(algorithm, key, null);
    cipher.setAutoPadding(false);
    return cipher;
}
/** The 16-byte CTR initial counter block: id u32 LE, 4 zero bytes, from u32 LE, 4 zero bytes (block counter). */
function ctrNonce(packetId, from) {
    const nonce = Buffer.alloc(BLOCK_SIZE);
    nonce.writeUInt32LE(packetId >>> 0, 0);
    nonce.writeUInt32LE(from >>> 0, 8);
    return nonce;
}
function counterBlocks(byteLength) {
    const size = Math.ceil(byteLength / BLOCK_SIZE) * BLOCK_SIZE;
    return size <= MAX_ENCRYPTED_BYTES ? counterScratch.subarray(0, size) : Buffer.alloc(size);
}
/** XORs `bytes` with the keystream in `keystream` (same length or longer); returns the keystream buffer, truncated. */
function xorInto(keystream, bytes) {
    for (let i = 0; i < bytes.length; i++) {
        keystream[i] ^= bytes[i];
    }
    return keystream.subarray(0, bytes.length);
}
/**
 * AES-CTR with an arbitrary 16-byte initial counter block through an ECB encryptor; the counter is the last 4 bytes,
 * incremented big-endian (rweather CTR with a 4-byte counter, as in firmware). Same operation both ways.
 * Throws RangeError if the counter block is not 16 bytes.
 */
function ctrXor(ecb, initialCounter, bytes) {
    if (initialCounter.length !== BLOCK_SIZE) {
        throw new RangeError('AES-CTR initial counter block must be 16 bytes');
    }
    if (bytes.length === 0) {
        return new Uint8Array(0);
    }
    const blocks = counterBlocks(bytes.length);
    const iv = Buffer.from(initialCounter.buffer, initialCounter.byteOffset, BLOCK_SIZE);
    const start = iv.readUInt32BE(12);
    for (let offset = 0, n = 0; offset < blocks.length; offset += BLOCK_SIZE, n++) {
        iv.copy(blocks, offset, 0, 12);
        blocks.writeUInt32BE((start + n) >>> 0, offset + 12);
    }
    return xorInto(ecb.update(blocks), bytes);
}
/**
 * Encrypts or decrypts a channel packet (AES-CTR with the Meshtastic nonce). With an empty key (no encryption) it
 * returns a copy of the input.
 */
function ctrCrypt(channel, packetId, from, bytes) {
    const ecb = channel.keystream;
    if (!ecb) {
        return Uint8Array.from(bytes);
    }
    if (bytes.length === 0) {
        return new Uint8Array(0);
    }
    const blocks = counterBlocks(bytes.length);
    const id = packetId >>> 0;
    const sender = from >>> 0;
    for (let offset = 0, n = 0; offset < blocks.length; offset += BLOCK_SIZE, n++) {
        blocks.writeUInt32LE(id, offset);
        blocks.writeUInt32LE(0, offset + 4);
        blocks.writeUInt32LE(sender, offset + 8);
        blocks.writeUInt32BE(n, offset + 12);
    }
    return xorInto(ecb.update(blocks), bytes);
}
// ---- PKI (X25519 + AES-256-CCM) ------------------------------------------------------------------------------------
/** DER prefixes that wrap a raw 32-byte X25519 key as PKCS#8 (private) or SPKI (public) for node:crypto. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const KEY_BYTES = 32;
/** Bytes PKI adds to the plaintext: 8-byte tag + 4-byte extra nonce (`MESHTASTIC_PKC_OVERHEAD`). */
exports.PKI_OVERHEAD = 12;
const PKI_TAG_BYTES = 8;
function privateKeyObject(privateKey) {
    return (0, node_crypto_1.createPrivateKey)({
        key: Buffer.concat([X25519_PKCS8_PREFIX, privateKey]),
        format: 'der',
        type: 'pkcs8',
    });
}
function publicKeyObject(publicKey) {
    return (0, node_crypto_1.createPublicKey)({ key: Buffer.concat([X25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}
/** `SHA-256(X25519(privateKey, peerPublic))`; undefined for keys that are not 32 bytes or a degenerate peer key. */
function pkiSharedKey(privateKey, peerPublic) {
    if (privateKey.length !== KEY_BYTES || peerPublic.length !== KEY_BYTES) {
        return undefined;
    }
    try {
        const secret = (0, node_crypto_1.diffieHellman)({
            privateKey: privateKeyObject(privateKey),
            publicKey: publicKeyObject(peerPublic),
        });
        return (0, node_crypto_1.createHash)('sha256').update(secret).digest();
    }
    catch {
        // Low-order peer points make OpenSSL refuse the derivation: such a key cannot be used.
        return undefined;
    }
}
/** CCM nonce (13 bytes, L=2): id LE4 ‖ extraNonce LE4 ‖ from LE4 ‖ 00. */
function ccmNonce(packetId, extraNonce, from) {
    const nonce = Buffer.alloc(13);
    nonce.writeUInt32LE(packetId >>> 0, 0);
    nonce.writeUInt32LE(extraNonce >>> 0, 4);
    nonce.writeUInt32LE(from >>> 0, 8);
    return nonce;
}
/** A random 32-bit value (the per-packet extra nonce). */
function randomUint32() {
    return (0, node_crypto_1.randomBytes)(4).readUInt32LE(0);
}
/**
 * Encrypts a PKI direct message: `ciphertext ‖ tag[8] ‖ extraNonce LE4`. `extraNonce` is random unless given
 * (tests reproduce firmware vectors with it). Throws RangeError if the shared key is not 32 bytes.
 */
function pkiEncrypt(sharedKey, packetId, from, plaintext, extraNonce = randomUint32()) {
    if (sharedKey.length !== KEY_BYTES) {
        throw new RangeError('PKI shared key must be 32 bytes');
    }
    const cipher = (0, node_crypto_1.createCipheriv)('aes-256-ccm', sharedKey, ccmNonce(packetId, extraNonce, from), {
        authTagLength: PKI_TAG_BYTES,
    });
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(extraNonce >>> 0, 0);
    return Buffer.concat([ciphertext, cipher.getAuthTag(), trailer]);
}
/** Decrypts a PKI direct message; undefined when it is too short, the key is wrong or the tag does not verify. */
function pkiDecrypt(sharedKey, packetId, from, encrypted) {
    if (sharedKey.length !== KEY_BYTES || encrypted.length <= exports.PKI_OVERHEAD) {
        return undefined;
    }
    const bytes = Buffer.from(encrypted.buffer, encrypted.byteOffset, encrypted.length);
    const cipherEnd = bytes.length - exports.PKI_OVERHEAD;
    const extraNonce = bytes.readUInt32LE(bytes.length - 4);
    try {
        const decipher = (0, node_crypto_1.createDecipheriv)('aes-256-ccm', sharedKey, ccmNonce(packetId, extraNonce, from), {
            authTagLength: PKI_TAG_BYTES,
        });
        decipher.setAuthTag(bytes.subarray(cipherEnd, cipherEnd + PKI_TAG_BYTES));
        const plaintext = decipher.update(bytes.subarray(0, cipherEnd));
        decipher.final();
        return plaintext;
    }
    catch {
        return undefined;
    }
}
function base64urlBytes(value) {
    return Buffer.from(value ?? '', 'base64url');
}
/** A new X25519 key pair as raw 32-byte keys. */
function generateKeyPair() {
    const pair = (0, node_crypto_1.generateKeyPairSync)('x25519');
    const jwk = pair.privateKey.export({ format: 'jwk' });
    return { privateKey: base64urlBytes(jwk.d), publicKey: base64urlBytes(jwk.x) };
}
/** The raw X25519 public key of a raw 32-byte private key. Throws RangeError for other lengths. */
function publicKeyFromPrivate(privateKey) {
    if (privateKey.length !== KEY_BYTES) {
        throw new RangeError('X25519 private key must be 32 bytes');
    }
    const jwk = (0, node_crypto_1.createPublicKey)(privateKeyObject(privateKey)).export({ format: 'jwk' });
    return base64urlBytes(jwk.x);
}
function sameBytes(a, b) {
    if (a.length !== b.length) {
        return false;
    }
    for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) {
            return false;
        }
    }
    return true;
}
/**
 * Bounded cache of PKI shared keys per peer node (X25519 is far slower than the AES that follows). An entry is
 * recomputed when the peer's public key changes; the least recently used entry goes when the cache is full.
 */
class SharedKeyCache {
    privateKey;
    maxSize;
    entries = new Map();
    constructor(privateKey, maxSize = 1024) {
        this.privateKey = privateKey;
        this.maxSize = maxSize;
    }
    /** Shared key with `nodeNum` whose public key is `peerPublic` (undefined if the keys cannot be used). */
    sharedKey(nodeNum, peerPublic) {
        const hit = this.entries.get(nodeNum);
        if (hit && sameBytes(hit.peerPublic, peerPublic)) {
            this.entries.delete(nodeNum);
            this.entries.set(nodeNum, hit);
            return hit.shared;
        }
        const shared = pkiSharedKey(this.privateKey, peerPublic);
        this.entries.delete(nodeNum);
        while (this.entries.size >= Math.max(1, this.maxSize)) {
            const oldest = this.entries.keys().next();
            if (oldest.done) {
                break;
            }
            this.entries.delete(oldest.value);
        }
        this.entries.set(nodeNum, { peerPublic: Uint8Array.from(peerPublic), shared });
        return shared;
    }
    get size() {
        return this.entries.size;
    }
    clear() {
        this.entries.clear();
    }
}
exports.SharedKeyCache = SharedKeyCache;
