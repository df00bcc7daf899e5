/** The prepared form of one configured channel, shared by the key ring (builds it) and the cipher (uses it). */
import type { Cipher } from 'node:crypto';

/** One configured channel: name, expanded key, hash, and what decrypting with it needs, prepared once. */
export interface ChannelKey {
    readonly name: string;
    /** Expanded key: 0 bytes (no encryption), 16 (AES-128) or 32 (AES-256). */
    readonly key: Uint8Array;
    /** 8-bit channel hash carried in `MeshPacket.channel`. */
    readonly hash: number;
    /** AES-ECB encryptor of the key, reused for every packet to produce the CTR keystream; undefined without a key. */
    readonly keystream: Cipher | undefined;
}
