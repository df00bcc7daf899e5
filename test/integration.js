'use strict';
// Integration tests in a real js-controller (@iobroker/testing): the adapter runs as its own process, real MQTT
// clients publish the shared real captures, a real Mosquitto (Debian package) serves client mode.
const path = require('node:path');
const { tests } = require('@iobroker/testing');
const { expect } = require('chai');
const { envelopes, byName, hex } = require('./support/vectors');
const { connectClient, publish, expectConnackError } = require('./support/mqtt');
const { waitFor, waitForState, readState, readLogs, sendTo } = require('./support/harness');
const { startMosquitto } = require('./support/mosquitto');
const { createSelfSignedCert } = require('./support/certs');

const BROKER_PORT = 21883;
const MOSQUITTO_PORT = 21884;
const ROOT = 'msh/EU_868';
const NS = 'meshtastic.0';

const brokerConfig = (extra = {}) => ({
    native: {
        mode: 'broker',
        bind: '127.0.0.1',
        port: BROKER_PORT,
        rootTopic: ROOT,
        channels: [{ name: 'LongFast', psk: 'AQ==', downlink: true }],
        ...extra,
    },
});

tests.integration(path.join(__dirname, '..'), {
    // 7.2.2/dev are not in every registry: .ci/run pins 7.1.1; elsewhere the harness default is kept.
    controllerVersion: process.env.IOB_CONTROLLER_VERSION || undefined,
    allowedExitCodes: [11],
    defineAdditionalTests({ suite }) {
        suite('broken configuration', getHarness => {
            it('logs a clear error naming each broken field and stays down', async function () {
                this.timeout(60000);
                const harness = getHarness();
                await harness.changeAdapterConfig('meshtastic', {
                    native: {
                        mode: 'broker',
                        bind: '127.0.0.1',
                        port: 70000,
                        channels: [{ name: 'LongFast', psk: 'not base64 !!' }],
                    },
                });
                await harness.startAdapterAndWait();
                const logs = await waitFor(async () => {
                    const text = readLogs(harness);
                    return text.includes('channels[1].psk') && text.includes('port') ? text : undefined;
                }, 20000);
                expect(logs).to.match(/error.*configuration/i);
                expect(logs).not.to.include('not base64 !!'); // never log secrets
                expect((await readState(harness, `${NS}.info.connection`))?.val).to.equal(false);
                // Nothing listens: the broker was not started half-configured.
                await expectConnackError(BROKER_PORT, {}, /ECONNREFUSED/);
            });
        });

        suite('broker mode: receive the mesh', getHarness => {
            let client;
            after(async () => client?.endAsync(true));

            it('decodes the real captures into nodes, positions, telemetry and texts', async function () {
                this.timeout(90000);
                const harness = getHarness();
                await harness.changeAdapterConfig('meshtastic', brokerConfig());
                await harness.startAdapterAndWait();
                await waitForState(harness, `${NS}.info.connection`, s => s?.val === false, 20000);

                client = await connectClient(BROKER_PORT, { clientId: 'gateway-test' });
                await waitForState(harness, `${NS}.info.connection`, s => s?.val === true, 10000);
                const clients = await waitForState(harness, `${NS}.info.clients`, s => String(s?.val).includes('gateway-test'), 10000);
                expect(JSON.parse(clients.val)).to.include('gateway-test');

                for (const v of envelopes(ROOT)) {
                    await publish(client, v.topic, v.payload);
                }

                // NodeInfo (encrypted LongFast capture): names, hardware, role.
                const nodeinfo = byName('enc_longfast_nodeinfo_2024', ROOT);
                const ni = `${NS}.nodes.${hex(nodeinfo.expected.packet.from)}`;
                expect((await waitForState(harness, `${ni}.info.longName`, s => s?.val === 'egrme.sh Palm', 20000)).ack).to.equal(true);
                expect((await readState(harness, `${ni}.info.shortName`)).val).to.equal('egrp');
                expect((await readState(harness, `${ni}.info.hwModel`)).val).to.equal('RAK4631');
                expect((await readState(harness, `${ni}.info.role`)).val).to.equal('CLIENT_MUTE');
                expect((await readState(harness, `${ni}.info.id`)).val).to.equal(`!${hex(nodeinfo.expected.packet.from)}`);
                const device = await harness.objects.getObjectAsync(ni);
                expect(device.type).to.equal('device');
                expect(device.common.name).to.include('egrme.sh Palm').and.include(hex(nodeinfo.expected.packet.from));

                // Position: integers to degrees, with the right role.
                const pos = byName('enc_longfast_position_2024', ROOT);
                const pn = `${NS}.nodes.${hex(pos.expected.packet.from)}.position`;
                const lat = await waitForState(harness, `${pn}.latitude`, s => typeof s?.val === 'number', 10000);
                expect(lat.val).to.be.closeTo(40.01453, 1e-5);
                expect((await readState(harness, `${pn}.longitude`)).val).to.be.closeTo(-82.82174, 1e-5);
                const latObj = await harness.objects.getObjectAsync(`${pn}.latitude`);
                expect(latObj.common.role).to.equal('value.gps.latitude');
                expect(latObj.common.unit).to.equal('°');

                // Device telemetry with units; environment telemetry.
                const dev = byName('enc_longfast_device_telemetry_2025', ROOT);
                const dn = `${NS}.nodes.${hex(dev.expected.packet.from)}.telemetry.device`;
                expect((await waitForState(harness, `${dn}.batteryLevel`, s => s?.val === 92, 10000)).val).to.equal(92);
                expect((await readState(harness, `${dn}.voltage`)).val).to.be.closeTo(4.088, 1e-3);
                const battObj = await harness.objects.getObjectAsync(`${dn}.batteryLevel`);
                expect(battObj.common.role).to.equal('value.battery');
                expect(battObj.common.unit).to.equal('%');
                const env = byName('enc_longfast_env_telemetry_2025', ROOT);
                const en = `${NS}.nodes.${hex(env.expected.packet.from)}.telemetry.environment`;
                expect((await waitForState(harness, `${en}.temperature`, s => typeof s?.val === 'number', 10000)).val).to.be.closeTo(22.02, 1e-2);
                expect((await harness.objects.getObjectAsync(`${en}.temperature`)).common.unit).to.equal('°C');
                // Only fields the node sent: this node sent no barometric pressure.
                expect(await harness.objects.getObjectAsync(`${en}.barometricPressure`)).to.equal(null);

                // Text on the channel, with sender; JSON for scripts.
                const last = await waitForState(harness, `${NS}.channels.LongFast.lastMessage`, s => typeof s?.val === 'string' && s.val.length > 0, 10000);
                expect(['Abcdefgh', 'Testing 123456', 'Hello', 'seq 257']).to.include(last.val);
                const lastJson = JSON.parse((await readState(harness, `${NS}.messages.last`)).val);
                expect(lastJson).to.include.keys('from', 'text', 'channel', 'time');

                // Map report fills firmware and region.
                const map = byName('plain_map_report_app_2024', ROOT);
                const mn = `${NS}.nodes.${hex(map.expected.packet.from)}.info`;
                expect((await waitForState(harness, `${mn}.firmware`, s => s?.val === '2.3.0.5f47ca1', 10000)).val).to.equal('2.3.0.5f47ca1');

                // The custom-key capture cannot be decrypted: counted per channel, not lost silently.
                const unknown = await waitForState(harness, `${NS}.stats.unknownChannelList`, s => String(s?.val).includes('Yasenevo'), 10000);
                expect(JSON.parse(unknown.val)[0]).to.include({ channelId: 'Yasenevo' });
                const decoded = await waitForState(harness, `${NS}.stats.decoded`, s => s?.val >= 25, 20000);
                expect(decoded.val).to.be.at.least(25);
            });

            it('counts a packet heard by several gateways once', async function () {
                this.timeout(30000);
                const harness = getHarness();
                const v = byName('enc_longfast_text_2025', ROOT);
                const before = (await readState(harness, `${NS}.stats.duplicates`))?.val ?? 0;
                const received = (await readState(harness, `${NS}.stats.received`))?.val ?? 0;
                // The same packet uplinked by two more gateways.
                await publish(client, `${ROOT}/2/e/LongFast/!11111111`, v.payload);
                await publish(client, `${ROOT}/2/e/LongFast/!22222222`, v.payload);
                await waitForState(harness, `${NS}.stats.duplicates`, s => s?.val === before + 2, 15000);
                const r = await waitForState(harness, `${NS}.stats.received`, s => s?.val >= received + 2, 15000);
                expect(r.val).to.equal(received + 2);
                const gw = await waitForState(harness, `${NS}.nodes.${hex(v.expected.packet.from)}.radio.gatewayCount`, s => s?.val >= 2, 15000);
                expect(gw.val).to.be.at.least(2);
            });

            it('counts garbage payloads and oversized topics and stays alive', async function () {
                this.timeout(30000);
                const harness = getHarness();
                const invalidBefore = (await readState(harness, `${NS}.stats.invalid`))?.val ?? 0;
                await publish(client, `${ROOT}/2/e/LongFast/!33333333`, Buffer.from('this is not protobuf at all \u0000\u00ff'));
                await publish(client, `${ROOT}/2/e/LongFast/!33333333`, Buffer.alloc(0));
                await publish(client, `${ROOT}/2/e/${'x'.repeat(300)}/!33333333`, byName('enc_longfast_text_2025', ROOT).payload);
                const invalid = await waitForState(harness, `${NS}.stats.invalid`, s => s?.val >= invalidBefore + 2, 15000);
                expect(invalid.val).to.be.at.least(invalidBefore + 2);
                // Still alive and still decoding.
                await publish(client, `${ROOT}/2/e/LongFast/!33333333`, byName('plain_text_message_app_2024', ROOT).payload);
                await waitForState(harness, `${NS}.channels.LongFast.lastMessage`, s => s?.val === 'Hello', 15000);
                expect(harness.isAdapterRunning()).to.equal(true);
                expect((await readState(harness, `system.adapter.${NS}.alive`)).val).to.equal(true);
            });

            it('answers findNodes, getNode and getStats through sendTo', async function () {
                this.timeout(30000);
                const harness = getHarness();
                const found = await sendTo(harness, 'findNodes', { query: 'palm' });
                expect(found.nodes.map(n => n.longName)).to.include('egrme.sh Palm');
                const byHex = await sendTo(harness, 'findNodes', { query: 'b3d5' });
                expect(byHex.nodes.map(n => n.id)).to.include('!2047b3d5');
                const node = await sendTo(harness, 'getNode', { id: '!2047b3d5' });
                expect(node.node).to.include({ id: '!2047b3d5', longName: 'egrme.sh Palm' });
                const missing = await sendTo(harness, 'getNode', { id: '!00000001' });
                expect(missing.error).to.be.a('string');
                const stats = await sendTo(harness, 'getStats', {});
                expect(stats.stats.decoded).to.be.at.least(25);
                expect(stats.nodes).to.be.at.least(20);
            });
        });

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
                    brokerConfig({ ssl: true, certPublic: 'testPublic', certPrivate: 'testPrivate', user: 'gw', pass: 's3cret-pass' }),
                );
                await harness.startAdapterAndWait();
                const tls = { protocol: 'mqtts', rejectUnauthorized: false };
                await expectConnackError(BROKER_PORT, { ...tls, username: 'gw', password: 'wrong' }, /Bad username or password|Not authorized/i);
                await expectConnackError(BROKER_PORT, { ...tls }, /Bad username or password|Not authorized/i);
                const client = await connectClient(BROKER_PORT, { ...tls, username: 'gw', password: 's3cret-pass', clientId: 'tls-gw' });
                await publish(client, byName('plain_nodeinfo_app_2024', ROOT).topic, byName('plain_nodeinfo_app_2024', ROOT).payload);
                await waitForState(harness, `${NS}.nodes.fa75f7c0.info.longName`, s => s?.val === 'Klaaswaal', 15000);
                await client.endAsync(true);
                const logs = readLogs(harness);
                expect(logs).not.to.include('s3cret-pass');
                expect(logs).not.to.include('wrong"');
            });
        });

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
                        pass: 'mosq-pass',
                        rootTopic: ROOT,
                        channels: [{ name: 'LongFast', psk: 'AQ==', downlink: true }],
                    },
                });
                await harness.startAdapterAndWait(true);
                expect((await readState(harness, `${NS}.info.connection`)).val).to.equal(true);

                client = await connectClient(MOSQUITTO_PORT, { username: 'iob', password: 'mosq-pass', clientId: 'mosq-gw' });
                const v = byName('enc_longfast_nodeinfo_2024', ROOT);
                await publish(client, v.topic, v.payload);
                await waitForState(harness, `${NS}.nodes.2047b3d5.info.longName`, s => s?.val === 'egrme.sh Palm', 15000);
                await client.endAsync(true);

                mosquitto.kill();
                await waitForState(harness, `${NS}.info.connection`, s => s?.val === false, 20000);
                await mosquitto.restart();
                await waitForState(harness, `${NS}.info.connection`, s => s?.val === true, 60000);

                // Subscriptions are back: new data arrives after the reconnect.
                client = await connectClient(MOSQUITTO_PORT, { username: 'iob', password: 'mosq-pass', clientId: 'mosq-gw2' });
                const t = byName('plain_text_message_app_2024', ROOT);
                await publish(client, t.topic, t.payload);
                await waitForState(harness, `${NS}.channels.LongFast.lastMessage`, s => s?.val === 'Hello', 15000);
                expect(readLogs(harness)).not.to.include('mosq-pass');
            });
        });
    },
});
