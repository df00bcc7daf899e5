/**
 * Channel keys (spec §3.1, §3.2): PSK parsing and expansion, the 8-bit channel hash, and the key ring the decoder
 * looks keys up in by hash.
 */
import type { ChannelKey } from './channel-key';
import { createKeystreamCipher } from './crypto';
import type { CodecError, Result } from './types';

export type { ChannelKey };

/** Firmware `defaultpsk` (`Channels.h`): the key behind `AQ==`. */
export const DEFAULT_PSK: Uint8Array = Uint8Array.from([
    0xd4, 0xf1, 0xbb, 0x3a, 0x20, 0x29, 0x07, 0x59, 0xf0, 0xbc, 0xff, 0xab, 0xcf, 0x4e, 0x69, 0x01,
]);

/** Default channel names of the modem presets (empty channel name ⇒ preset name), used with the default key. */
export const presetChannelNames: readonly string[] = Object.freeze([
    'LongFast',
    'LongSlow',
    'VLongSlow',
    'MediumSlow',
    'MediumFast',
    'ShortSlow',
    'ShortFast',
    'LongMod',
    'ShortTurbo',
    'LongTurbo',
    'LiteFast',
    'LiteSlow',
    'NarrowFast',
    'NarrowSlow',
    'TinyFast',
    'TinySlow',
    'MediumTurbo',
]);

/** `{ name, key }` entries for channels on the default key, ready for `new KeyRing(...)`. */
export function defaultKeyChannels(names: readonly string[] = presetChannelNames): { name: string; key: Uint8Array }[] {
    return names.map(name => ({ name, key: DEFAULT_PSK }));
}

const BASE64_RE = /^[A-Za-z0-9+/]*$/;

/** A key that cannot be used is reported as a `decrypt` problem: it is what would make decryption impossible. */
function keyError(message: string): CodecError {
    return { ok: false, reason: 'decrypt', message };
}

/**
 * Expands raw PSK bytes the way firmware does (`Channels::getKey`): 0 bytes or a single 0 ⇒ no encryption (empty
 * key); a single byte n ⇒ default key with last byte n; 2–15 ⇒ zero-padded AES-128; 17–31 ⇒ zero-padded AES-256.
 * Undefined for more than 32 bytes.
 */
export function expandPsk(raw: Uint8Array): Uint8Array | undefined {
    const length = raw.length;
    if (length === 0) {
        return new Uint8Array(0);
    }
    if (length === 1) {
        if (raw[0] === 0) {
            return new Uint8Array(0);
        }
        const key = Uint8Array.from(DEFAULT_PSK);
        key[15] = (DEFAULT_PSK[15] + raw[0] - 1) & 0xff;
        return key;
    }
    if (length > 32) {
        return undefined;
    }
    if (length === 16 || length === 32) {
        return Uint8Array.from(raw);
    }
    const key = new Uint8Array(length < 16 ? 16 : 32);
    key.set(raw);
    return key;
}

/**
 * Parses a channel PSK as shown by the apps: standard or URL-safe base64, padding optional, surrounding whitespace
 * ignored; then expands it (see `expandPsk`). The error message never contains the key.
 */
export function parsePsk(base64: string): Result<Uint8Array> {
    if (typeof base64 !== 'string') {
        return keyError('key is not a string');
    }
    const trimmed = base64.trim();
    if (trimmed === '') {
        return { ok: true, value: new Uint8Array(0) };
    }
    const standard = trimmed.replace(/-/g, '+').replace(/_/g, '/');
    const unpadded = standard.replace(/={1,2}$/, '');
    const padded = unpadded.length !== standard.length;
    if (!BASE64_RE.test(unpadded)) {
        return keyError('key is not base64 (allowed: A–Z, a–z, 0–9, +, /, - , _ and = padding)');
    }
    if (unpadded.length % 4 === 1 || (padded && standard.length % 4 !== 0)) {
        return keyError('key is not valid base64 (wrong length or padding)');
    }
    const raw = Buffer.from(unpadded, 'base64');
    const key = expandPsk(raw);
    if (!key) {
        return keyError(`key is ${raw.length} bytes long; at most 32 bytes (AES-256) are allowed`);
    }
    return { ok: true, value: key };
}

/** XOR of all bytes. */
function xorBytes(bytes: Uint8Array): number {
    let x = 0;
    for (let i = 0; i < bytes.length; i++) {
        x ^= bytes[i];
    }
    return x;
}

/** Firmware `Channels::generateHash`: XOR of the UTF-8 name bytes XOR the XOR of the expanded key bytes. */
export function channelHash(name: string, key: Uint8Array): number {
    return xorBytes(Buffer.from(name, 'utf8')) ^ xorBytes(key);
}

/** Builds a `ChannelKey` from a name and a raw or expanded key. Throws RangeError for keys over 32 bytes. */
export function makeChannelKey(name: string, rawKey: Uint8Array): ChannelKey {
    const key = expandPsk(rawKey);
    if (!key) {
        throw new RangeError(`key of channel "${name}" is longer than 32 bytes`);
    }
    return { name, key, hash: channelHash(name, key), keystream: createKeystreamCipher(key) };
}

const NO_KEYS: readonly ChannelKey[] = Object.freeze([]);

/** The configured channels, indexed by hash (for decryption) and name (for sending). Built once. */
export class KeyRing {
    readonly channels: readonly ChannelKey[];
    private readonly byHash: (ChannelKey[] | undefined)[] = new Array<ChannelKey[] | undefined>(256);
    private readonly names = new Map<string, ChannelKey>();

    /** Keys may be raw PSK bytes or already expanded; throws RangeError for keys over 32 bytes (config bug). */
    constructor(channels: readonly { name: string; key: Uint8Array }[]) {
        this.channels = channels.map(c => makeChannelKey(c.name, c.key));
        for (const channel of this.channels) {
            const list = this.byHash[channel.hash];
            if (list) {
                list.push(channel);
            } else {
                this.byHash[channel.hash] = [channel];
            }
            if (!this.names.has(channel.name)) {
                this.names.set(channel.name, channel);
            }
        }
    }

    /** Channels whose hash matches, in configuration order (hashes collide: the decoder tries each). */
    candidates(hash: number): readonly ChannelKey[] {
        return (Number.isInteger(hash) && hash >= 0 && hash < 256 ? this.byHash[hash] : undefined) ?? NO_KEYS;
    }

    /** The first channel with exactly this name (case-sensitive, like firmware). */
    byName(name: string): ChannelKey | undefined {
        return this.names.get(name);
    }

    get size(): number {
        return this.channels.length;
    }
}
