'use strict';
// Small helpers around @iobroker/testing's harness: polling states, reading the adapter's log, sendTo as a promise.
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
    const dirs = [
        path.join(harness.testDir || '', 'log'),
        path.join(os.tmpdir(), 'test-iobroker.meshtastic', 'log'),
    ];
    let text = '';
    for (const dir of dirs) {
        if (!fs.existsSync(dir)) {
            continue;
        }
        for (const f of fs.readdirSync(dir)) {
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

module.exports = { encryptNative, sleep, waitFor, waitForState, readState, readLogs, sendTo, brokerConfig };
