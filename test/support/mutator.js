'use strict';
// Seeded mutation of real envelopes, shared by the codec fuzz test (src/lib/codec/fuzz.test.ts, types in mutator.d.ts)
// and the reliability suite: bit flips, truncation, insertion, overwrite, deletion, length-byte pokes, plus
// attacker-chosen topic parts (random gateway ids and channel names). Deterministic per seed, so a failure can be replayed.

/** xorshift32: fast, seedable, good enough to spread mutations. */
function prng(seed) {
    let x = seed >>> 0 || 1;
    const next = () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) / 0x100000000;
    };
    const int = n => Math.floor(next() * n);
    const bytes = n => {
        const out = Buffer.allocUnsafe(n);
        for (let i = 0; i < n; i++) {
            out[i] = int(256);
        }
        return out;
    };
    return { next, int, bytes };
}

function mutate(source, r) {
    let bytes = Buffer.from(source);
    const edits = 1 + r.int(4);
    for (let e = 0; e < edits; e++) {
        const at = r.int(bytes.length + 1);
        switch (r.int(6)) {
            case 0:
                if (at < bytes.length) {
                    bytes[at] ^= 1 << r.int(8);
                }
                break;
            case 1:
                bytes = bytes.subarray(0, at);
                break;
            case 2:
                bytes = Buffer.concat([bytes.subarray(0, at), r.bytes(1 + r.int(8)), bytes.subarray(at)]);
                break;
            case 3:
                if (at < bytes.length) {
                    bytes[at] = r.int(256);
                }
                break;
            case 4:
                bytes = Buffer.concat([
                    bytes.subarray(0, at),
                    bytes.subarray(Math.min(bytes.length, at + 1 + r.int(4))),
                ]);
                break;
            default:
                if (at < bytes.length) {
                    bytes[at] = r.next() < 0.5 ? r.int(8) : 0x80 | r.int(128);
                }
        }
    }
    return bytes;
}

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.';

/** A channel name as a client may invent it: 1..20 printable characters (no MQTT wildcards or separators). */
function randomChannelName(r) {
    let s = '';
    const n = 1 + r.int(20);
    for (let i = 0; i < n; i++) {
        s += NAME_CHARS[r.int(NAME_CHARS.length)];
    }
    return s;
}

const randomGatewayId = r => `!${r.int(0x100000000).toString(16).padStart(8, '0')}`;

/**
 * One hostile message derived from a real envelope: mostly the mutated bytes on the vector's own topic, often on a
 * random channel and gateway id, sometimes random bytes, sometimes a non-Meshtastic topic of another MQTT client.
 * Topics stay valid for MQTT publishing (no wildcards, no $SYS, short), so every message reaches the adapter.
 */
function hostileMessage(vectors, r, root = 'msh/EU_868') {
    const v = vectors[r.int(vectors.length)];
    const kind = r.int(20);
    const gateway = randomGatewayId(r);
    if (kind < 8) {
        return { topic: v.topic, payload: mutate(v.payload, r) };
    }
    if (kind < 15) {
        // Random gateway id and channel name: what used to multiply log lines.
        const channel = r.next() < 0.5 ? randomChannelName(r) : 'LongFast';
        const payload = r.next() < 0.3 ? v.payload : mutate(v.payload, r);
        return { topic: `${root}/2/e/${channel}/${gateway}`, payload };
    }
    if (kind < 17) {
        return { topic: `${root}/2/e/${randomChannelName(r)}/${gateway}`, payload: r.bytes(r.int(300)) };
    }
    if (kind < 18) {
        return { topic: `${root}/2/json/${randomChannelName(r)}/${gateway}`, payload: r.bytes(r.int(120)) };
    }
    // Another client's traffic on the same broker.
    return { topic: `home/${randomChannelName(r)}/state`, payload: r.bytes(r.int(40)) };
}

module.exports = { prng, mutate, randomChannelName, randomGatewayId, hostileMessage };
