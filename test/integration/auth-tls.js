'use strict';
// Integration suite "broker mode: authentication and TLS": one part of test/integration/index.js (one harness run).
const { expect } = require('chai');
const { createSelfSignedCert } = require('../support/certs');
const { byName } = require('../support/vectors');
const { connectClient, connectWhenReady, publish, expectConnackError } = require('../support/mqtt');
const { encryptNative, waitForState, readLogs } = require('../support/harness');
const { BROKER_PORT, ROOT, NS, brokerConfig } = require('./context');

module.exports = function ({ suite }) {
    suite('broker mode: authentication and TLS', getHarness => {
        it('accepts the right credentials over TLS and refuses wrong ones', async function () {
            this.timeout(60000);
            const harness = getHarness();
            const { key, cert } = createSelfSignedCert('127.0.0.1');
            const certs = await harness.objects.getObjectAsync('system.certificates');
            certs.native.certificates = { ...(certs.native.certificates || {}), testPublic: cert, testPrivate: key };
            await harness.objects.setObjectAsync('system.certificates', certs);
            await harness.changeAdapterConfig(
                'meshtastic',
                brokerConfig({
                    ssl: true,
                    certPublic: 'testPublic',
                    certPrivate: 'testPrivate',
                    user: 'gw',
                    pass: await encryptNative(harness, 's3cret-pass'),
                }),
            );
            await harness.startAdapterAndWait();
            const tls = { protocol: 'mqtts', rejectUnauthorized: false };
            await connectWhenReady(BROKER_PORT, { ...tls, username: 'gw', password: 's3cret-pass' }).then(c =>
                c.endAsync(true),
            );
            await expectConnackError(
                BROKER_PORT,
                { ...tls, username: 'gw', password: 'wrong' },
                /Bad username or password|Not authorized/i,
            );
            await expectConnackError(BROKER_PORT, { ...tls }, /Bad username or password|Not authorized/i);
            const client = await connectClient(BROKER_PORT, {
                ...tls,
                username: 'gw',
                password: 's3cret-pass',
                clientId: 'tls-gw',
            });
            await publish(
                client,
                byName('plain_nodeinfo_app_2024', ROOT).topic,
                byName('plain_nodeinfo_app_2024', ROOT).payload,
            );
            await waitForState(harness, `${NS}.nodes.fa75f7c0.info.longName`, s => s?.val === 'Klaaswaal', 15000);
            await client.endAsync(true);
            const logs = readLogs(harness);
            expect(logs).not.to.include('s3cret-pass');
            expect(logs).not.to.include('wrong"');
        });
    });
};
