"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeyRing = exports.presetChannelNames = exports.DEFAULT_PSK = void 0;
exports.defaultKeyChannels = defaultKeyChannels;
exports.expandPsk = expandPsk;
exports.parsePsk = parsePsk;
exports.channelHash = channelHash;
exports.makeChannelKey = makeChannelKey;
const crypto_1 = require("./crypto");
/** Firmware `defaultpsk` (`Channels.h`): the key behind `AQ==`. */
exports.DEFAULT_PSK = Uint8Array.from([
    0xd4, 0xf1, 0xbb, 0x3a, 0x20, 0x29, 0x07, 0x59, 0xf0, 0xbc, 0xff, 0xab, 0xcf, 0x4e, 0x69, 0x01,
]);
/** Default channel names of the modem presets (empty channel name ⇒ preset name), used with the default key. */
exports.presetChannelNames = Object.freeze([
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
function defaultKeyChannels(names = exports.presetChannelNames) {
    return names.map(name => ({ name, key: exports.DEFAULT_PSK }));
}
const BASE64_RE = /^[A-Za-z0-9+/]*$/;
/** A key that cannot be used is reported as a `decrypt` problem: it is what would make decryption impossible. */
function keyError(message) {
    return { ok: false, reason: 'decrypt', message };
}
/**
 * Expands raw PSK bytes the way firmware does (`Channels::getKey`): 0 bytes or a single 0 ⇒ no encryption (empty
 * key); a single byte n ⇒ default key with last byte n; 2–15 ⇒ zero-padded AES-128; 17–31 ⇒ zero-padded AES-256.
 * Undefined for more than 32 bytes.
 */
function expandPsk(raw) {
    const length = raw.length;
    if (length === 0) {
        return new Uint8Array(0);
    }
    if (length === 1) {
        if (raw[0] === 0) {
            return new Uint8Array(0);
        }
        const key = Uint8Array.from(exports.DEFAULT_PSK);
        key[15] = (exports.DEFAULT_PSK[15] + raw[0] - 1) & 0xff;
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
function parsePsk(base64) {
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
function xorBytes(bytes) {
    let x = 0;
    for (let i = 0; i < bytes.length; i++) {
        x ^= bytes[i];
    }
    return x;
}
/** Firmware `Channels::generateHash`: XOR of the UTF-8 name bytes XOR the XOR of the expanded key bytes. */
function channelHash(name, key) {
    return xorBytes(Buffer.from(name, 'utf8')) ^ xorBytes(key);
}
/** Builds a `ChannelKey` from a name and a raw or expanded key. Throws RangeError for keys over 32 bytes. */
function makeChannelKey(name, rawKey) {
    const key = expandPsk(rawKey);
    if (!key) {
        throw new RangeError(`key of channel "${name}" is longer than 32 bytes`);
    }
    return { name, key, hash: channelHash(name, key), keystream: (0, crypto_1.createKeystreamCipher)(key) };
}
const NO_KEYS = Object.freeze([]);
/** The configured channels, indexed by hash (for decryption) and name (for sending). Built once. */
class KeyRing {
    channels;
    byHash = new Array(256);
    names = new Map();
    /** Keys may be raw PSK bytes or already expanded; throws RangeError for keys over 32 bytes (config bug). */
    constructor(channels) {
        this.channels = channels.map(c => makeChannelKey(c.name, c.key));
        for (const channel of this.channels) {
            const list = this.byHash[channel.hash];
            if (list) {
                list.push(channel);
            }
            else {
                this.byHash[channel.hash] = [channel];
            }
            if (!this.names.has(channel.name)) {
                this.names.set(channel.name, channel);
            }
        }
    }
    /** Channels whose hash matches, in configuration order (hashes collide: the decoder tries each). */
    candidates(hash) {
        return (Number.isInteger(hash) && hash >= 0 && hash < 256 ? this.byHash[hash] : undefined) ?? NO_KEYS;
    }
    /** The first channel with exactly this name (case-sensitive, like firmware). */
    byName(name) {
        return this.names.get(name);
    }
    get size() {
        return this.channels.length;
    }
}
exports.KeyRing = KeyRing;
