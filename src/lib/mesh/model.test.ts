import { expect } from 'chai';
import {
    BROADCAST,
    DAY,
    decoded,
    gw,
    mapReportPacket,
    meshModel,
    MINUTE,
    nodeEvent,
    nodeEvents,
    nodeinfo,
    opaque,
    record,
    removals,
    sectionsOf,
    T0,
    text,
} from '../../test-support/mesh-fixtures';

const A = 0x11111111;
const B = 0x22222222;
const GW1 = 0x0a0a0a0a;
const GW2 = 0x0b0b0b0b;
const OWN = 0x0c0c0c0c;

describe('mesh: MeshModel', () => {
    describe('nodes and gateways', () => {
        it('creates the sender on its first packet and the gateway as an MQTT-present node', () => {
            const m = meshModel();
            const events = m.ingest(decoded({ from: A, gateway: gw(GW1), header: { rxSnr: 6.5, rxRssi: -80 } }), T0);
            const sender = nodeEvent(events, A)!;
            expect(sender.isNew).to.equal(true);
            expect([...sender.sections].sort()).to.deep.equal(['radio', 'status']);
            expect(sender.node).to.include({
                id: '!11111111',
                hex: '11111111',
                packets: 1,
                lastHeard: T0,
                presence: 'rf',
            });
            expect(sender.node.radio).to.deep.include({
                snr: 6.5,
                rssi: -80,
                hopsAway: 0,
                viaMqtt: false,
                gateway: gw(GW1),
                gatewayCount: 1,
            });
            const gateway = nodeEvent(events, GW1)!;
            expect(gateway.isNew).to.equal(true);
            expect(gateway.node).to.include({ lastMqtt: T0, lastHeard: T0, presence: 'mqtt', packets: 0 });
            expect(m.stats()).to.include({ received: 1, decoded: 1, duplicates: 0 });
        });

        it('emits one node event per node with all changed sections', () => {
            const m = meshModel();
            // The gateway uplinks its own nodeinfo: sender == gateway, one event.
            const events = m.ingest(decoded({ from: GW1, gateway: gw(GW1), payload: nodeinfo() }), T0);
            expect(nodeEvents(events)).to.have.length(1);
            expect(sectionsOf(events, GW1)).to.deep.equal(['info', 'radio', 'status']);
            expect(nodeEvent(events, GW1)!.node.radio?.hopsAway).to.equal(0);
            expect(nodeEvent(events, GW1)!.node.presence).to.equal('mqtt');
        });

        it('computes hopsAway per the spec rule', () => {
            const m = meshModel();
            let from = 0x30000000;
            const hops = (h: { hopStart: number; hopLimit: number }, bitfield?: number): number | undefined => {
                from++;
                m.ingest(decoded({ from, header: h, data: { bitfield } }), T0);
                return m.node(from)?.radio?.hopsAway;
            };
            expect(hops({ hopStart: 3, hopLimit: 1 }, 1)).to.equal(2);
            expect(hops({ hopStart: 3, hopLimit: 1 })).to.equal(2);
            expect(hops({ hopStart: 1, hopLimit: 3 }, 1)).to.equal(undefined);
            expect(hops({ hopStart: 0, hopLimit: 0 })).to.equal(undefined); // pre-2.3 without bitfield
            expect(hops({ hopStart: 0, hopLimit: 0 }, 0)).to.equal(0);
        });

        it('stops trusting hop_limit 0 once the broker is seen rewriting it (zero-hop public server)', () => {
            const m = meshModel();
            m.ingest(decoded({ from: B, id: 1, gateway: gw(GW2), header: { hopStart: 4, hopLimit: 0 } }), T0);
            expect(m.node(B)?.radio?.hopsAway).to.equal(4);
            expect(m.hopLimitRewritten()).to.equal(false);
            // A gateway's own packet with hop_limit 0 < hop_start: only a rewriting broker does that.
            m.ingest(decoded({ from: GW1, id: 7, gateway: gw(GW1), header: { hopStart: 3, hopLimit: 0 } }), T0);
            expect(m.hopLimitRewritten()).to.equal(true);
            expect(m.node(GW1)?.radio?.hopsAway).to.equal(0);
            m.ingest(decoded({ from: B, id: 2, gateway: gw(GW2), header: { hopStart: 4, hopLimit: 0 } }), T0 + 1);
            expect(m.node(B)?.radio?.hopsAway).to.equal(undefined);
        });

        it('ignores packets from reserved node numbers as invalid', () => {
            const m = meshModel();
            expect(m.ingest(decoded({ from: 0 }), T0)).to.deep.equal([]);
            expect(m.ingest(decoded({ from: BROADCAST }), T0)).to.deep.equal([]);
            expect(m.stats()).to.include({ received: 2, invalid: 2, decoded: 0 });
            expect(m.nodeCount()).to.equal(0);
        });

        it('ignores malformed gateway ids for the gateway node but still takes the packet', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, gateway: 'not-a-node' }), T0);
            expect(m.nodeCount()).to.equal(1);
            expect(m.node(A)?.radio?.gateway).to.equal('not-a-node');
        });
    });

    describe('dedup across gateways', () => {
        it('counts duplicates, updates gatewayCount and keeps the first RF reception metrics', () => {
            const m = meshModel();
            const p = { from: A, id: 99, header: { hopStart: 3, hopLimit: 2 } };
            m.ingest(decoded({ ...p, gateway: gw(GW1), header: { ...p.header, viaMqtt: true } }), T0);
            expect(m.node(A)?.radio).to.deep.include({ viaMqtt: true, gatewayCount: 1 });
            expect(m.node(A)?.radio?.snr).to.equal(undefined);

            const second = m.ingest(
                decoded({ ...p, gateway: gw(GW2), header: { ...p.header, rxSnr: -3, rxRssi: -101 } }),
                T0 + 50,
            );
            expect(sectionsOf(second, A)).to.deep.equal(['radio']);
            expect(nodeEvent(second, A)!.isNew).to.equal(false);
            expect(m.node(A)?.radio).to.deep.include({
                gateway: gw(GW1),
                gatewayCount: 2,
                snr: -3,
                rssi: -101,
                viaMqtt: false,
                gateways: [gw(GW1), gw(GW2)],
            });
            expect(m.node(A)?.packets).to.equal(1);
            expect(m.stats()).to.include({ received: 2, decoded: 2, duplicates: 1 });
            // The second gateway itself is alive and uplinking.
            expect(nodeEvent(second, GW2)?.node.presence).to.equal('mqtt');
        });

        it('emits nothing for the sender on a duplicate that changes nothing', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, id: 5, gateway: gw(GW1) }), T0);
            const again = m.ingest(decoded({ from: A, id: 5, gateway: gw(GW1) }), T0 + 10);
            expect(nodeEvent(again, A)).to.equal(undefined);
            expect(m.stats().duplicates).to.equal(1);
        });

        it('does not let a late duplicate of an older packet overwrite the radio of the newer one', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, id: 1, gateway: gw(GW1) }), T0);
            m.ingest(decoded({ from: A, id: 2, gateway: gw(GW1) }), T0 + 10);
            const late = m.ingest(decoded({ from: A, id: 1, gateway: gw(GW2) }), T0 + 20);
            expect(nodeEvent(late, A)).to.equal(undefined);
            expect(m.node(A)?.radio?.gatewayCount).to.equal(1);
        });

        it('treats a packet after the window as new', () => {
            const m = meshModel({ dedupWindowMs: MINUTE });
            m.ingest(decoded({ from: A, id: 5 }), T0);
            m.ingest(decoded({ from: A, id: 5 }), T0 + 2 * MINUTE);
            expect(m.node(A)?.packets).to.equal(2);
            expect(m.stats().duplicates).to.equal(0);
        });
    });

    describe('presence', () => {
        it('moves mqtt → rf → offline through tick', () => {
            const m = meshModel({ offlineMinutes: 60 });
            // GW1 uplinks itself, then is only heard through GW2.
            m.ingest(decoded({ from: GW1, id: 1, gateway: gw(GW1) }), T0);
            expect(m.node(GW1)?.presence).to.equal('mqtt');
            expect(m.tick(T0 + 30 * MINUTE)).to.deep.equal([]);

            m.ingest(decoded({ from: GW1, id: 2, gateway: gw(GW2) }), T0 + 50 * MINUTE);
            expect(m.node(GW1)?.presence).to.equal('mqtt');

            const toRf = m.tick(T0 + 61 * MINUTE);
            expect(nodeEvent(toRf, GW1)?.node.presence).to.equal('rf');
            expect(sectionsOf(toRf, GW1)).to.deep.equal(['status']);
            expect(nodeEvent(toRf, GW2)).to.equal(undefined); // still mqtt (uplinked at +50)

            const toOffline = m.tick(T0 + 111 * MINUTE);
            expect(nodeEvent(toOffline, GW1)?.node.presence).to.equal('offline');
            expect(nodeEvent(toOffline, GW2)?.node.presence).to.equal('offline');
            expect(m.tick(T0 + 200 * MINUTE)).to.deep.equal([]);
        });

        it('a map report makes the sender MQTT-present', () => {
            const m = meshModel();
            const packet = mapReportPacket(B);
            packet.gatewayId = gw(GW1); // relayed report, gateway differs from sender
            m.ingest(packet, T0);
            expect(m.node(B)).to.include({ lastMqtt: T0, presence: 'mqtt' });
        });
    });

    describe('bounds', () => {
        it('evicts the least recently heard node at maxNodes and emits nodeRemoved', () => {
            const m = meshModel({ maxNodes: 3 });
            m.ingest(decoded({ from: 101, id: 1, gateway: 'x' }), T0);
            m.ingest(decoded({ from: 102, id: 1, gateway: 'x' }), T0 + 1);
            m.ingest(decoded({ from: 103, id: 1, gateway: 'x' }), T0 + 2);
            m.ingest(decoded({ from: 101, id: 2, gateway: 'x' }), T0 + 3);
            const events = m.ingest(decoded({ from: 104, id: 1, gateway: 'x' }), T0 + 4);
            expect(removals(events)).to.deep.equal([
                { type: 'nodeRemoved', num: 102, hex: '00000066', reason: 'maxNodes' },
            ]);
            expect(events[0].type).to.equal('nodeRemoved');
            expect(nodeEvent(events, 104)?.isNew).to.equal(true);
            expect(m.nodeCount()).to.equal(3);
            expect(m.node(102)).to.equal(undefined);
        });

        it('does not announce a node created and evicted within the same packet', () => {
            const m = meshModel({ maxNodes: 1 });
            const events = m.ingest(decoded({ from: A, gateway: gw(GW1) }), T0);
            expect(removals(events)).to.deep.equal([]);
            expect(nodeEvents(events).map(e => e.node.num)).to.deep.equal([A]);
            expect(m.nodeCount()).to.equal(1);
        });

        it('purges nodes unheard for purgeDays', () => {
            const m = meshModel({ purgeDays: 2 });
            m.ingest(decoded({ from: A, gateway: 'x' }), T0);
            m.ingest(decoded({ from: B, gateway: 'x' }), T0 + DAY);
            const events = m.purge(T0 + 2 * DAY + 1);
            expect(events).to.deep.equal([{ type: 'nodeRemoved', num: A, hex: '11111111', reason: 'purge' }]);
            expect(m.node(A)).to.equal(undefined);
            expect(m.node(B)).to.not.equal(undefined);
            expect(meshModel({ purgeDays: 0 }).purge(T0 + 1000 * DAY)).to.deep.equal([]);
        });

        it('bounds node and channel histories', () => {
            const m = meshModel({ historySize: 3 });
            for (let i = 1; i <= 10; i++) {
                m.ingest(decoded({ from: A, id: i, payload: text(`hello ${i}`) }), T0 + i);
            }
            expect(m.node(A)?.history.map(t => t.text)).to.deep.equal(['hello 8', 'hello 9', 'hello 10']);
            const channel = m.channels().find(c => c.name === 'LongFast')!;
            expect(channel.history).to.have.length(3);
            expect(channel.lastMessage?.text).to.equal('hello 10');
        });

        it('bounds channels named by packets', () => {
            const m = meshModel();
            for (let i = 0; i < 100; i++) {
                m.ingest(decoded({ from: A, id: i + 1, channelName: `ch${i}`, payload: text('x') }), T0 + i);
            }
            expect(m.channels().length).to.be.at.most(1 + 32);
            expect(m.channels()[0].name).to.equal('LongFast');
        });
    });

    describe('filters', () => {
        it('drops senders outside a non-empty allow-list (and does not create them as gateways)', () => {
            const m = meshModel({ allowList: new Set([A]) });
            m.ingest(decoded({ from: B, gateway: gw(GW1) }), T0);
            m.ingest(decoded({ from: A, gateway: gw(GW1) }), T0);
            expect(m.stats().filtered).to.equal(1);
            expect([...m.nodes()].map(n => n.num)).to.deep.equal([A]);
        });

        it('drops packets with known hopsAway above maxHops, keeps unknown hops', () => {
            const m = meshModel({ maxHops: 2 });
            m.ingest(decoded({ from: A, header: { hopStart: 7, hopLimit: 2 } }), T0);
            m.ingest(decoded({ from: B, header: { hopStart: 7, hopLimit: 5 } }), T0);
            m.ingest(
                decoded({ from: 0x33333333, header: { hopStart: 0, hopLimit: 0 }, data: { bitfield: undefined } }),
                T0,
            );
            expect(m.node(A)).to.equal(undefined);
            expect(m.node(B)).to.not.equal(undefined);
            expect(m.node(0x33333333)).to.not.equal(undefined);
            expect(m.stats().filtered).to.equal(1);
        });
    });

    describe('own echo', () => {
        it('drops packets from our own node or published under our gateway id, uncounted', () => {
            const m = meshModel({ ownNodeNum: OWN });
            expect(m.ingest(decoded({ from: OWN, gateway: gw(GW1), payload: text('mine') }), T0)).to.deep.equal([]);
            expect(
                m.ingest(decoded({ from: A, gateway: gw(OWN).toUpperCase(), payload: text('relayed by us') }), T0),
            ).to.deep.equal([]);
            expect(m.ingestOpaque(opaque({ from: A, gateway: gw(OWN) }), T0)).to.deep.equal([]);
            expect(m.stats()).to.include({ received: 0, decoded: 0, undecryptable: 0 });
            expect(m.nodeCount()).to.equal(0);
            expect(m.channels()[0].history).to.have.length(0);
        });
    });

    describe('counters and restore', () => {
        it('counters are a partition: received = decoded + undecryptable + invalid + ignored', () => {
            const m = meshModel();
            m.countInvalid();
            m.countIgnored();
            // A malformed payload is still used (raw): decoded only, not also invalid.
            m.ingest(decoded({ from: A, payloadError: 'truncated' }), T0);
            m.ingest(decoded({ from: 0 }), T0);
            const s = m.stats();
            console.log(
                `      partition: received ${s.received} = ${s.decoded} + ${s.undecryptable} + ${s.invalid} + ${s.ignored}`,
            );
            expect(s).to.include({ received: 4, invalid: 2, decoded: 1, ignored: 1 });
            expect(s.received).to.equal(s.decoded + s.undecryptable + s.invalid + s.ignored);
            expect(m.node(A)).to.not.equal(undefined);
        });

        it('restore seeds nodes without events; the next tick fixes presence', () => {
            const m = meshModel({ offlineMinutes: 60 });
            const n = m.restore([
                record(A, { lastHeard: T0, presence: 'rf', user: undefined }),
                record(B, { lastHeard: T0 - DAY, presence: 'rf' }),
            ]);
            expect(n).to.equal(2);
            expect(m.findNodes('1111').map(x => x.num)).to.deep.equal([A]);
            const events = m.tick(T0 + MINUTE);
            expect(nodeEvents(events).map(e => [e.node.num, e.node.presence])).to.deep.equal([[B, 'offline']]);
            // A restored node heard again is not new.
            const again = m.ingest(decoded({ from: A, id: 1234 }), T0 + 2 * MINUTE);
            expect(nodeEvent(again, A)?.isNew).to.equal(false);
        });

        it('findNodes by name and by last 4 hex digits', () => {
            const m = meshModel();
            m.ingest(decoded({ from: 0xa1b2c3d4, payload: nodeinfo({ longName: 'Hilltop', shortName: 'HT' }) }), T0);
            m.ingest(decoded({ from: B, payload: nodeinfo({ longName: 'Kitchen', shortName: 'KI' }) }), T0);
            expect(m.findNodes('hill').map(n => n.num)).to.deep.equal([0xa1b2c3d4]);
            expect(m.findNodes('c3d4').map(n => n.num)).to.deep.equal([0xa1b2c3d4]);
            expect(m.findNodes('!22222222').map(n => n.num)).to.deep.equal([B]);
        });
    });
});
