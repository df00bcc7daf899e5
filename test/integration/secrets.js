'use strict';
// Integration suite "secrets written in plain text without admin": one part of test/integration/index.js (one harness run).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { expect } = require('chai');
const codec = require('../../build/lib/codec');
const { connectWhenReady, publish } = require('../support/mqtt');
const { decryptNative, systemSecret, waitFor, waitForState, readLogs } = require('../support/harness');
const { BROKER_PORT, ROOT, NS, brokerConfig } = require('./context');

module.exports = function ({ suite }) {
    suite('secrets written in plain text without admin', getHarness => {
        it('are stored encrypted at start (not in plain text in the DB files) and still work', async function () {
            this.timeout(90000);
            const harness = getHarness();
            const PASS = `plain-Broker-${crypto.randomBytes(6).toString('hex')}`;
            const PSK = crypto.randomBytes(32).toString('base64');
            const PRIVATE_KEY = crypto.randomBytes(32).toString('base64');
            // As a script, the CLI or a backup restore writes it: no admin form to encrypt anything.
            const id = `system.adapter.${NS}`;
            const instance = await harness.objects.getObjectAsync(id);
            Object.assign(instance.native, brokerConfig({ user: 'gw', pass: PASS, privateKey: PRIVATE_KEY }).native);
            instance.native.channels.push({ name: 'Ops', psk: PSK, downlink: true });
            await harness.objects.setObjectAsync(id, instance);
            const logStart = readLogs(harness).length;
            await harness.startAdapterAndWait();

            const stored = await waitFor(
                async () => {
                    const o = await harness.objects.getObjectAsync(id);
                    return o.native.pass !== PASS &&
                        o.native.privateKey !== PRIVATE_KEY &&
                        o.native.channels[1].psk !== PSK
                        ? o
                        : undefined;
                },
                20000,
                'the secrets stored encrypted',
            );
            const secret = await systemSecret(harness);
            expect(decryptNative(secret, stored.native.pass)).to.equal(PASS);
            expect(decryptNative(secret, stored.native.privateKey)).to.equal(PRIVATE_KEY);
            // The channel key in the scheme of admin's table, so the settings form shows the key itself.
            expect(stored.native.channels[1].psk).not.to.match(/^\$\/aes/);
            expect(decryptNative(secret, stored.native.channels[1].psk)).to.equal(PSK);
            expect(stored.native.channels[0].psk, 'the public default key is no secret').to.equal('AQ==');

            // The plain password opens the broker, traffic with the plain key is decrypted.
            const gw = await connectWhenReady(
                BROKER_PORT,
                { username: 'gw', password: PASS, clientId: 'plain-gw' },
                30000,
            );
            try {
                const key = codec.makeChannelKey('Ops', codec.parsePsk(PSK).value);
                const m = codec.encodeChannelPacket({
                    root: ROOT,
                    channel: key,
                    from: 0x0a0000a1,
                    to: 0xffffffff,
                    id: 5151,
                    data: { portnum: 1, payload: codec.encodeText('on Ops'), bitfield: 1 },
                    hopLimit: 3,
                    wantAck: false,
                });
                await publish(gw, m.topic, Buffer.from(m.payload));
                await waitForState(harness, `${NS}.channels.Ops.lastMessage`, s => s?.val === 'on Ops', 20000);
            } finally {
                await gw.endAsync(true);
            }
            // The configured private key is the identity's: only the generated node id is kept in the identity object.
            const identity = await harness.objects.getObjectAsync(`${NS}.identity`);
            expect(identity.native).to.have.keys('nodeId');
            const log = readLogs(harness).slice(logStart);
            expect(log).to.match(
                /now stored encrypted \(pass \(plain text\), privateKey \(plain text\), channels\[2\]\.psk \(plain text\)\)/,
            );
            for (const value of [PASS, PSK, PRIVATE_KEY]) {
                expect(log).not.to.include(value);
            }

            // The DB files on disk (flushed when the DBs stop). jsonl files are append logs: a line holding a plain
            // secret may only be the test's own write of the instance object, superseded by a later line (the DB
            // loads the last line of a key); the objects as stored hold none.
            await harness.stopController();
            const dataDir = path.join(harness.testDir, 'iobroker-data');
            let dbLines = 0;
            const found = [];
            for (const file of ['objects.jsonl', 'states.jsonl']) {
                const lines = fs.readFileSync(path.join(dataDir, file), 'utf8').split('\n').filter(Boolean);
                dbLines += lines.length;
                const lastOf = new Map(lines.map((line, i) => [JSON.parse(line).k, i]));
                lines.forEach((line, i) => {
                    for (const [name, value] of [
                        ['password', PASS],
                        ['channel key', PSK],
                        ['private key', PRIVATE_KEY],
                    ]) {
                        if (line.includes(value)) {
                            const k = JSON.parse(line).k;
                            if (file !== 'objects.jsonl' || k !== id || lastOf.get(k) === i) {
                                found.push(`${name} in ${file} (${k})`);
                            }
                        }
                    }
                });
            }
            expect(dbLines).to.be.above(100);
            expect(found).to.deep.equal([]);
        });
    });
};
