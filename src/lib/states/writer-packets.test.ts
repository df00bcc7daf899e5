/** Traceroute, waypoint, paxcounter, detection, alert and range test packets through the model into states. */
import { expect } from 'chai';
import { FakeAdapter } from '../../test-support/fake-adapter';
import { decoded, meshModel, nodeinfo, T0 } from '../../test-support/mesh-fixtures';
import { paxcount, Port, routeDiscovery, textPort, waypointPayload } from '../../test-support/packet-fixtures';
import type { MeshEvent } from '../mesh/types';
import { objectsUnder, started } from './writer-fixtures.test';
import { restoreNodes } from './restore';
import { storedWaypoints } from './waypoint-restore';

const A = 0x11111111;
const B = 0x22222222;

function val(fake: FakeAdapter, id: string): ioBroker.StateValue | undefined {
    return fake.states.get(id)?.val;
}

describe('states: packet types end in their states', () => {
    it('traceroute, paxcounter, detection (and its fall-back), alert, range test', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        const m = meshModel({ detectionAlarmMs: 1000 });
        const feed = (events: MeshEvent[]): void => writer.apply(events);
        feed(m.ingest(decoded({ from: A, id: 1, payload: nodeinfo({ longName: 'Home' }) }), T0));
        feed(
            m.ingest(
                decoded({
                    from: B,
                    to: A,
                    id: 2,
                    data: { portnum: Port.TRACEROUTE_APP, requestId: 9 },
                    payload: routeDiscovery({ snrTowards: [20], snrBack: [12] }),
                }),
                T0 + 1,
            ),
        );
        feed(
            m.ingest(
                decoded({
                    from: B,
                    id: 3,
                    data: { portnum: Port.PAXCOUNTER_APP },
                    payload: paxcount({ wifi: 4, ble: 9, uptime: 60 }),
                }),
                T0 + 2,
            ),
        );
        feed(
            m.ingest(
                decoded({
                    from: B,
                    id: 4,
                    data: { portnum: Port.DETECTION_SENSOR_APP },
                    payload: textPort(Port.DETECTION_SENSOR_APP, 'Motion'),
                }),
                T0 + 3,
            ),
        );
        feed(
            m.ingest(
                decoded({
                    from: B,
                    id: 5,
                    data: { portnum: Port.ALERT_APP },
                    payload: textPort(Port.ALERT_APP, 'Flood'),
                }),
                T0 + 4,
            ),
        );
        feed(
            m.ingest(
                decoded({
                    from: B,
                    id: 6,
                    header: { rxSnr: 5.5, rxRssi: -90 },
                    data: { portnum: Port.RANGE_TEST_APP },
                    payload: textPort(Port.RANGE_TEST_APP, 'seq 3'),
                }),
                T0 + 5,
            ),
        );
        await writer.flush();
        const b = 'nodes.22222222';
        expect(JSON.parse(val(fake, `${b}.traceroute.route`) as string)).to.deep.equal({
            time: T0 + 1,
            from: '!11111111',
            towards: [
                { id: '!11111111', name: 'Home' },
                { id: '!22222222', snr: 5 },
            ],
            back: [{ id: '!22222222' }, { id: '!11111111', name: 'Home', snr: 3 }],
        });
        expect(val(fake, `${b}.telemetry.pax.wifi`)).to.equal(4);
        expect(val(fake, `${b}.telemetry.pax.ble`)).to.equal(9);
        expect(val(fake, `${b}.telemetry.pax.uptime`)).to.equal(60);
        expect(val(fake, `${b}.detection.text`)).to.equal('Motion');
        expect(val(fake, `${b}.detection.alarm`)).to.equal(true);
        expect(val(fake, `${b}.detection.time`)).to.equal(T0 + 3);
        expect(val(fake, `${b}.alert.text`)).to.equal('Flood');
        expect(val(fake, `${b}.alert.time`)).to.equal(T0 + 4);
        expect(JSON.parse(val(fake, 'messages.last') as string)).to.include({ text: 'Flood', alert: true });
        expect(val(fake, `${b}.rangeTest.sequence`)).to.equal(3);
        expect(val(fake, `${b}.rangeTest.snr`)).to.equal(5.5);
        expect(val(fake, `${b}.rangeTest.rssi`)).to.equal(-90);
        expect(val(fake, `${b}.rangeTest.time`)).to.equal(T0 + 5);
        for (const [id, type] of [
            [`${b}.telemetry`, 'folder'],
            [`${b}.telemetry.pax`, 'channel'],
            [`${b}.traceroute`, 'channel'],
            [`${b}.detection`, 'channel'],
            [`${b}.alert`, 'channel'],
            [`${b}.rangeTest`, 'channel'],
        ]) {
            expect(fake.objects.get(id)?.type, id).to.equal(type);
        }
        expect(fake.objects.get(`${b}.detection.alarm`)?.common).to.include({ role: 'sensor.alarm', type: 'boolean' });
        // nodes that sent none of these get none of their objects
        expect(objectsUnder(fake, 'nodes.11111111.detection')).to.deep.equal([]);

        feed(m.expireDetections(T0 + 1003));
        await writer.flush();
        expect(val(fake, `${b}.detection.alarm`)).to.equal(false);
        // the fall-back is no new detection: text and time are not written again
        expect(fake.stateWrites.filter(w => w.id === `${b}.detection.text`)).to.have.length(1);
        expect(fake.stateWrites.filter(w => w.id === `${b}.detection.time`)).to.have.length(1);

        // and they come back after a restart
        const stored = [...fake.states].map(([id, s]) => [id, s.val] as [string, ioBroker.StateValue]);
        const restored = restoreNodes(stored).find(n => n.num === B);
        const again = meshModel();
        again.restore(restored ? [restored] : []);
        const node = again.node(B);
        expect(node?.detection).to.deep.equal({ text: 'Motion', time: T0 + 3, alarm: false });
        expect(node?.alert).to.deep.equal({ text: 'Flood', time: T0 + 4 });
        expect(node?.rangeTest).to.deep.equal({ sequence: 3, snr: 5.5, rssi: -90, time: T0 + 5 });
        expect(node?.traceroute?.towards).to.have.length(2);
        expect(node?.telemetry.pax).to.deep.equal({ wifi: 4, ble: 9, uptime: 60 });
    });

    it('waypoints: created with their values, deleted (objects and caches) by a delete, created again', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        const m = meshModel();
        const waypoint = (id: number, init: Parameters<typeof waypointPayload>[0]): MeshEvent[] =>
            m.ingest(
                decoded({ from: A, id, data: { portnum: Port.WAYPOINT_APP }, payload: waypointPayload(init) }),
                T0,
            );
        writer.apply(
            waypoint(1, {
                id: 42,
                name: 'Hut',
                description: 'water',
                latitudeI: 471234567,
                longitudeI: 112345678,
                expire: T0 / 1000 + 3600,
                icon: 0x1f3e0,
            }),
        );
        await writer.flush();
        const w = 'waypoints.42';
        expect(fake.objects.get('waypoints')?.type).to.equal('folder');
        expect(fake.objects.get(w)).to.deep.include({ type: 'channel' });
        expect(fake.objects.get(w)?.common).to.deep.include({ name: 'Hut' });
        expect(
            Object.fromEntries(
                ['name', 'description', 'latitude', 'longitude', 'expire', 'lockedTo', 'icon', 'from'].map(k => [
                    k,
                    val(fake, `${w}.${k}`),
                ]),
            ),
        ).to.deep.equal({
            name: 'Hut',
            description: 'water',
            latitude: 47.1234567,
            longitude: 11.2345678,
            expire: T0 + 3_600_000,
            lockedTo: '',
            icon: '🏠',
            from: '!11111111',
        });
        expect(fake.objects.get(`${w}.latitude`)?.common).to.include({ role: 'value.gps.latitude', unit: '°' });
        expect(fake.objects.get(`${w}.expire`)?.common).to.include({ role: 'date' });

        writer.apply(waypoint(2, { id: 42, expire: 1 }));
        await writer.flush();
        expect(objectsUnder(fake, w)).to.deep.equal([]);

        writer.apply(waypoint(3, { id: 42, name: 'Hut again' }));
        await writer.flush();
        expect(val(fake, `${w}.name`)).to.equal('Hut again');
        expect(val(fake, `${w}.expire`)).to.equal(null);
        expect(val(fake, `${w}.latitude`)).to.equal(null);
    });

    it('waypoints come back after a restart and still expire', async () => {
        const fake = new FakeAdapter();
        const first = await started(fake);
        const m = meshModel();
        first.apply(
            m.ingest(
                decoded({
                    from: A,
                    data: { portnum: Port.WAYPOINT_APP },
                    payload: waypointPayload({
                        id: 9,
                        name: 'Tent',
                        latitudeI: 10_000_000,
                        longitudeI: 20_000_000,
                        expire: T0 / 1000 + 60,
                        lockedTo: A,
                    }),
                }),
                T0,
            ),
        );
        await first.flush();
        first.dispose();

        const writer = await started(fake);
        const again = meshModel({ maxWaypoints: 5 });
        expect(again.restoreWaypoints(storedWaypoints(writer))).to.deep.equal([9]);
        expect(again.waypoints()[0]).to.deep.include({
            id: 9,
            name: 'Tent',
            latitude: 1,
            longitude: 2,
            expire: T0 + 60_000,
            lockedTo: '!11111111',
            from: '!11111111',
        });
        writer.apply(again.tick(T0 + 60_000));
        await writer.flush();
        expect(objectsUnder(fake, 'waypoints.9')).to.deep.equal([]);
    });
});
