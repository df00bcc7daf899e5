import { expect } from 'chai';
import {
    BROADCAST,
    DAY,
    decoded,
    gw,
    mapReportPacket,
    meshOptions,
    MINUTE,
    neighborinfo,
    nodeEvent,
    nodeEvents,
    nodeinfo,
    opaque,
    position,
    record,
    removals,
    sectionsOf,
    T0,
    telemetry,
    text,
} from '../../test-support/mesh-fixtures';
import { MAX_UNKNOWN_CHANNELS, MeshModel, precisionRadiusMeters } from './model';
import type { MeshEvent, MeshOptions } from './types';

const A = 0x11111111;
const B = 0x22222222;
const GW1 = 0x0a0a0a0a;
const GW2 = 0x0b0b0b0b;
const OWN = 0x0c0c0c0c;

function model(overrides: Partial<MeshOptions> = {}, channels = ['LongFast']): MeshModel {
    return new MeshModel(meshOptions(overrides), channels);
}

function ofType<T extends MeshEvent['type']>(events: MeshEvent[], type: T): Extract<MeshEvent, { type: T }>[] {
    return events.filter((e): e is Extract<MeshEvent, { type: T }> => e.type === type);
}

describe('mesh: MeshModel', () => {
    describe('nodes and gateways', () => {
        it('creates the sender on its first packet and the gateway as an MQTT-present node', () => {
            const m = model();
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
            const m = model();
            // The gateway uplinks its own nodeinfo: sender == gateway, one event.
            const events = m.ingest(decoded({ from: GW1, gateway: gw(GW1), payload: nodeinfo() }), T0);
            expect(nodeEvents(events)).to.have.length(1);
            expect(sectionsOf(events, GW1)).to.deep.equal(['info', 'radio', 'status']);
            expect(nodeEvent(events, GW1)!.node.radio?.hopsAway).to.equal(0);
            expect(nodeEvent(events, GW1)!.node.presence).to.equal('mqtt');
        });

        it('computes hopsAway per the spec rule', () => {
            const m = model();
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
            const m = model();
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
            const m = model();
            expect(m.ingest(decoded({ from: 0 }), T0)).to.deep.equal([]);
            expect(m.ingest(decoded({ from: BROADCAST }), T0)).to.deep.equal([]);
            expect(m.stats()).to.include({ received: 2, invalid: 2, decoded: 0 });
            expect(m.nodeCount()).to.equal(0);
        });

        it('ignores malformed gateway ids for the gateway node but still takes the packet', () => {
            const m = model();
            m.ingest(decoded({ from: A, gateway: 'not-a-node' }), T0);
            expect(m.nodeCount()).to.equal(1);
            expect(m.node(A)?.radio?.gateway).to.equal('not-a-node');
        });
    });

    describe('dedup across gateways', () => {
        it('counts duplicates, updates gatewayCount and keeps the first RF reception metrics', () => {
            const m = model();
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
            const m = model();
            m.ingest(decoded({ from: A, id: 5, gateway: gw(GW1) }), T0);
            const again = m.ingest(decoded({ from: A, id: 5, gateway: gw(GW1) }), T0 + 10);
            expect(nodeEvent(again, A)).to.equal(undefined);
            expect(m.stats().duplicates).to.equal(1);
        });

        it('does not let a late duplicate of an older packet overwrite the radio of the newer one', () => {
            const m = model();
            m.ingest(decoded({ from: A, id: 1, gateway: gw(GW1) }), T0);
            m.ingest(decoded({ from: A, id: 2, gateway: gw(GW1) }), T0 + 10);
            const late = m.ingest(decoded({ from: A, id: 1, gateway: gw(GW2) }), T0 + 20);
            expect(nodeEvent(late, A)).to.equal(undefined);
            expect(m.node(A)?.radio?.gatewayCount).to.equal(1);
        });

        it('treats a packet after the window as new', () => {
            const m = model({ dedupWindowMs: MINUTE });
            m.ingest(decoded({ from: A, id: 5 }), T0);
            m.ingest(decoded({ from: A, id: 5 }), T0 + 2 * MINUTE);
            expect(m.node(A)?.packets).to.equal(2);
            expect(m.stats().duplicates).to.equal(0);
        });
    });

    describe('presence', () => {
        it('moves mqtt → rf → offline through tick', () => {
            const m = model({ offlineMinutes: 60 });
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
            const m = model();
            const packet = mapReportPacket(B);
            packet.gatewayId = gw(GW1); // relayed report, gateway differs from sender
            m.ingest(packet, T0);
            expect(m.node(B)).to.include({ lastMqtt: T0, presence: 'mqtt' });
        });
    });

    describe('bounds', () => {
        it('evicts the least recently heard node at maxNodes and emits nodeRemoved', () => {
            const m = model({ maxNodes: 3 });
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
            const m = model({ maxNodes: 1 });
            const events = m.ingest(decoded({ from: A, gateway: gw(GW1) }), T0);
            expect(removals(events)).to.deep.equal([]);
            expect(nodeEvents(events).map(e => e.node.num)).to.deep.equal([A]);
            expect(m.nodeCount()).to.equal(1);
        });

        it('purges nodes unheard for purgeDays', () => {
            const m = model({ purgeDays: 2 });
            m.ingest(decoded({ from: A, gateway: 'x' }), T0);
            m.ingest(decoded({ from: B, gateway: 'x' }), T0 + DAY);
            const events = m.purge(T0 + 2 * DAY + 1);
            expect(events).to.deep.equal([{ type: 'nodeRemoved', num: A, hex: '11111111', reason: 'purge' }]);
            expect(m.node(A)).to.equal(undefined);
            expect(m.node(B)).to.not.equal(undefined);
            expect(model({ purgeDays: 0 }).purge(T0 + 1000 * DAY)).to.deep.equal([]);
        });

        it('bounds node and channel histories', () => {
            const m = model({ historySize: 3 });
            for (let i = 1; i <= 10; i++) {
                m.ingest(decoded({ from: A, id: i, payload: text(`hello ${i}`) }), T0 + i);
            }
            expect(m.node(A)?.history.map(t => t.text)).to.deep.equal(['hello 8', 'hello 9', 'hello 10']);
            const channel = m.channels().find(c => c.name === 'LongFast')!;
            expect(channel.history).to.have.length(3);
            expect(channel.lastMessage?.text).to.equal('hello 10');
        });

        it('bounds channels named by packets', () => {
            const m = model();
            for (let i = 0; i < 100; i++) {
                m.ingest(decoded({ from: A, id: i + 1, channelName: `ch${i}`, payload: text('x') }), T0 + i);
            }
            expect(m.channels().length).to.be.at.most(1 + 32);
            expect(m.channels()[0].name).to.equal('LongFast');
        });
    });

    describe('filters', () => {
        it('drops senders outside a non-empty allow-list (and does not create them as gateways)', () => {
            const m = model({ allowList: new Set([A]) });
            m.ingest(decoded({ from: B, gateway: gw(GW1) }), T0);
            m.ingest(decoded({ from: A, gateway: gw(GW1) }), T0);
            expect(m.stats().filtered).to.equal(1);
            expect([...m.nodes()].map(n => n.num)).to.deep.equal([A]);
        });

        it('drops packets with known hopsAway above maxHops, keeps unknown hops', () => {
            const m = model({ maxHops: 2 });
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
            const m = model({ ownNodeNum: OWN });
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

    describe('payloads', () => {
        it('nodeinfo sets user info, keeps the id from `from` and encodes the public key', () => {
            const m = model();
            const key = new Uint8Array(32).fill(7);
            const events = m.ingest(
                decoded({ from: A, payload: nodeinfo({ id: '!deadbeef', publicKey: key, role: 'ROUTER' }) }),
                T0,
            );
            expect(sectionsOf(events, A)).to.include('info');
            const node = m.node(A)!;
            expect(node.id).to.equal('!11111111');
            expect(node.user).to.deep.equal({
                longName: 'Alpha Station',
                shortName: 'ALP',
                hwModel: 'HELTEC_V3',
                role: 'ROUTER',
                isLicensed: false,
                isUnmessagable: false,
                publicKey: Buffer.from(key).toString('base64'),
            });
            expect(m.node(0xdeadbeef)).to.equal(undefined);
            // The same nodeinfo again changes nothing but status.
            const again = m.ingest(
                decoded({ from: A, id: 2, payload: nodeinfo({ publicKey: key, role: 'ROUTER' }) }),
                T0 + 1,
            );
            expect(sectionsOf(again, A)).to.deep.equal(['status']);
        });

        it('sanitises hostile names and caps their length', () => {
            const m = model();
            m.ingest(
                decoded({
                    from: A,
                    payload: nodeinfo({
                        longName: `\u0000\u0000Evil\u202e\n<script>${'x'.repeat(500)}\u0000\u0000`,
                        shortName: '\u0007🦄🦄🦄🦄🦄🦄🦄🦄🦄🦄',
                        hwModel: 'A'.repeat(100),
                    }),
                }),
                T0,
            );
            const user = m.node(A)!.user!;
            expect(user.longName.startsWith('Evil <script>')).to.equal(true);
            expect([...user.longName]).to.have.length(40);
            expect([...user.longName].some(c => c.charCodeAt(0) < 0x20 || c === '\u202e')).to.equal(false);
            expect(user.shortName).to.equal('🦄'.repeat(8));
            expect(user.hwModel).to.have.length(32);
            expect(m.node(A)!.id).to.equal('!11111111');
        });

        it('position: stores a fix, ignores packets without one', () => {
            const m = model();
            m.ingest(decoded({ from: A, id: 1, payload: position({ precisionBits: 13, accuracyMeters: 2918 }) }), T0);
            expect(m.node(A)?.position).to.deep.equal({
                latitude: 52.52,
                longitude: 13.405,
                altitude: 34,
                precisionBits: 13,
                accuracyMeters: 2918,
            });
            const noFix = m.ingest(
                decoded({ from: A, id: 2, payload: position({ latitude: undefined, longitude: undefined }) }),
                T0 + 1,
            );
            expect(sectionsOf(noFix, A)).to.not.include('position');
            expect(m.node(A)?.position?.latitude).to.equal(52.52);
        });

        it('telemetry merges only the metrics present and flags only that variant', () => {
            const m = model();
            m.ingest(decoded({ from: A, id: 1, payload: telemetry('device', { batteryLevel: 90, voltage: 4.1 }) }), T0);
            const second = m.ingest(
                decoded({ from: A, id: 2, payload: telemetry('device', { voltage: 4.0, uptimeSeconds: 100 }) }),
                T0 + 1,
            );
            expect(sectionsOf(second, A)).to.deep.equal(['status', 'telemetry.device']);
            expect(m.node(A)?.telemetry.device).to.deep.equal({ batteryLevel: 90, voltage: 4.0, uptimeSeconds: 100 });
            const env = m.ingest(
                decoded({ from: A, id: 3, payload: telemetry('environment', { temperature: 21.5 }) }),
                T0 + 2,
            );
            expect(sectionsOf(env, A)).to.deep.equal(['status', 'telemetry.environment']);
            const same = m.ingest(
                decoded({ from: A, id: 4, payload: telemetry('environment', { temperature: 21.5 }) }),
                T0 + 3,
            );
            expect(sectionsOf(same, A)).to.deep.equal(['status']);
            const odd = m.ingest(
                decoded({ from: A, id: 5, payload: telemetry('power', { ch1Voltage: Number.NaN, __proto__x: 1 }) }),
                T0 + 4,
            );
            expect(sectionsOf(odd, A)).to.deep.equal(['status']);
            expect(m.node(A)?.telemetry.power).to.equal(undefined);
        });

        it('neighborinfo stores neighbours with !hex ids', () => {
            const m = model();
            const events = m.ingest(
                decoded({ from: A, to: 1, payload: neighborinfo(A, [{ nodeId: B, snr: 6.25 }]) }),
                T0,
            );
            expect(sectionsOf(events, A)).to.include('neighbors');
            expect(m.node(A)?.neighbors).to.deep.equal([{ nodeId: B, id: '!22222222', snr: 6.25 }]);
        });

        it('a map report fills info, position and MQTT presence', () => {
            const m = model();
            const events = m.ingest(mapReportPacket(GW1), T0);
            expect(sectionsOf(events, GW1)).to.deep.equal(['info', 'position', 'radio', 'status']);
            const node = m.node(GW1)!;
            expect(node.user).to.deep.include({
                longName: 'Gateway Roof',
                shortName: 'GWR',
                role: 'CLIENT_MUTE',
                hwModel: 'RAK4631',
            });
            expect(node).to.include({
                firmware: '2.7.15.567b8ea',
                region: 'EU_868',
                modemPreset: 'LONG_FAST',
                numOnlineLocalNodes: 23,
                presence: 'mqtt',
            });
            expect(node.position).to.deep.equal({
                latitude: 48.1,
                longitude: 11.6,
                altitude: 520,
                precisionBits: 14,
                accuracyMeters: 1459,
            });
            // Map reports (id 0) are never deduped.
            m.ingest(mapReportPacket(GW1, { numOnlineLocalNodes: 24 }), T0 + 1);
            expect(m.node(GW1)?.numOnlineLocalNodes).to.equal(24);
            expect(m.stats().duplicates).to.equal(0);
        });

        it('a map report keeps the public key learnt from nodeinfo', () => {
            const m = model();
            const key = new Uint8Array(32).fill(1);
            m.ingest(decoded({ from: GW1, gateway: gw(GW1), payload: nodeinfo({ publicKey: key }) }), T0);
            m.ingest(mapReportPacket(GW1), T0 + 1);
            expect(m.node(GW1)?.user?.publicKey).to.equal(Buffer.from(key).toString('base64'));
            expect(m.node(GW1)?.user?.longName).to.equal('Gateway Roof');
        });

        it('precision radius follows the spec table', () => {
            expect(precisionRadiusMeters(32)).to.equal(0);
            expect(precisionRadiusMeters(14)).to.equal(1459);
            expect(precisionRadiusMeters(13)).to.equal(2918);
        });
    });

    describe('text messages', () => {
        it('a broadcast goes to the channel record and the sender history', () => {
            const m = model();
            m.ingest(decoded({ from: A, id: 1, payload: nodeinfo({ longName: 'Alice' }) }), T0);
            const events = m.ingest(
                decoded({
                    from: A,
                    id: 2,
                    gateway: gw(GW1),
                    payload: text('hi all'),
                    header: { rxSnr: 4, rxRssi: -70, hopStart: 3, hopLimit: 1 },
                    data: { replyId: 77, emoji: 0 },
                }),
                T0 + 5,
            );
            const [channelEvent] = ofType(events, 'channelMessage');
            expect(channelEvent.channel.name).to.equal('LongFast');
            expect(channelEvent.message).to.deep.equal({
                id: 2,
                from: A,
                fromId: '!11111111',
                fromName: 'Alice',
                to: BROADCAST,
                channel: 'LongFast',
                text: 'hi all',
                time: T0 + 5,
                direct: false,
                gateway: gw(GW1),
                rxSnr: 4,
                rxRssi: -70,
                hopsAway: 2,
                viaMqtt: false,
                replyId: 77,
                encryption: 'channel',
            });
            expect(ofType(events, 'directMessage')).to.have.length(0);
            expect(sectionsOf(events, A)).to.include('messages');
            expect(m.node(A)?.lastText?.text).to.equal('hi all');
            // Node event first, message after it.
            expect(events.findIndex(e => e.type === 'node')).to.be.lessThan(
                events.findIndex(e => e.type === 'channelMessage'),
            );
        });

        it('a DM stays on the sender node and emits directMessage', () => {
            const m = model({ ownNodeNum: OWN });
            const events = m.ingest(
                decoded({ from: A, to: OWN, encryption: 'pki', channelName: 'PKI', payload: text('psst') }),
                T0,
            );
            const [dm] = ofType(events, 'directMessage');
            expect(dm.message).to.deep.include({
                direct: true,
                to: OWN,
                channel: 'PKI',
                encryption: 'pki',
                fromName: '!11111111',
            });
            expect(ofType(events, 'channelMessage')).to.have.length(0);
            expect(m.node(A)?.history).to.have.length(1);
            expect(m.node(OWN)).to.equal(undefined);
            expect(m.channels().every(c => c.history.length === 0)).to.equal(true);
        });

        it('treats to=1 (MQTT-only broadcast) as a broadcast', () => {
            const m = model();
            const events = m.ingest(decoded({ from: A, to: 1, payload: text('x') }), T0);
            expect(ofType(events, 'channelMessage')).to.have.length(1);
        });

        it('a duplicate text is delivered once', () => {
            const m = model();
            m.ingest(decoded({ from: A, id: 9, gateway: gw(GW1), payload: text('once') }), T0);
            const dup = m.ingest(decoded({ from: A, id: 9, gateway: gw(GW2), payload: text('once') }), T0 + 1);
            expect(ofType(dup, 'channelMessage')).to.have.length(0);
            expect(m.channels()[0].history).to.have.length(1);
        });

        it('strips control characters from text but keeps newlines', () => {
            const m = model();
            m.ingest(decoded({ from: A, payload: text('line1\nline2\u0000\u202e') }), T0);
            expect(m.node(A)?.lastText?.text).to.equal('line1\nline2');
        });
    });

    describe('opaque packets', () => {
        it('updates the sender and gateway and records an unknown channel, logged once', () => {
            const m = model();
            const first = m.ingestOpaque(
                opaque({
                    from: A,
                    id: 1,
                    channelId: 'Secret',
                    gateway: gw(GW1),
                    header: { channel: 0x2f, rxSnr: 3, rxRssi: -90 },
                }),
                T0,
            );
            const [u1] = ofType(first, 'unknownChannel');
            expect(u1.firstSeen).to.equal(true);
            expect(u1.record).to.deep.equal({
                channelId: 'Secret',
                channelHash: 0x2f,
                packets: 1,
                lastGateway: gw(GW1),
                lastSeen: T0,
            });
            expect(nodeEvent(first, A)?.node.radio).to.deep.include({ snr: 3, rssi: -90 });
            expect(nodeEvent(first, GW1)?.node.presence).to.equal('mqtt');

            const second = m.ingestOpaque(
                opaque({ from: B, id: 1, channelId: 'Secret', header: { channel: 0x2f } }),
                T0 + 1,
            );
            const [u2] = ofType(second, 'unknownChannel');
            expect(u2.firstSeen).to.equal(false);
            expect(u2.record.packets).to.equal(2);

            // The same packet through another gateway: a duplicate, not another unknown-channel packet.
            const dup = m.ingestOpaque(
                opaque({ from: B, id: 1, channelId: 'Secret', gateway: gw(GW2), header: { channel: 0x2f } }),
                T0 + 2,
            );
            expect(ofType(dup, 'unknownChannel')).to.have.length(0);

            m.ingestOpaque(opaque({ from: B, id: 2, channelId: 'Secret', header: { channel: 0x30 } }), T0 + 3);
            expect(m.stats()).to.include({
                received: 4,
                undecryptable: 4,
                duplicates: 1,
                unknownChannels: 2,
                decoded: 0,
            });
            expect(m.unknownChannels().map(u => u.channelHash)).to.deep.equal([0x2f, 0x30]);
        });

        it('PKI packets update the sender without recording a channel', () => {
            const m = model();
            const events = m.ingestOpaque(opaque({ from: A, to: B, channelId: 'PKI', reason: 'pki' }), T0);
            expect(ofType(events, 'unknownChannel')).to.have.length(0);
            expect(m.node(A)).to.include({ packets: 1, lastHeard: T0 });
            expect(m.node(B)).to.equal(undefined);
            expect(m.stats()).to.include({ undecryptable: 1, unknownChannels: 0 });
        });

        it('bounds the unknown-channel map', () => {
            const m = model();
            for (let i = 0; i < 600; i++) {
                m.ingestOpaque(
                    opaque({ from: A, id: i + 1, channelId: `c${i}`, header: { channel: i & 0xff } }),
                    T0 + i,
                );
            }
            expect(m.unknownChannels()).to.have.length(MAX_UNKNOWN_CHANNELS);
            expect(m.stats().unknownChannels).to.equal(MAX_UNKNOWN_CHANNELS);
        });
    });

    describe('counters and restore', () => {
        it('counters are a partition: received = decoded + undecryptable + invalid + ignored', () => {
            const m = model();
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
            const m = model({ offlineMinutes: 60 });
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
            const m = model();
            m.ingest(decoded({ from: 0xa1b2c3d4, payload: nodeinfo({ longName: 'Hilltop', shortName: 'HT' }) }), T0);
            m.ingest(decoded({ from: B, payload: nodeinfo({ longName: 'Kitchen', shortName: 'KI' }) }), T0);
            expect(m.findNodes('hill').map(n => n.num)).to.deep.equal([0xa1b2c3d4]);
            expect(m.findNodes('c3d4').map(n => n.num)).to.deep.equal([0xa1b2c3d4]);
            expect(m.findNodes('!22222222').map(n => n.num)).to.deep.equal([B]);
        });
    });
});
