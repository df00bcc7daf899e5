'use strict';
// After a run with a broker password, custom channel keys (one written encrypted as admin does, one in plain text as a
// script or the CLI would) and a generated identity: no secret in plain text in the logs (debug level), the
// objects/states DB files, or any state.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { expect } = require('chai');
const { connectWhenReady, publish } = require('../../support/mqtt');
const { decryptNative, encryptNative, sendTo, systemSecret, waitFor, waitForState } = require('../../support/harness');
const { logText: readLogText } = require('../../support/reliability');
const codec = require('../../../build/lib/codec');

const NS = 'meshtastic.0';
const ROOT = 'msh/EU_868';
const BROKER_PASS = 'Br0ker-secret-pass';
const ADMIN_PSK = crypto.randomBytes(32).toString('base64');
const SCRIPT_PSK = crypto.randomBytes(16).toString('base64');

/** Every file under `dir` (DB files, backups, logs), as [path, text]. */
function filesUnder(dir) {
    const out = [];
    if (!fs.existsSync(dir)) {
        return out;
    }
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== 'files') {
                out.push(...filesUnder(file));
            }
        } else if (fs.statSync(file).size < 200 * 1024 * 1024) {
            out.push([file, fs.readFileSync(file, 'latin1')]);
        }
    }
    return out;
}

/** The text forms a secret could leak in: as given, and its key bytes as hex. */
function forms(name, value, isKey) {
    const list = [[name, value]];
    if (isKey) {
        list.push([`${name} (hex)`, Buffer.from(value, 'base64').toString('hex')]);
    }
    return list;
}

module.exports = function secretsSuite(getHarness, ctx) {
    it('leaves no password, channel key or private key in plain text anywhere', async function () {
        this.timeout(120_000);
        const harness = getHarness();
        await harness.changeAdapterConfig('meshtastic', {
            common: { loglevel: 'debug' },
            ...ctx.brokerConfig({
                user: 'gw',
                pass: await encryptNative(harness, BROKER_PASS),
                channels: [
                    { name: 'LongFast', psk: 'AQ==', downlink: true },
                    { name: 'Team', psk: await encryptNative(harness, ADMIN_PSK), downlink: true },
                ],
            }),
        });
        // A script adds a channel with its key in plain text (no admin form to encrypt it).
        const instance = await harness.objects.getObjectAsync('system.adapter.meshtastic.0');
        instance.native.channels.push({ name: 'Ops', psk: SCRIPT_PSK, downlink: true });
        await harness.objects.setObjectAsync('system.adapter.meshtastic.0', instance);
        await harness.startAdapterAndWait();
        const gw = await connectWhenReady(
            ctx.brokerPort,
            { username: 'gw', password: BROKER_PASS, clientId: 'secret-gw' },
            30_000,
        );
        try {
            // Traffic on both custom channels, a send on each, so every key is in use.
            for (const [name, psk, from] of [
                ['Team', ADMIN_PSK, 0x0a000001],
                ['Ops', SCRIPT_PSK, 0x0a000002],
            ]) {
                const key = codec.makeChannelKey(name, codec.parsePsk(psk).value);
                const m = codec.encodeChannelPacket({
                    root: ROOT,
                    channel: key,
                    from,
                    to: 0xffffffff,
                    id: 4100 + (from % 16),
                    data: { portnum: 1, payload: codec.encodeText(`on ${name}`), bitfield: 1 },
                    hopLimit: 3,
                    wantAck: false,
                });
                await publish(gw, m.topic, Buffer.from(m.payload));
                await waitForState(harness, `${NS}.channels.${name}.lastMessage`, s => s?.val === `on ${name}`, 20_000);
                const sent = await sendTo(harness, 'send', { text: `to ${name}`, channel: name }, 20_000);
                expect(sent.status, `send on ${name}`).to.equal('sent');
            }
            // A wrong login is logged (without its password).
            await connectWhenReady(ctx.brokerPort, {
                username: 'gw',
                password: `${BROKER_PASS}-typo`,
                clientId: 'typo',
            }).then(
                c => c.endAsync(true),
                () => undefined,
            );
        } finally {
            await gw.endAsync(true);
        }
        const stored = await waitFor(
            async () => {
                const o = await harness.objects.getObjectAsync('system.adapter.meshtastic.0');
                return o.native.channels.every(c => c.psk !== SCRIPT_PSK) ? o : undefined;
            },
            20_000,
            'the plain key encrypted',
        );
        // The generated identity lives in the adapter's own object, its private key encrypted.
        const identity = await waitFor(() => harness.objects.getObjectAsync(`${NS}.identity`), 20_000, 'the identity');
        const secret = await systemSecret(harness);
        const privateKey = decryptNative(secret, identity.native.privateKey);
        expect(Buffer.from(privateKey, 'base64')).to.have.length(32);
        const opsRow = stored.native.channels.find(c => c.name === 'Ops');
        expect(decryptNative(secret, opsRow.psk), 'the script-written key, encrypted in place').to.equal(SCRIPT_PSK);
        // The script wrote its key in plain text itself, so a DB file's history may hold that write; what must not
        // hold it is the current content: the objects and states as they are now, and the logs.
        const states = await harness.states.getKeys('*');
        const values = await harness.states.getStates(states);
        const stateText = JSON.stringify(values);
        const objects = await harness.objects.getObjectList({ startkey: '', endkey: '\u9999' });
        const objectText = JSON.stringify(objects.rows.map(r => r.value));
        // Stopping the adapter and the DB servers writes the DB files (jsonl files are flushed once a minute otherwise).
        await harness.stopController();

        const secrets = [
            ...forms('broker password', BROKER_PASS, false),
            ...forms('admin-written PSK', ADMIN_PSK, true),
            ...forms('private key', privateKey, true),
        ];
        const testDir = harness.testDir;
        const files = [...filesUnder(path.join(testDir, 'iobroker-data')), ...filesUnder(path.join(testDir, 'log'))];
        const found = [];
        for (const [file, text] of files) {
            for (const [name, value] of secrets) {
                if (text.includes(value)) {
                    found.push(`${name} in ${path.relative(testDir, file)}`);
                }
            }
        }
        // The scan sees the DB contents: the stored node id (objects) and a received text (states) are there in plain text.
        const known = [`"nodeId":"${identity.native.nodeId}"`, 'on Team'];
        const seen = known.map(value =>
            files.filter(([, text]) => text.includes(value)).map(([file]) => path.basename(file)),
        );
        expect(seen[0], 'the stored node id in the objects file').to.include('objects.jsonl');
        expect(seen[1], 'a received text in the states file').to.include('states.jsonl');
        const logText = readLogText(harness);
        for (const [name, value] of [...secrets, ...forms('script-written PSK', SCRIPT_PSK, true)]) {
            if (stateText.includes(value)) {
                found.push(`${name} in a state`);
            }
            if (objectText.includes(value)) {
                found.push(`${name} in an object`);
            }
            if (logText.includes(value)) {
                found.push(`${name} in the log`);
            }
        }
        const logLines = logText.split('\n').filter(l => l.includes(NS)).length;
        console.log(
            `      secrets: scanned ${files.length} files (${(files.reduce((n, [, t]) => n + t.length, 0) / 1e6).toFixed(1)} MB), ${states.length} states, ${objects.rows.length} objects, ${logLines} adapter log lines (debug level) for ${secrets.length + 2} secret forms: ${found.length ? found.join('; ') : 'none found'} (as a check of the scan, the node id and a received text were found in ${[...new Set(seen.flat())].join(', ')})`,
        );
        expect(found).to.deep.equal([]);
    });
};
