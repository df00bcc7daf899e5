'use strict';
/**
 * The shared real Meshtastic captures as MQTT publishes, for `npm run demo` (tools/demo/main.js).
 *
 * `loadCaptures()` reads shared/vectors/meshtastic-vectors.json (topic `<root>` → the demo's root topic, payload =
 * the `hex` field). `freshCopy()` turns a capture into a *new* packet of the same node: a new packet id and the
 * current rx_time, with the payload re-encrypted under the new nonce (AES-CTR with the channel key). The bytes and
 * the decoded content are otherwise the real capture; without a new id the adapter would drop every repeat as a
 * duplicate (dedup window), and the demo would stop changing after the first round.
 *
 * Works on the protobuf wire format directly (no protobuf library): packet id, rx_time and the ciphertext have fixed
 * lengths, so a fresh copy is the capture patched in place.
 *
 * Standalone use, to feed any broker (e.g. a real ioBroker with this adapter in broker mode):
 *   node tools/demo/replay.js [--host 127.0.0.1] [--port 1883] [--root msh/EU_868] [--loop SECONDS]
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** Meshtastic's default channel key (PSK index 1, "AQ=="). */
const DEFAULT_KEY = Buffer.from('d4f1bb3a20290759f0bcffabcf4e6901', 'hex');

/** Candidate locations of the shared captures: env, `<repo>/../shared` (CI, dev machines), `<repo>/shared`. */
function vectorsCandidates(repoDir = path.join(__dirname, '..', '..')) {
    return [
        process.env.DEMO_VECTORS,
        path.join(repoDir, '..', 'shared', 'vectors', 'meshtastic-vectors.json'),
        path.join(repoDir, 'shared', 'vectors', 'meshtastic-vectors.json'),
    ].filter(Boolean);
}

function findVectors(repoDir) {
    const candidates = vectorsCandidates(repoDir);
    const found = candidates.find(p => fs.existsSync(p));
    if (!found) {
        throw new Error(
            `meshtastic-vectors.json not found (looked in ${candidates.join(', ')}); set DEMO_VECTORS=/path/to/it`,
        );
    }
    return found;
}

/** Channel key bytes for a base64 PSK as the firmware expands it; null = no encryption. */
function expandPsk(pskBase64) {
    const raw = Buffer.from(pskBase64 || '', 'base64');
    if (raw.length === 0 || (raw.length === 1 && raw[0] === 0)) {
        return null;
    }
    if (raw.length === 1) {
        const key = Buffer.from(DEFAULT_KEY);
        key[15] = (key[15] + raw[0] - 1) & 0xff;
        return key;
    }
    if (raw.length <= 16) {
        return Buffer.concat([raw, Buffer.alloc(16 - raw.length)]);
    }
    return Buffer.concat([raw, Buffer.alloc(Math.max(0, 32 - raw.length))]).subarray(0, 32);
}

/** Channel hash as in the firmware: XOR of the name's bytes and the key's bytes. */
function channelHash(name, key) {
    let h = 0;
    for (const b of Buffer.from(name, 'utf8')) {
        h ^= b;
    }
    for (const b of key || []) {
        h ^= b;
    }
    return h & 0xff;
}

/** channel hash → key, for the channels the demo configures. */
function keyRing(channels = [{ name: 'LongFast', psk: 'AQ==' }]) {
    const ring = new Map();
    for (const c of channels) {
        const key = expandPsk(c.psk);
        if (key) {
            ring.set(channelHash(c.name, key), key);
        }
    }
    return ring;
}

// ---- protobuf wire format: just enough to locate fields ----------------------------------------------------------

function readVarint(buf, pos) {
    let value = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
        if (pos >= buf.length) {
            throw new Error('truncated varint');
        }
        const b = buf[pos++];
        value += (b & 0x7f) * mul;
        mul *= 128;
        if (!(b & 0x80)) {
            return { value, pos };
        }
    }
    throw new Error('varint too long');
}

/** Top-level fields of a message: number, wire type and where the value's bytes are. */
function fields(buf) {
    const out = [];
    let pos = 0;
    while (pos < buf.length) {
        const tag = readVarint(buf, pos);
        const no = Math.floor(tag.value / 8);
        const wt = tag.value % 8;
        pos = tag.pos;
        let start = pos;
        let end;
        if (wt === 0) {
            end = readVarint(buf, pos).pos;
        } else if (wt === 1) {
            end = pos + 8;
        } else if (wt === 2) {
            const len = readVarint(buf, pos);
            start = len.pos;
            end = start + len.value;
        } else if (wt === 5) {
            end = pos + 4;
        } else {
            throw new Error(`unsupported wire type ${wt}`);
        }
        if (end > buf.length) {
            throw new Error('truncated field');
        }
        out.push({ no, wt, start, end });
        pos = end;
    }
    return out;
}

function field(list, no, wt) {
    return list.find(f => f.no === no && f.wt === wt);
}

function nonce(id, from) {
    const n = Buffer.alloc(16);
    n.writeUInt32LE(id >>> 0, 0);
    n.writeUInt32LE(from >>> 0, 8);
    return n;
}

function ctr(key, iv, data) {
    const c = crypto.createCipheriv(key.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr', key, iv);
    return Buffer.concat([c.update(data), c.final()]);
}

/**
 * Where a ServiceEnvelope's packet id, rx_time and ciphertext are, and the key to re-encrypt with.
 * Returns undefined when the capture cannot be turned into a fresh packet (unknown channel key, PKI, no id).
 */
function analyse(envelope, ring) {
    const env = fields(envelope);
    const pkt = field(env, 1, 2);
    if (!pkt) {
        return undefined;
    }
    const body = envelope.subarray(pkt.start, pkt.end);
    const list = fields(body).map(f => ({ ...f, start: f.start + pkt.start, end: f.end + pkt.start }));
    const from = field(list, 1, 5);
    const id = field(list, 6, 5);
    if (!from || !id) {
        return undefined;
    }
    const rxTime = field(list, 7, 5);
    const encrypted = field(list, 5, 2);
    const pki = field(list, 17, 0);
    let key;
    if (encrypted) {
        if (pki && envelope[pki.start] !== 0) {
            return undefined;
        }
        const channel = field(list, 3, 0);
        key = ring.get(channel ? readVarint(envelope, channel.start).value & 0xff : 0);
        if (!key) {
            return undefined;
        }
    }
    return { from, id, rxTime, encrypted, key };
}

/**
 * The capture as a new packet: new id (random unless given), rx_time = now, ciphertext re-encrypted for the new
 * nonce. Same length as the capture. Undefined when the capture cannot be freshened (see `analyse`).
 */
function freshCopy(capture, options = {}) {
    const info = capture.fresh;
    if (!info) {
        return undefined;
    }
    const out = Buffer.from(capture.payload);
    const from = out.readUInt32LE(info.from.start);
    const oldId = out.readUInt32LE(info.id.start);
    const newId = (options.id ?? crypto.randomInt(1, 0xffffffff)) >>> 0;
    out.writeUInt32LE(newId, info.id.start);
    if (info.rxTime) {
        out.writeUInt32LE(Math.floor((options.now ?? Date.now()) / 1000) >>> 0, info.rxTime.start);
    }
    if (info.encrypted) {
        const cipher = capture.payload.subarray(info.encrypted.start, info.encrypted.end);
        const plain = ctr(info.key, nonce(oldId, from), cipher);
        ctr(info.key, nonce(newId, from), plain).copy(out, info.encrypted.start);
    }
    return out;
}

/**
 * The shared captures: [{ name, topic, payload, portnum, fresh }] with `<root>` replaced; `fresh` is set when
 * `freshCopy` can make new packets from it (known channel key or plaintext).
 */
function loadCaptures(options = {}) {
    const file = options.file || findVectors(options.repoDir);
    const root = options.root || 'msh/EU_868';
    const ring = keyRing(options.channels);
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    return data.vectors
        .filter(v => typeof v.hex === 'string' && typeof v.topic === 'string')
        .map(v => {
            const payload = Buffer.from(v.hex, 'hex');
            let fresh;
            try {
                fresh = analyse(payload, ring);
            } catch {
                fresh = undefined;
            }
            const expected = v.expected || {};
            const data = expected.decrypted_data || expected.data || {};
            return {
                name: v.name,
                topic: v.topic.replace('<root>', root),
                payload,
                portnum: data.portnum,
                fresh,
            };
        });
}

module.exports = { loadCaptures, freshCopy, findVectors, expandPsk, channelHash, keyRing, fields };

// ---- standalone ----------------------------------------------------------------------------------------------------

if (require.main === module) {
    const args = process.argv.slice(2);
    const arg = (name, def) => {
        const i = args.indexOf(`--${name}`);
        return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
    };
    if (args.includes('--help') || args.includes('-h')) {
        console.log('usage: node tools/demo/replay.js [--host H] [--port P] [--root msh/EU_868] [--loop SECONDS]');
        process.exit(0);
    }
    const mqtt = require('mqtt');
    const host = arg('host', '127.0.0.1');
    const port = Number(arg('port', '1883'));
    const loop = Number(arg('loop', '0'));
    const captures = loadCaptures({ root: arg('root', 'msh/EU_868') });
    const client = mqtt.connect({ host, port, clientId: `meshtastic-replay-${process.pid}`, reconnectPeriod: 1000 });
    client.on('error', e => console.error(`mqtt: ${e.message}`));
    client.once('connect', async () => {
        for (const c of captures) {
            await client.publishAsync(c.topic, c.payload, { qos: 1 });
        }
        console.log(`published ${captures.length} captures to ${host}:${port}`);
        if (!loop) {
            await client.endAsync();
            return;
        }
        const pool = captures.filter(c => c.fresh);
        setInterval(() => {
            const c = pool[crypto.randomInt(pool.length)];
            client.publish(c.topic, freshCopy(c), { qos: 1 });
            console.log(`${new Date().toISOString()} ${c.name} (new id)`);
        }, loop * 1000);
    });
}
