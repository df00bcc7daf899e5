'use strict';
// Integration suite "client mode against a real Mosquitto": one part of test/integration/index.js (one harness run).
const { expect } = require('chai');
const { startMosquitto } = require('../support/mosquitto');
const ind = require('../support/independent-crypto');
const { byName } = require('../support/vectors');
const { connectClient, connectWhenReady, publish } = require('../support/mqtt');
const { encryptNative, waitFor, waitForState, readState, readLogs, sendTo } = require('../support/harness');
const { MOSQUITTO_PORT, ROOT, NS } = require('./context');

module.exports = function ({ suite }) {
    suite('client mode against a real Mosquitto', getHarness => {
        let mosquitto;
        let client;
        after(async () => {
            await client?.endAsync(true);
            await mosquitto?.stop();
        });

        it('subscribes, decodes, and reconnects after the broker restarts', async function () {
            this.timeout(120000);
            const harness = getHarness();
            mosquitto = await startMosquitto({ port: MOSQUITTO_PORT, user: 'iob', pass: 'mosq-pass' });
            await harness.changeAdapterConfig('meshtastic', {
                native: {
                    mode: 'client',
                    url: `mqtt://127.0.0.1:${MOSQUITTO_PORT}`,
                    user: 'iob',
                    pass: await encryptNative(harness, 'mosq-pass'),
                    sendSpacingMs: 0,
                    rootTopic: ROOT,
                    channels: [{ name: 'LongFast', psk: 'AQ==', downlink: true }],
                },
            });
            await harness.startAdapterAndWait(true);
            expect((await readState(harness, `${NS}.info.connection`)).val).to.equal(true);

            client = await connectClient(MOSQUITTO_PORT, {
                username: 'iob',
                password: 'mosq-pass',
                clientId: 'mosq-gw',
            });
            const v = byName('enc_longfast_nodeinfo_2024', ROOT);
            await publish(client, v.topic, v.payload);
            await waitForState(harness, `${NS}.nodes.2047b3d5.info.longName`, s => s?.val === 'egrme.sh Palm', 15000);
            await client.endAsync(true);

            mosquitto.kill();
            await waitForState(harness, `${NS}.info.connection`, s => s?.val === false, 20000);
            await mosquitto.restart();
            await waitForState(harness, `${NS}.info.connection`, s => s?.val === true, 60000);

            // Subscriptions are back: new data arrives after the reconnect.
            client = await connectClient(MOSQUITTO_PORT, {
                username: 'iob',
                password: 'mosq-pass',
                clientId: 'mosq-gw2',
            });
            const t = byName('plain_text_message_app_2024', ROOT);
            await publish(client, t.topic, t.payload);
            await waitForState(harness, `${NS}.channels.LongFast.lastMessage`, s => s?.val === 'Hello', 15000);
            expect(readLogs(harness)).not.to.include('mosq-pass');

            // A send arrives on the remote broker.
            const seen = [];
            client.on('message', (topic, payload) => seen.push({ topic, env: ind.decodeEnvelope(payload) }));
            await client.subscribeAsync(`${ROOT}/2/e/LongFast/#`);
            const sent = await sendTo(harness, 'send', { text: 'via mosquitto', channel: 'LongFast' });
            expect(sent.status).to.equal('sent');
            await waitFor(() => seen.find(m => m.env.packet.id === sent.id), 10000, 'the send on Mosquitto');

            // A send during a broker restart is delivered once after the reconnect, or fails with a reason.
            await client.endAsync(true);
            mosquitto.kill();
            await waitForState(harness, `${NS}.info.connection`, s => s?.val === false, 20000);
            const pending = sendTo(harness, 'send', { text: 'while down', channel: 'LongFast' }, 90000);
            await mosquitto.restart();
            const watcher = await connectWhenReady(MOSQUITTO_PORT, {
                username: 'iob',
                password: 'mosq-pass',
                clientId: 'mosq-watch',
            });
            const copies = [];
            watcher.on('message', (topic, payload) => copies.push(ind.decodeEnvelope(payload)));
            await watcher.subscribeAsync(`${ROOT}/2/e/LongFast/#`);
            const result = await pending;
            if (result.status === 'sent') {
                await waitFor(() => copies.find(e => e.packet.id === result.id), 10000, 'the queued send');
                await new Promise(resolve => setTimeout(resolve, 1000));
                expect(copies.filter(e => e.packet.id === result.id)).to.have.length(1);
            } else {
                expect(result.status).to.equal('failed');
                expect(result.error).to.be.a('string').and.not.equal('');
            }
            await watcher.endAsync(true);
        });
    });
};
