'use strict';
// Small helpers around @iobroker/testing's harness: polling states, reading the adapter's log, sendTo as a promise.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
async function waitFor(probe, timeoutMs, what = 'condition') {
    const end = Date.now() + timeoutMs;
    let last;
    for (;;) {
        last = await probe();
        if (last !== undefined && last !== false && last !== null) {
            return last;
        }
        if (Date.now() > end) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await sleep(100);
    }
}

function readState(harness, id) {
    return harness.states.getStateAsync(id);
}

async function waitForState(harness, id, predicate, timeoutMs = 10000) {
    let last;
    try {
        return await waitFor(
            async () => {
                last = await readState(harness, id);
                return predicate(last) ? last || { val: null } : undefined;
            },
            timeoutMs,
            id,
        );
    } catch (e) {
        throw new Error(`${e.message}; last value: ${JSON.stringify(last && last.val)}`);
    }
}

/** The js-controller log files of the test instance (the adapter logs there as well as to the console). */
function readLogs(harness) {
    // Usually one directory (testDir is under os.tmpdir()); read each once, so a text's position is stable.
    const dirs = new Set([
        path.join(harness.testDir || '', 'log'),
        path.join(os.tmpdir(), 'test-iobroker.meshtastic', 'log'),
    ]);
    let text = '';
    for (const dir of dirs) {
        if (!fs.existsSync(dir)) {
            continue;
        }
        for (const f of fs.readdirSync(dir).sort()) {
            text += fs.readFileSync(path.join(dir, f), 'utf8');
        }
    }
    return text;
}

/** Encrypts a value the way js-controller expects for encryptedNative fields (legacy XOR with the system secret). */
async function encryptNative(harness, value) {
    const config = await harness.objects.getObjectAsync('system.config');
    const secret = config.native.secret;
    let result = '';
    for (let i = 0; i < value.length; i++) {
        result += String.fromCharCode(secret[i % secret.length].charCodeAt(0) ^ value.charCodeAt(i));
    }
    return result;
}

/** js-controller's decrypt (tools.decrypt): aes-192-cbc with a 48-hex secret, else the legacy XOR scheme. */
function decryptNative(secret, value) {
    if (value.startsWith('$/aes-192-cbc:') && /^[0-9a-f]{48}$/.test(secret)) {
        const [, iv, data] = value.split(':', 3);
        const decipher = crypto.createDecipheriv('aes-192-cbc', Buffer.from(secret, 'hex'), Buffer.from(iv, 'hex'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'hex')), decipher.final()]).toString();
    }
    let out = '';
    for (let i = 0; i < value.length; i++) {
        out += String.fromCharCode(secret[i % secret.length].charCodeAt(0) ^ value.charCodeAt(i));
    }
    return out;
}

/** The system secret of the test installation (what encrypt/decrypt use). */
async function systemSecret(harness) {
    return (await harness.objects.getObjectAsync('system.config')).native.secret;
}

function sendTo(harness, command, message, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sendTo ${command} got no answer`)), timeoutMs);
        harness.sendTo('meshtastic.0', command, message, resp => {
            clearTimeout(timer);
            resolve(resp);
        });
    });
}

/**
 * The instance settings of broker mode on 127.0.0.1:`port` with the LongFast default channel (key AQ==), as
 * `harness.changeAdapterConfig('meshtastic', …)` takes them; `extra` adds or overrides native settings.
 */
const brokerConfig = (port, extra = {}) => ({
    native: {
        mode: 'broker',
        bind: '127.0.0.1',
        port,
        rootTopic: 'msh/EU_868',
        channels: [{ name: 'LongFast', psk: 'AQ==', downlink: true }],
        ...extra,
    },
});

module.exports = { encryptNative, decryptNative, systemSecret, sleep, waitFor, waitForState, readState, readLogs, sendTo, brokerConfig };
