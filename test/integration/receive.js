'use strict';
// Integration suite "broker mode: receive the mesh": one part of test/integration/index.js (one harness run).
const { expect } = require('chai');
const { envelopes, byName, hex } = require('../support/vectors');
const { connectWhenReady, publish } = require('../support/mqtt');
const { waitFor, waitForState, readState, sendTo } = require('../support/harness');
const { BROKER_PORT, ROOT, NS, brokerConfig } = require('./context');

module.exports = function ({ suite }) {
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
            await harness.objects.setObjectAsync(`${NS}.nodes.0000beef`, {
                type: 'device',
                common: { name: '!0000beef' },
                native: {},
            });
            await harness.objects.setObjectAsync(`${NS}.nodes.0000beef.info`, {
                type: 'channel',
                common: { name: 'info' },
                native: {},
            });
            await harness.startAdapterAndWait();
            client = await connectWhenReady(BROKER_PORT, { clientId: 'gateway-test' });
            // js-controller deletes a tree recursively one object after the other, in no promised order.
            const gone = async id => (await harness.objects.getObjectAsync(id)) === null;
            await waitFor(
                async () => (await gone(`${NS}.nodes.0000beef`)) && (await gone(`${NS}.nodes.0000beef.info`)),
                15000,
                'stray node removed',
            );
            await waitForState(harness, `${NS}.info.connection`, s => s?.val === true, 10000);
            const clients = await waitForState(
                harness,
                `${NS}.info.clients`,
                s => String(s?.val).includes('gateway-test'),
                10000,
            );
            expect(JSON.parse(clients.val)).to.include('gateway-test');

            for (const v of envelopes(ROOT)) {
                await publish(client, v.topic, v.payload);
            }

            // NodeInfo (encrypted LongFast capture): names, hardware, role.
            const nodeinfo = byName('enc_longfast_nodeinfo_2024', ROOT);
            const ni = `${NS}.nodes.${hex(nodeinfo.expected.packet.from)}`;
            expect(
                (await waitForState(harness, `${ni}.info.longName`, s => s?.val === 'egrme.sh Palm', 20000)).ack,
            ).to.equal(true);
            // The node's states are written one by one: each may land a moment after longName.
            const settled = (id, val) => waitForState(harness, `${ni}.${id}`, s => s?.val === val, 5000);
            expect((await settled('info.shortName', 'egrp')).ack).to.equal(true);
            expect((await settled('info.hwModel', 'RAK4631')).ack).to.equal(true);
            expect((await settled('info.role', 'CLIENT_MUTE')).ack).to.equal(true);
            expect((await settled('info.id', `!${hex(nodeinfo.expected.packet.from)}`)).ack).to.equal(true);
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
            expect(
                (await waitForState(harness, `${en}.temperature`, s => typeof s?.val === 'number', 10000)).val,
            ).to.be.closeTo(22.02, 1e-2);
            expect((await harness.objects.getObjectAsync(`${en}.temperature`)).common.unit).to.equal('°C');
            // Only fields the node sent: this node sent no barometric pressure.
            expect(await harness.objects.getObjectAsync(`${en}.barometricPressure`)).to.equal(null);

            // Text on the channel, with sender; JSON for scripts.
            const last = await waitForState(
                harness,
                `${NS}.channels.LongFast.lastMessage`,
                s => typeof s?.val === 'string' && s.val.length > 0,
                10000,
            );
            expect(['Abcdefgh', 'Testing 123456', 'Hello', 'seq 257']).to.include(last.val);
            const lastJson = JSON.parse((await readState(harness, `${NS}.messages.last`)).val);
            expect(lastJson).to.include.keys('from', 'text', 'channel', 'time');

            // Map report fills firmware and region.
            const map = byName('plain_map_report_app_2024', ROOT);
            const mn = `${NS}.nodes.${hex(map.expected.packet.from)}.info`;
            expect(
                (await waitForState(harness, `${mn}.firmware`, s => s?.val === '2.3.0.5f47ca1', 10000)).val,
            ).to.equal('2.3.0.5f47ca1');

            // The custom-key capture cannot be decrypted: counted per channel, not lost silently.
            const unknown = await waitForState(
                harness,
                `${NS}.stats.unknownChannelList`,
                s => String(s?.val).includes('Yasenevo'),
                10000,
            );
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
            const gw = await waitForState(
                harness,
                `${NS}.nodes.${hex(v.expected.packet.from)}.radio.gatewayCount`,
                s => s?.val >= 2,
                15000,
            );
            expect(gw.val).to.be.at.least(2);
        });

        it('counts garbage payloads and oversized topics and stays alive', async function () {
            this.timeout(30000);
            const harness = getHarness();
            const invalidBefore = (await readState(harness, `${NS}.stats.invalid`))?.val ?? 0;
            await publish(
                client,
                `${ROOT}/2/e/LongFast/!33333333`,
                Buffer.from('this is not protobuf at all \u0000\u00ff'),
            );
            await publish(client, `${ROOT}/2/e/LongFast/!33333333`, Buffer.alloc(0));
            await publish(
                client,
                `${ROOT}/2/e/${'x'.repeat(300)}/!33333333`,
                byName('enc_longfast_text_2025', ROOT).payload,
            );
            const invalid = await waitForState(harness, `${NS}.stats.invalid`, s => s?.val >= invalidBefore + 2, 15000);
            expect(invalid.val).to.be.at.least(invalidBefore + 2);
            // Still alive and still decoding.
            await publish(
                client,
                `${ROOT}/2/e/LongFast/!33333333`,
                byName('plain_text_message_app_2024', ROOT).payload,
            );
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
            const delta = await waitFor(
                async () => {
                    const d = await sendTo(harness, 'tabPoll', { since: full.rev, epoch: full.epoch });
                    return d.rows.length > 0 ? d : undefined;
                },
                15000,
                'a tab delta',
            );
            expect(delta.full).to.equal(false);
            expect(delta.rows.map(r => r[full.columns.indexOf('hex')])).to.include(sender);
            expect(delta.rows.length).to.be.below(full.rows.length);

            const details = await sendTo(harness, 'tabNode', { id: `!${sender}` });
            expect(details.node.hex).to.equal(sender);
            expect(details.history.map(m => m.text)).to.include('Hello');
            expect((await sendTo(harness, 'tabNode', { id: '!00000001' })).error).to.be.a('string');
        });
    });
};
