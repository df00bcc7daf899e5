/**
 * Meshtastic cryptography with node:crypto only (spec §3.3, §3.4).
 *
 * Channel packets: AES-CTR. Creating a Decipher per packet costs more than the whole rest of decoding, so each key
 * keeps one AES-ECB encryptor and the CTR keystream is made by encrypting the counter blocks ourselves. ECB without
 * padding is stateless per 16-byte block, so the same Cipher object serves every packet (never call `final()`).
 *
 * Direct messages: X25519 → SHA-256 → AES-256-CCM (tag 8, 13-byte nonce).
 */
import {
    type Cipher,
    createCipheriv,
    createDecipheriv,
    createHash,
    createPrivateKey,
    createPublicKey,
    diffieHellman,
    generateKeyPairSync,
    type KeyObject,
    randomBytes,
} from 'node:crypto';
import type { ChannelKey } from './channel-key';

const BLOCK_SIZE = 16;
/** Firmware limit of an encrypted payload; counter blocks for packets up to this size come from a reused buffer. */
const MAX_ENCRYPTED_BYTES = 256;
/** Reused counter-block buffer: the ECB encryptor copies its input, so one buffer serves every call. */
const counterScratch = Buffer.alloc(MAX_ENCRYPTED_BYTES);

/** One reusable AES-ECB encryptor for a 16/24/32-byte key (undefined for an empty key: no encryption). */
export function createKeystreamCipher(key: Uint8Array): Cipher | undefined {
    if (key.length === 0) {
        return undefined;
    }
    const algorithm = key.length === 16 ? 'aes-128-ecb' : key.length === 24 ? 'aes-192-ecb' : 'aes-256-ecb';
    const cipher = createCipheriv(algorithm, key, null);
    cipher.setAutoPadding(false);
    return cipher;
}

/** The 16-byte CTR initial counter block: id u32 LE, 4 zero bytes, from u32 LE, 4 zero bytes (block counter). */
export function ctrNonce(packetId: number, from: number): Uint8Array {
    const nonce = Buffer.alloc(BLOCK_SIZE);
    nonce.writeUInt32LE(packetId >>> 0, 0);
    nonce.writeUInt32LE(from >>> 0, 8);
    return nonce;
}

function counterBlocks(byteLength: number): Buffer {
    const size = Math.ceil(byteLength / BLOCK_SIZE) * BLOCK_SIZE;
    return size <= MAX_ENCRYPTED_BYTES ? counterScratch.subarray(0, size) : Buffer.alloc(size);
}

/** XORs `bytes` with the keystream in `keystream` (same length or longer); returns the keystream buffer, truncated. */
function xorInto(keystream: Buffer, bytes: Uint8Array): Uint8Array {
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
export function ctrXor(ecb: Cipher, initialCounter: Uint8Array, bytes: Uint8Array): Uint8Array {
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
export function ctrCrypt(
    channel: Pick<ChannelKey, 'keystream'>,
    packetId: number,
    from: number,
    bytes: Uint8Array,
): Uint8Array {
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
export const PKI_OVERHEAD = 12;
const PKI_TAG_BYTES = 8;

function privateKeyObject(privateKey: Uint8Array): KeyObject {
    return createPrivateKey({
        key: Buffer.concat([X25519_PKCS8_PREFIX, privateKey]),
        format: 'der',
        type: 'pkcs8',
    });
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
    return createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** `SHA-256(X25519(privateKey, peerPublic))`; undefined for keys that are not 32 bytes or a degenerate peer key. */
export function pkiSharedKey(privateKey: Uint8Array, peerPublic: Uint8Array): Uint8Array | undefined {
    if (privateKey.length !== KEY_BYTES || peerPublic.length !== KEY_BYTES) {
        return undefined;
    }
    try {
        const secret = diffieHellman({
            privateKey: privateKeyObject(privateKey),
            publicKey: publicKeyObject(peerPublic),
        });
        return createHash('sha256').update(secret).digest();
    } catch {
        // Low-order peer points make OpenSSL refuse the derivation: such a key cannot be used.
        return undefined;
    }
}

/** CCM nonce (13 bytes, L=2): id LE4 ‖ extraNonce LE4 ‖ from LE4 ‖ 00. */
function ccmNonce(packetId: number, extraNonce: number, from: number): Buffer {
    const nonce = Buffer.alloc(13);
    nonce.writeUInt32LE(packetId >>> 0, 0);
    nonce.writeUInt32LE(extraNonce >>> 0, 4);
    nonce.writeUInt32LE(from >>> 0, 8);
    return nonce;
}

/** A random 32-bit value (the per-packet extra nonce). */
function randomUint32(): number {
    return randomBytes(4).readUInt32LE(0);
}

/**
 * Encrypts a PKI direct message: `ciphertext ‖ tag[8] ‖ extraNonce LE4`. `extraNonce` is random unless given
 * (tests reproduce firmware vectors with it). Throws RangeError if the shared key is not 32 bytes.
 */
export function pkiEncrypt(
    sharedKey: Uint8Array,
    packetId: number,
    from: number,
    plaintext: Uint8Array,
    extraNonce: number = randomUint32(),
): Uint8Array {
    if (sharedKey.length !== KEY_BYTES) {
        throw new RangeError('PKI shared key must be 32 bytes');
    }
    const cipher = createCipheriv('aes-256-ccm', sharedKey, ccmNonce(packetId, extraNonce, from), {
        authTagLength: PKI_TAG_BYTES,
    });
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(extraNonce >>> 0, 0);
    return Buffer.concat([ciphertext, cipher.getAuthTag(), trailer]);
}

/** Decrypts a PKI direct message; undefined when it is too short, the key is wrong or the tag does not verify. */
export function pkiDecrypt(
    sharedKey: Uint8Array,
    packetId: number,
    from: number,
    encrypted: Uint8Array,
): Uint8Array | undefined {
    if (sharedKey.length !== KEY_BYTES || encrypted.length <= PKI_OVERHEAD) {
        return undefined;
    }
    const bytes = Buffer.from(encrypted.buffer, encrypted.byteOffset, encrypted.length);
    const cipherEnd = bytes.length - PKI_OVERHEAD;
    const extraNonce = bytes.readUInt32LE(bytes.length - 4);
    try {
        const decipher = createDecipheriv('aes-256-ccm', sharedKey, ccmNonce(packetId, extraNonce, from), {
            authTagLength: PKI_TAG_BYTES,
        });
        decipher.setAuthTag(bytes.subarray(cipherEnd, cipherEnd + PKI_TAG_BYTES));
        const plaintext = decipher.update(bytes.subarray(0, cipherEnd));
        decipher.final();
        return plaintext;
    } catch {
        return undefined;
    }
}

function base64urlBytes(value: string | undefined): Uint8Array {
    return Buffer.from(value ?? '', 'base64url');
}

/** A new X25519 key pair as raw 32-byte keys. */
export function generateKeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
    const pair = generateKeyPairSync('x25519');
    const jwk = pair.privateKey.export({ format: 'jwk' });
    return { privateKey: base64urlBytes(jwk.d), publicKey: base64urlBytes(jwk.x) };
}

/** The raw X25519 public key of a raw 32-byte private key. Throws RangeError for other lengths. */
export function publicKeyFromPrivate(privateKey: Uint8Array): Uint8Array {
    if (privateKey.length !== KEY_BYTES) {
        throw new RangeError('X25519 private key must be 32 bytes');
    }
    const jwk = createPublicKey(privateKeyObject(privateKey)).export({ format: 'jwk' });
    return base64urlBytes(jwk.x);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
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
export class SharedKeyCache {
    private readonly entries = new Map<number, { peerPublic: Uint8Array; shared: Uint8Array | undefined }>();

    constructor(
        private readonly privateKey: Uint8Array,
        private readonly maxSize = 1024,
    ) {}

    /** Shared key with `nodeNum` whose public key is `peerPublic` (undefined if the keys cannot be used). */
    sharedKey(nodeNum: number, peerPublic: Uint8Array): Uint8Array | undefined {
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

    get size(): number {
        return this.entries.size;
    }

    clear(): void {
        this.entries.clear();
    }
}
