import { expect } from 'chai';
import fc from 'fast-check';
import { decoded, eventsOfType, meshModel, T0 } from '../../../test-support/mesh-fixtures';
import { Port, routeDiscovery, waypointPayload } from '../../../test-support/packet-fixtures';
import { iconText } from '../waypoints';

const A = 0x11111111;
const B = 0x22222222;
const HOUR_S = 3600;
const t0s = T0 / 1000;

function waypoint(from: number, id: number, init: Parameters<typeof waypointPayload>[0]): ReturnType<typeof decoded> {
    return decoded({ from, id, data: { portnum: Port.WAYPOINT_APP }, payload: waypointPayload(init) });
}

describe('mesh/handlers: waypoint', () => {
    it('creates and updates a waypoint with position, expiry, lock, icon and sender', () => {
        const m = meshModel();
        const events = m.ingest(
            waypoint(A, 1, {
                id: 7,
                name: 'Camp',
                description: 'tents here',
                latitudeI: 525200000,
                longitudeI: 134050000,
                expire: t0s + HOUR_S,
                lockedTo: A,
                icon: 0x1f3d5,
            }),
            T0,
        );
        const [event] = eventsOfType(events, 'waypoint');
        expect(event.waypoint).to.deep.equal({
            id: 7,
            name: 'Camp',
            description: 'tents here',
            latitude: 52.52,
            longitude: 13.405,
            expire: T0 + HOUR_S * 1000,
            lockedTo: '!11111111',
            icon: '🏕',
            from: '!11111111',
            time: T0,
        });
        m.ingest(waypoint(A, 2, { id: 7, name: 'Camp 2', expire: 0 }), T0 + 1);
        expect(m.waypoints()).to.have.length(1);
        expect(m.waypoints()[0]).to.include({ name: 'Camp 2', expire: 0, lockedTo: '', icon: '' });
        expect(m.waypoints()[0].latitude).to.equal(undefined);
    });

    it('a locked waypoint changes only through the node it is locked to', () => {
        const m = meshModel();
        m.ingest(waypoint(A, 1, { id: 7, name: 'Mine', lockedTo: A }), T0);
        expect(m.ingest(waypoint(B, 2, { id: 7, name: 'Yours' }), T0 + 1)).to.satisfy(
            (events: ReturnType<typeof m.ingest>) => eventsOfType(events, 'waypoint').length === 0,
        );
        expect(m.ingest(waypoint(B, 3, { id: 7, expire: 1 }), T0 + 2)).to.satisfy(
            (events: ReturnType<typeof m.ingest>) => eventsOfType(events, 'waypointRemoved').length === 0,
        );
        expect(m.waypoints()[0].name).to.equal('Mine');
    });

    it('a delete (expiry in the past) removes it; an unknown one is ignored', () => {
        const m = meshModel();
        m.ingest(waypoint(A, 1, { id: 7, name: 'Camp' }), T0);
        const deleted = m.ingest(waypoint(A, 2, { id: 7, expire: 1 }), T0 + 1);
        expect(eventsOfType(deleted, 'waypointRemoved')).to.deep.equal([
            { type: 'waypointRemoved', id: 7, reason: 'deleted' },
        ]);
        expect(m.waypoints()).to.deep.equal([]);
        const unknown = m.ingest(waypoint(A, 3, { id: 8, expire: 1 }), T0 + 2);
        expect(eventsOfType(unknown, 'waypointRemoved')).to.deep.equal([]);
        expect(eventsOfType(m.ingest(waypoint(A, 4, { id: 0, name: 'no id' }), T0 + 3), 'waypoint')).to.deep.equal([]);
    });

    it('expires on the tick, and keeps at most maxWaypoints (least recently updated goes first)', () => {
        const m = meshModel({ maxWaypoints: 2 });
        m.ingest(waypoint(A, 1, { id: 1, expire: t0s + 60 }), T0);
        m.ingest(waypoint(A, 2, { id: 2 }), T0);
        const third = m.ingest(waypoint(A, 3, { id: 3 }), T0);
        expect(eventsOfType(third, 'waypointRemoved')).to.deep.equal([
            { type: 'waypointRemoved', id: 1, reason: 'limit' },
        ]);
        m.ingest(waypoint(A, 4, { id: 2, expire: t0s + 60 }), T0);
        expect(m.waypoints().map(w => w.id)).to.deep.equal([3, 2]);
        expect(eventsOfType(m.tick(T0 + 59_999), 'waypointRemoved')).to.deep.equal([]);
        expect(eventsOfType(m.tick(T0 + 60_000), 'waypointRemoved')).to.deep.equal([
            { type: 'waypointRemoved', id: 2, reason: 'expired' },
        ]);
    });

    it('icons: printable code points only', () => {
        expect(iconText(0x1f4cd)).to.equal('📍');
        expect(iconText(0)).to.equal('');
        expect(iconText(0xd800)).to.equal('');
        expect(iconText(0x110000)).to.equal('');
    });
});

describe('mesh/handlers: waypoint and traceroute under hostile input (property)', () => {
    it('never throws, keeps at most maxWaypoints and bounded routes', () => {
        fc.assert(
            fc.property(
                fc.array(
                    fc.record({
                        id: fc.nat(),
                        expire: fc.nat(),
                        lockedTo: fc.nat(),
                        icon: fc.nat(),
                        name: fc.string({ maxLength: 60 }),
                        route: fc.array(fc.nat(), { maxLength: 40 }),
                        snr: fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 40 }),
                    }),
                    { maxLength: 30 },
                ),
                items => {
                    const m = meshModel({ maxWaypoints: 5 });
                    items.forEach((item, i) => {
                        m.ingest(
                            waypoint(A + (i % 3), i + 1, {
                                id: item.id,
                                expire: item.expire,
                                lockedTo: item.lockedTo,
                                icon: item.icon,
                                name: item.name,
                            }),
                            T0,
                        );
                        m.ingest(
                            decoded({
                                from: B,
                                to: A,
                                id: 1000 + i,
                                data: { portnum: Port.TRACEROUTE_APP, requestId: 1 },
                                payload: routeDiscovery({
                                    route: item.route,
                                    snrTowards: item.snr,
                                    routeBack: item.route,
                                    snrBack: item.snr,
                                }),
                            }),
                            T0,
                        );
                    });
                    expect(m.waypoints().length).to.be.at.most(5);
                    const route = m.node(B)?.traceroute;
                    if (route) {
                        expect(route.towards.length).to.be.at.most(12);
                        expect(route.back.length).to.be.at.most(12);
                    }
                },
            ),
            { numRuns: 100 },
        );
    });
});
