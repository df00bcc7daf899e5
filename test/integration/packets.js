'use strict';
// Integration: every packet type of issue #20 through the real broker-mode pipeline in js-controller, each packet
// built with the official protobufs and encrypted as firmware does. Called from test/integration/index.js (one harness run).
const { expect } = require('chai');
const { create, toBinary } = require('@bufbuild/protobuf');
const { Mesh, PaxCount, Portnums } = require('@meshtastic/protobufs');
const { connectWhenReady, publish } = require('../support/mqtt');
const { waitFor, waitForState, readLogs, sendTo, brokerConfig } = require('../support/harness');
const ind = require('../support/independent-crypto');

const Port = Portnums.PortNum;
const NS = 'meshtastic.0';
const ROOT = 'msh/EU_868';
const GW = '!0a0a0a0a';
const REQUESTER = 0x0a0b0c01;
const RELAY = 0x0a0b0c02;
const TARGET = 0x0a0b0c03;

/** A state of the same packet may land a moment after the one waited for: wait for each value (5 s). */
function settledIn(harness) {
    return (id, val) => waitForState(harness, id, s => s?.val === val, 5000);
}

const bin = (schema, init) => toBinary(schema, create(schema, init));
const text = value => Buffer.from(value, 'utf8');

module.exports = function packetSuites({ suite, port }) {
    suite('broker mode: every packet type ends in its states', getHarness => {
        let client;
        let nextId = 0x5000;
        after(async () => client?.endAsync(true));

        async function send(from, data, extra = {}) {
            const packet = ind.encryptChannel({ root: ROOT, from, id: nextId++, gatewayId: GW, data, ...extra });
            await publish(client, packet.topic, packet.payload);
        }

        it('traceroute, waypoint, paxcounter, detection sensor, alert, range test, compressed text', async function () {
            this.timeout(120000);
            const harness = getHarness();
            const settled = settledIn(harness);
            await harness.changeAdapterConfig('meshtastic', brokerConfig(port, { detectionAlarmSeconds: 5 }));
            await harness.startAdapterAndWait();
            client = await connectWhenReady(port, { clientId: 'gateway-packets' });
            await waitForState(harness, `${NS}.info.connection`, s => s?.val === true, 10000);

            // Names first, so the route shows them.
            await send(REQUESTER, {
                portnum: Port.NODEINFO_APP,
                payload: bin(Mesh.UserSchema, { id: '!0a0b0c01', longName: 'Base', shortName: 'BASE' }),
            });
            await send(RELAY, {
                portnum: Port.NODEINFO_APP,
                payload: bin(Mesh.UserSchema, { id: '!0a0b0c02', longName: 'Hill relay', shortName: 'HILL' }),
            });
            await waitForState(harness, `${NS}.nodes.0a0b0c02.info.longName`, s => s?.val === 'Hill relay', 15000);

            // Traceroute reply from the target to the requester, back at the requester (SNR dB × 4 on the wire).
            await send(
                TARGET,
                {
                    portnum: Port.TRACEROUTE_APP,
                    requestId: 0x1234,
                    payload: bin(Mesh.RouteDiscoverySchema, {
                        route: [RELAY],
                        snrTowards: [26, 10],
                        routeBack: [RELAY],
                        snrBack: [8, 30],
                    }),
                },
                { to: REQUESTER },
            );
            const t = `${NS}.nodes.0a0b0c03`;
            const route = JSON.parse(
                (await waitForState(harness, `${t}.traceroute.route`, s => typeof s?.val === 'string', 15000)).val,
            );
            expect(route.from).to.equal('!0a0b0c01');
            expect(route.towards).to.deep.equal([
                { id: '!0a0b0c01', name: 'Base' },
                { id: '!0a0b0c02', name: 'Hill relay', snr: 6.5 },
                { id: '!0a0b0c03', snr: 2.5 },
            ]);
            expect(route.back).to.deep.equal([
                { id: '!0a0b0c03' },
                { id: '!0a0b0c02', name: 'Hill relay', snr: 2 },
                { id: '!0a0b0c01', name: 'Base', snr: 7.5 },
            ]);
            expect((await harness.objects.getObjectAsync(`${t}.traceroute.route`)).common.role).to.equal('json');

            // Waypoint: created, then deleted by the app's delete (expiry in the past).
            const expire = Math.floor(Date.now() / 1000) + 3600;
            await send(REQUESTER, {
                portnum: Port.WAYPOINT_APP,
                payload: bin(Mesh.WaypointSchema, {
                    id: 4711,
                    name: 'Camp',
                    description: 'tents',
                    latitudeI: 481234567,
                    longitudeI: 115432100,
                    expire,
                    icon: 0x1f3d5,
                }),
            });
            const w = `${NS}.waypoints.4711`;
            await waitForState(harness, `${w}.name`, s => s?.val === 'Camp', 15000);
            await settled(`${w}.description`, 'tents');
            await settled(`${w}.latitude`, 48.1234567);
            await settled(`${w}.longitude`, 11.54321);
            await settled(`${w}.expire`, expire * 1000);
            await settled(`${w}.icon`, '🏕');
            await settled(`${w}.from`, '!0a0b0c01');
            expect((await harness.objects.getObjectAsync(`${w}.latitude`)).common.role).to.equal('value.gps.latitude');
            expect((await harness.objects.getObjectAsync(`${w}.expire`)).common.role).to.equal('date');

            // Paxcounter, detection sensor, alert and range test from the relay.
            await send(RELAY, {
                portnum: Port.PAXCOUNTER_APP,
                payload: bin(PaxCount.PaxcountSchema, { wifi: 17, ble: 42, uptime: 3600 }),
            });
            await send(RELAY, { portnum: Port.DETECTION_SENSOR_APP, payload: text('Motion detected') });
            await send(RELAY, { portnum: Port.ALERT_APP, payload: text('Smoke in the barn') });
            await send(
                RELAY,
                { portnum: Port.RANGE_TEST_APP, payload: text('seq 17') },
                { header: { rxSnr: 4.75, rxRssi: -97 } },
            );
            await send(RELAY, { portnum: Port.TEXT_MESSAGE_COMPRESSED_APP, payload: Buffer.from([0x9c, 0x41, 0x20]) });
            const r = `${NS}.nodes.0a0b0c02`;
            expect((await waitForState(harness, `${r}.telemetry.pax.wifi`, s => s?.val === 17, 15000)).val).to.equal(
                17,
            );
            await settled(`${r}.telemetry.pax.ble`, 42);
            await settled(`${r}.telemetry.pax.uptime`, 3600);
            expect((await waitForState(harness, `${r}.detection.alarm`, s => s?.val === true, 15000)).val).to.equal(
                true,
            );
            await settled(`${r}.detection.text`, 'Motion detected');
            expect(
                (await waitForState(harness, `${r}.detection.time`, s => typeof s?.val === 'number', 5000)).ack,
            ).to.equal(true);
            expect((await harness.objects.getObjectAsync(`${r}.detection.alarm`)).common).to.include({
                role: 'sensor.alarm',
                type: 'boolean',
            });
            expect(
                (await waitForState(harness, `${r}.alert.text`, s => s?.val === 'Smoke in the barn', 15000)).val,
            ).to.equal('Smoke in the barn');
            const last = await waitForState(
                harness,
                `${NS}.messages.last`,
                s => String(s?.val).includes('Smoke in the barn'),
                15000,
            );
            expect(JSON.parse(last.val)).to.include({ text: 'Smoke in the barn', alert: true, fromId: '!0a0b0c02' });
            expect((await waitForState(harness, `${r}.rangeTest.sequence`, s => s?.val === 17, 15000)).val).to.equal(
                17,
            );
            await settled(`${r}.rangeTest.snr`, 4.75);
            await settled(`${r}.rangeTest.rssi`, -97);
            await waitForState(harness, `${NS}.stats.compressedTexts`, s => s?.val === 1, 15000);
            expect(readLogs(harness)).to.include('TEXT_MESSAGE_COMPRESSED_APP');

            // The alarm falls back after the configured 5 s.
            await waitForState(harness, `${r}.detection.alarm`, s => s?.val === false, 15000);

            // The alert is in the tab's chat feed, flagged.
            const poll = await sendTo(harness, 'tabPoll', { since: 0, epoch: 0 });
            expect(poll.messages.find(m => m.text === 'Smoke in the barn')).to.include({ alert: true });

            // The waypoint delete removes its objects.
            await send(REQUESTER, {
                portnum: Port.WAYPOINT_APP,
                payload: bin(Mesh.WaypointSchema, { id: 4711, expire: 1 }),
            });
            await waitFor(
                async () =>
                    (await harness.objects.getObjectAsync(w)) === null &&
                    (await harness.objects.getObjectAsync(`${w}.name`)) === null,
                15000,
                'waypoint deleted',
            );
        });
    });
};
