'use strict';
// Integration tests in a real js-controller (@iobroker/testing): the adapter runs as its own process, real MQTT
// clients publish the shared real captures, a real Mosquitto (Debian package) serves client mode.
const path = require('node:path');
const { tests } = require('@iobroker/testing');
const { expect } = require('chai');
const { envelopes, byName, hex } = require('./support/vectors');
const { connectClient, connectWhenReady, publish, expectConnackError } = require('./support/mqtt');
const { encryptNative, waitFor, waitForState, readState, readLogs, sendTo } = require('./support/harness');
const { brokerConfig: brokerConfigOn } = require('./support/harness');
const { startMosquitto } = require('./support/mosquitto');
const { createSelfSignedCert } = require('./support/certs');
const ind = require('./support/independent-crypto');
// Test input only (NodeInfo and ACK packets of simulated nodes); what the adapter sends is checked with ind above.
const codec = require('../build/lib/codec');

const BROKER_PORT = 21883;
const MOSQUITTO_PORT = 21884;
const ROOT = 'msh/EU_868';
const NS = 'meshtastic.0';

const brokerConfig = (extra = {}) => brokerConfigOn(BROKER_PORT, extra);

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
                // radio states with every packet: the duplicate test below reads radio.gatewayCount from the DB
                // (by default they are written at most hourly per node; tested in src/lib/states/cadence.test.ts)
                await harness.changeAdapterConfig('meshtastic', brokerConfig({ radioWrites: 'packet' }));
                // A node tree left without data (e.g. by a crash while it was being created) is outside every bound.
                await harness.objects.setObjectAsync(`${NS}.nodes.0000beef`, { type: 'device', common: { name: '!0000beef' }, native: {} });
                await harness.objects.setObjectAsync(`${NS}.nodes.0000beef.info`, { type: 'channel', common: { name: 'info' }, native: {} });
                await harness.startAdapterAndWait();
                client = await connectWhenReady(BROKER_PORT, { clientId: 'gateway-test' });
                // js-controller deletes a tree recursively one object after the other, in no promised order.
                const gone = async id => (await harness.objects.getObjectAsync(id)) === null;
                await waitFor(async () => (await gone(`${NS}.nodes.0000beef`)) && (await gone(`${NS}.nodes.0000beef.info`)), 15000, 'stray node removed');
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
                // The same packet uplinked by two more gateways: same bytes, another gateway_id in the envelope.
                const from = v.expected.envelope.gateway_id;
                for (const gw of ['!11111111', '!22222222']) {
                    const payload = Buffer.from(v.payload.toString('latin1').replace(from, gw), 'latin1');
                    await publish(client, `${ROOT}/2/e/LongFast/${gw}`, payload);
                }
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
                expect(stats.ready).to.equal(true);
                expect(stats.nodes).to.be.at.least(20);
            });

            it('feeds the admin tab: full poll, empty delta, then only the node that sent', async function () {
                this.timeout(30000);
                const harness = getHarness();
                const full = await sendTo(harness, 'tabPoll', { since: 0, epoch: 0 });
                expect(full.full).to.equal(true);
                expect(full.ready).to.equal(true);
                expect(full.connected).to.equal(true);
                expect(full.channels).to.deep.include({ name: 'LongFast', canSend: true });
                // Every node device object in the DB is a row, and nothing else.
                const view = await harness.objects.getObjectViewAsync('system', 'device', {
                    startkey: `${NS}.nodes.`,
                    endkey: `${NS}.nodes.\u9999`,
                });
                const devices = view.rows.map(r => r.id);
                const rows = full.rows.map(r => Object.fromEntries(full.columns.map((c, i) => [c, r[i]])));
                expect(rows.map(r => `${NS}.nodes.${r.hex}`).sort()).to.deep.equal(devices.sort());
                const palm = rows.find(r => r.hex === '2047b3d5');
                expect(palm).to.include({ longName: 'egrme.sh Palm' });
                expect(full.messages.map(m => m.text)).to.include('Hello');

                const empty = await sendTo(harness, 'tabPoll', { since: full.rev, epoch: full.epoch });
                expect(empty.full).to.equal(false);
                expect(empty.rows).to.deep.equal([]);

                const v = byName('plain_text_message_app_2024', ROOT);
                const sender = hex(v.expected.packet.from);
                const fresh = Buffer.from(v.payload);
                // A new packet id, so it is not a duplicate of the earlier replay.
                const idAt = fresh.indexOf(Buffer.from(new Uint32Array([v.expected.packet.id]).buffer));
                fresh.writeUInt32LE((v.expected.packet.id + 77) >>> 0, idAt);
                await publish(client, v.topic, fresh);
                const delta = await waitFor(async () => {
                    const d = await sendTo(harness, 'tabPoll', { since: full.rev, epoch: full.epoch });
                    return d.rows.length > 0 ? d : undefined;
                }, 15000, 'a tab delta');
                expect(delta.full).to.equal(false);
                expect(delta.rows.map(r => r[full.columns.indexOf('hex')])).to.include(sender);
                expect(delta.rows.length).to.be.below(full.rows.length);

                const details = await sendTo(harness, 'tabNode', { id: `!${sender}` });
                expect(details.node.hex).to.equal(sender);
                expect(details.history.map(m => m.text)).to.include('Hello');
                expect((await sendTo(harness, 'tabNode', { id: '!00000001' })).error).to.be.a('string');
            });
        });

        suite('broker mode: talk to the mesh', getHarness => {
            let gateway;
            const received = [];
            let ourId;
            let ourNum;
            let ourPublicKey;
            const peer = ind.x25519KeyPair();
            const PEER = 0x0badc0de;
            const longFast = codec.makeChannelKey('LongFast', codec.parsePsk('AQ==').value);
            after(async () => gateway?.endAsync(true));

            const nextMessage = async (predicate, timeoutMs = 15000) =>
                waitFor(() => received.find(predicate), timeoutMs, 'a published packet');

            it('announces the virtual node and broadcasts a channel text that real gateways accept', async function () {
                this.timeout(60000);
                const harness = getHarness();
                await harness.changeAdapterConfig('meshtastic', brokerConfig({ sendSpacingMs: 0, ackTimeoutSeconds: 5, hopLimit: 3 }));
                await harness.startAdapterAndWait();
                gateway = await connectWhenReady(BROKER_PORT, { clientId: '!1a2b3c4d' });
                gateway.on('message', (topic, payload) => received.push({ topic, payload, env: ind.decodeEnvelope(payload) }));
                await gateway.subscribeAsync(`${ROOT}/2/e/#`);

                // The identity was generated once and stored in the instance configuration.
                const instance = await waitFor(async () => {
                    const o = await harness.objects.getObjectAsync('system.adapter.meshtastic.0');
                    return o.native.nodeId ? o : undefined;
                }, 15000, 'stored node id');
                ourId = instance.native.nodeId;
                ourNum = parseInt(ourId.slice(1), 16);
                expect(ourId).to.match(/^![0-9a-f]{8}$/);
                expect(instance.native.privateKey).to.be.a('string').and.not.equal('');

                // NodeInfo with our public key on the downlink channel.
                const info = await nextMessage(m => m.env.packet.from === ourNum && ind.decryptChannel(m.env.packet).portnum === 4);
                expect(info.topic).to.equal(`${ROOT}/2/e/LongFast/${ourId}`);
                const ourUser = ind.decodeUser(ind.decryptChannel(info.env.packet).payload);
                expect(ourUser.id).to.equal(ourId);
                expect(ourUser.longName).to.equal('ioBroker');
                expect(Buffer.byteLength(ourUser.shortName)).to.be.at.most(4);
                expect(ourUser.publicKey).to.have.length(32);
                ourPublicKey = Buffer.from(ourUser.publicKey);

                await harness.states.setStateAsync(`${NS}.channels.LongFast.send`, { val: 'Hello from ioBroker', ack: false });
                const msg = await nextMessage(m => {
                    const d = ind.decryptChannel(m.env.packet);
                    return d.portnum === 1 && Buffer.from(d.payload).toString() === 'Hello from ioBroker';
                });
                // Every downlink rule of real firmware, checked on the bytes with node:crypto.
                expect(msg.topic).to.equal(`${ROOT}/2/e/LongFast/${ourId}`);
                expect(msg.env.channelId).to.equal('LongFast');
                expect(msg.env.gatewayId).to.equal(ourId);
                expect(msg.env.packet.from).to.equal(ourNum);
                expect(msg.env.packet.to).to.equal(0xffffffff);
                expect(msg.env.packet.channel).to.equal(ind.channelHash('LongFast', ind.DEFAULT_KEY)).and.equal(8);
                expect(msg.env.packet.hopLimit).to.equal(3);
                expect(msg.env.packet.hopStart).to.equal(3);
                expect(msg.env.packet.id).to.be.above(0);
                expect(msg.env.packet.payloadVariant.case).to.equal('encrypted');
                expect(ind.decryptChannel(msg.env.packet).bitfield).to.equal(1);

                const confirmed = await waitForState(harness, `${NS}.channels.LongFast.send`, s => s?.ack === true, 10000);
                expect(confirmed.val).to.equal('Hello from ioBroker');
                const status = JSON.parse((await waitForState(harness, `${NS}.channels.LongFast.sendStatus`, s => String(s?.val).includes('"sent"'), 10000)).val);
                expect(status).to.include({ status: 'sent', channel: 'LongFast', id: msg.env.packet.id });

                // Our own packet coming back from a gateway is not a received message.
                const decodedBefore = (await readState(harness, `${NS}.stats.decoded`))?.val ?? 0;
                await publish(gateway, `${ROOT}/2/e/LongFast/!1a2b3c4d`, Buffer.from(msg.payload.toString('latin1').replace(ourId, '!1a2b3c4d'), 'latin1'));
                await publish(gateway, byName('plain_text_message_app_2024', ROOT).topic, byName('plain_text_message_app_2024', ROOT).payload);
                await waitForState(harness, `${NS}.channels.LongFast.lastMessage`, s => s?.val === 'Hello', 15000);
                await waitForState(harness, `${NS}.stats.decoded`, s => s?.val === decodedBefore + 1, 15000);
            });

            it('sends a PKI direct message, tracks the ACK and fails without one', async function () {
                this.timeout(60000);
                const harness = getHarness();
                // A node announces itself with its public key.
                const user = codec.encodeUser({ id: '!0badc0de', longName: 'Test peer', shortName: 'TP', hwModel: 43, role: 0, publicKey: peer.publicKey });
                const ni = codec.encodeChannelPacket({ root: ROOT, channel: longFast, from: PEER, to: 0xffffffff, id: 4242, data: { portnum: 4, payload: user, bitfield: 1 }, hopLimit: 3, wantAck: false });
                await publish(gateway, ni.topic, Buffer.from(ni.payload));
                await waitForState(harness, `${NS}.nodes.0badc0de.info.publicKey`, s => s?.val === peer.publicKey.toString('base64'), 15000);

                await harness.states.setStateAsync(`${NS}.nodes.0badc0de.send`, { val: 'psst, PKI', ack: false });
                const dm = await nextMessage(m => m.env.channelId === 'PKI' && m.env.packet.to === PEER);
                expect(dm.topic).to.equal(`${ROOT}/2/e/PKI/${ourId}`);
                expect(dm.env.packet.channel).to.equal(0);
                expect(dm.env.packet.wantAck).to.equal(true);
                expect(dm.env.packet.pkiEncrypted).to.equal(true);
                const data = ind.decryptPki(dm.env.packet, peer.privateKeyObject, ourPublicKey);
                expect(Buffer.from(data.payload).toString()).to.equal('psst, PKI');
                await waitForState(harness, `${NS}.nodes.0badc0de.send`, s => s?.ack === true, 10000);

                // The recipient's Routing ACK turns the status to acked.
                const ack = codec.encodeChannelPacket({
                    root: ROOT, channel: longFast, from: PEER, to: ourNum, id: 4243,
                    data: { portnum: 5, payload: codec.encodeRoutingAck(0), requestId: dm.env.packet.id, bitfield: 1 }, hopLimit: 3, wantAck: false,
                });
                await publish(gateway, ack.topic, Buffer.from(ack.payload));
                const acked = await waitForState(harness, `${NS}.nodes.0badc0de.sendStatus`, s => String(s?.val).includes('"acked"'), 15000);
                expect(JSON.parse(acked.val)).to.include({ status: 'acked', id: dm.env.packet.id });
                expect(JSON.parse((await readState(harness, `${NS}.messages.lastSent`)).val).status).to.equal('acked');

                // A PKI DM from the peer to our node is decrypted, shown, and acknowledged.
                const shared = codec.pkiSharedKey(peer.privateKey, ourPublicKey);
                const incoming = codec.encodePkiPacket({
                    root: ROOT, from: PEER, to: ourNum, id: 4244, sharedKey: shared, hopLimit: 3, wantAck: true,
                    data: { portnum: 1, payload: codec.encodeText('hi adapter'), bitfield: 1 }, gatewayId: '!1a2b3c4d',
                });
                await publish(gateway, incoming.topic, Buffer.from(incoming.payload));
                const direct = await waitForState(harness, `${NS}.messages.direct`, s => String(s?.val).includes('hi adapter'), 15000);
                expect(JSON.parse(direct.val)).to.include({ text: 'hi adapter', from: PEER });
                await waitForState(harness, `${NS}.nodes.0badc0de.messages.lastText`, s => s?.val === 'hi adapter', 15000);
                const ackBack = await nextMessage(m => {
                    if (m.env.packet.from !== ourNum || m.env.packet.to !== PEER || m.env.channelId === 'PKI') {
                        return false;
                    }
                    const d = ind.decryptChannel(m.env.packet);
                    return d.portnum === 5 && d.requestId === 4244;
                });
                expect(ackBack.env.channelId).to.equal('LongFast');

                // No ACK: failed after the timeout (5 s here), through sendTo.
                const result = await sendTo(harness, 'send', { text: 'anyone there?', to: '!0badc0de' }, 20000);
                expect(result).to.include({ status: 'failed' });
                expect(result.error).to.match(/ACK/);
            });

            it('refuses bad sends with a clear status and publishes nothing', async function () {
                this.timeout(30000);
                const harness = getHarness();
                const before = received.length;
                const cases = [
                    [{ text: '', channel: 'LongFast' }, /empty/i],
                    [{ text: 42, channel: 'LongFast' }, /text/i],
                    [{ text: 'x', channel: 'NoSuchChannel' }, /channel/i],
                    [{ text: 'x', to: '!00c0ffee' }, /unknown node/i],
                    [{ text: 'x', to: '!2047b3d5' }, /unknown node|public key/i],
                    [{ text: 'y'.repeat(5000), channel: 'LongFast' }, /too long/i],
                ];
                for (const [request, pattern] of cases) {
                    const result = await sendTo(harness, 'send', request);
                    expect(result.status, JSON.stringify(request)).to.equal('failed');
                    expect(result.error, JSON.stringify(request)).to.match(pattern);
                }
                // A DM to a node we know without a public key.
                const nodeinfo = byName('plain_nodeinfo_app_2024', ROOT);
                await publish(gateway, nodeinfo.topic, nodeinfo.payload);
                await waitForState(harness, `${NS}.nodes.fa75f7c0.info.longName`, s => s?.val === 'Klaaswaal', 15000);
                await harness.states.setStateAsync(`${NS}.nodes.fa75f7c0.send`, { val: 'hello?', ack: false });
                const status = await waitForState(harness, `${NS}.nodes.fa75f7c0.sendStatus`, s => String(s?.val).includes('failed'), 10000);
                expect(JSON.parse(status.val).error).to.match(/public key/i);
                await new Promise(resolve => setTimeout(resolve, 1000));
                const sentNow = received.slice(before).filter(m => m.env.packet.from === ourNum && ind.decryptChannel(m.env.packet).portnum === 1);
                expect(sentNow).to.have.length(0);
                expect(harness.isAdapterRunning()).to.equal(true);
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
                await connectWhenReady(BROKER_PORT, { ...tls, username: 'gw', password: 's3cret-pass' }).then(c => c.endAsync(true));
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
                        pass: await encryptNative(harness, 'mosq-pass'),
                        sendSpacingMs: 0,
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
                const watcher = await connectWhenReady(MOSQUITTO_PORT, { username: 'iob', password: 'mosq-pass', clientId: 'mosq-watch' });
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
    },
});
