import { expect } from 'chai';
import {
    decoded,
    gw,
    meshOptions,
    MINUTE,
    neighborinfo,
    nodeinfo,
    position,
    record,
    T0,
    telemetry,
    text,
} from '../../test-support/mesh-fixtures';
import { MeshModel } from '../mesh/model';
import type { ChannelRecord } from '../mesh/types';
import { TAB_ROW_COLUMNS, TabFeed, tabRow } from './feed';
import {
    A,
    B,
    C,
    D,
    EPOCH,
    GW1,
    GW2,
    Harness,
    OWN,
    hexOf,
    hexes,
    rowObject,
    rowsByHex,
    textMessage,
} from '../../test-support/tab-fixtures';

describe('tab: TabFeed', () => {
    describe('node rows', () => {
        /** A via GW1 with user, position, battery, neighbours; a late copy through GW2; B uplinks itself. */
        function populated(): Harness {
            const h = new Harness();
            const via = (id: number, now: number, spec: Parameters<typeof decoded>[0]): void => {
                h.ingest(decoded({ gateway: gw(GW1), ...spec, id }), now);
            };
            via(1, T0, { from: A, payload: nodeinfo() });
            via(2, T0 + 1, {
                from: A,
                payload: position({ latitude: 52.5200012345, longitude: 13.4049996, accuracyMeters: 12.6 }),
            });
            via(3, T0 + 2, { from: A, payload: telemetry('device', { batteryLevel: 87.4, voltage: 4.123 }) });
            const hops = { hopStart: 3, hopLimit: 1, rxSnr: 6.257, rxRssi: -90.4 };
            via(4, T0 + 3, {
                from: A,
                header: hops,
                payload: neighborinfo(A, [
                    { nodeId: B, snr: 5 },
                    { nodeId: 0xdeadbeef, snr: 1 },
                ]),
            });
            // The same packet through a second gateway: the gateway count rises, the first RF metrics stay.
            h.ingest(
                decoded({
                    from: A,
                    id: 4,
                    gateway: gw(GW2),
                    header: { ...hops, rxSnr: -1 },
                    payload: neighborinfo(A, []),
                }),
                T0 + 4,
            );
            h.self(B, T0 + 5, { id: 5 });
            return h;
        }

        it('answers the first poll in full, one row per node with the values in column order', () => {
            const h = populated();
            const poll = h.full();
            expect(poll).to.include({ epoch: EPOCH, full: true, total: 4 });
            expect(poll.columns).to.deep.equal([...TAB_ROW_COLUMNS]);
            expect(poll.removed).to.deep.equal([]);
            expect(hexes(poll)).to.deep.equal([A, B, GW1, GW2].map(hexOf).sort());
            const rows = rowsByHex(poll);
            expect(rows.get(hexOf(A))).to.deep.equal({
                hex: '11111111',
                num: A,
                longName: 'Alpha Station',
                shortName: 'ALP',
                hwModel: 'HELTEC_V3',
                role: 'CLIENT',
                presence: 'rf',
                lastHeard: T0 + 3,
                battery: 87,
                voltage: 4.12,
                snr: 6.26,
                rssi: -90,
                hops: 2,
                gateways: 2,
                viaMqtt: false,
                lat: 52.520001,
                lon: 13.405,
                accuracy: 13,
                neighbors: ['22222222', 'deadbeef'],
            });
            // B uplinked itself: MQTT-present, zero hops, nothing else known.
            expect(rows.get(hexOf(B))).to.deep.include({
                longName: '',
                shortName: '',
                hwModel: '',
                presence: 'mqtt',
                hops: 0,
                gateways: 1,
                battery: null,
                lat: null,
                lon: null,
                accuracy: null,
                neighbors: [],
            });
            // A gateway only seen as an envelope's uplinker has no radio data.
            expect(rows.get(hexOf(GW2))).to.deep.include({
                presence: 'mqtt',
                lastHeard: T0 + 4,
                snr: null,
                rssi: null,
                hops: null,
                gateways: null,
                viaMqtt: false,
            });
        });

        it('answers a poll with the returned revision with nothing', () => {
            const h = populated();
            const first = h.full();
            const second = h.feed.poll(first.rev, first.epoch);
            expect(second).to.deep.include({ full: false, rev: first.rev, total: 4 });
            expect(second.rows).to.deep.equal([]);
            expect(second.removed).to.deep.equal([]);
            expect(second.messages).to.deep.equal([]);
        });

        it('returns only the row of the node that changed', () => {
            const h = populated();
            const first = h.full();
            h.self(B, T0 + 10 * MINUTE, { id: 6, payload: nodeinfo({ longName: 'Bravo', shortName: 'BRV' }) });
            const delta = h.feed.poll(first.rev, EPOCH);
            expect(delta.full).to.equal(false);
            expect(delta.rev).to.be.greaterThan(first.rev);
            expect(hexes(delta)).to.deep.equal([hexOf(B)]);
            expect(rowObject(delta.rows[0])).to.include({
                longName: 'Bravo',
                shortName: 'BRV',
                lastHeard: T0 + 10 * MINUTE,
            });
            expect(h.feed.poll(delta.rev, EPOCH).rows).to.deep.equal([]);
        });

        it('returns the rows whose presence a tick changed', () => {
            const h = populated();
            const first = h.full();
            // B and the gateways uplink again; only A goes quiet long enough.
            h.self(B, T0 + 100 * MINUTE, { id: 7 });
            h.self(GW1, T0 + 100 * MINUTE, { id: 8 });
            h.self(GW2, T0 + 100 * MINUTE, { id: 9 });
            const beforeTick = h.feed.poll(first.rev, EPOCH);
            expect(hexes(beforeTick)).to.deep.equal([B, GW1, GW2].map(hexOf).sort());
            h.tick(T0 + 121 * MINUTE);
            const delta = h.feed.poll(beforeTick.rev, EPOCH);
            expect(hexes(delta)).to.deep.equal([hexOf(A)]);
            expect(rowObject(delta.rows[0]).presence).to.equal('offline');
        });

        it('lists nodes evicted at maxNodes as removed and drops their rows', () => {
            const h = new Harness({ maxNodes: 2 });
            h.self(A, T0, { id: 1 });
            h.self(B, T0 + 1, { id: 2 });
            const first = h.full();
            expect(hexes(first)).to.deep.equal([hexOf(A), hexOf(B)]);

            const events = h.self(C, T0 + 2, { id: 3 });
            expect(events.map(e => e.type)).to.include('nodeRemoved');
            const delta = h.feed.poll(first.rev, EPOCH);
            expect(delta.full).to.equal(false);
            expect(delta.removed).to.deep.equal([hexOf(A)]);
            expect(hexes(delta)).to.deep.equal([hexOf(C)]);
            expect(delta.total).to.equal(2);
            const full = h.full();
            expect(full.removed).to.deep.equal([]);
            expect(hexes(full)).to.deep.equal([hexOf(B), hexOf(C)]);

            // A is heard again (evicting B): it is a row again, no longer a removal.
            h.self(A, T0 + 3, { id: 4 });
            const again = h.feed.poll(first.rev, EPOCH);
            expect(again.removed).to.deep.equal([hexOf(B)]);
            expect(hexes(again)).to.deep.equal([hexOf(A), hexOf(C)]);
            expect(hexes(h.feed.poll(delta.rev, EPOCH))).to.deep.equal([hexOf(A)]);
        });

        it('answers in full for another epoch, a revision from the future or none', () => {
            const h = populated();
            const first = h.full();
            for (const [since, epoch] of [
                [first.rev, EPOCH + 1],
                [first.rev, 0],
                [first.rev + 1, EPOCH],
                [0, EPOCH],
                [-5, EPOCH],
            ]) {
                const poll = h.feed.poll(since, epoch);
                expect(poll.full, `since ${since} epoch ${epoch}`).to.equal(true);
                expect(poll.epoch).to.equal(EPOCH);
                expect(hexes(poll)).to.deep.equal(hexes(first));
                expect(poll.removed).to.deep.equal([]);
            }
        });

        it('uses the current time as the default epoch', () => {
            const before = Date.now();
            const feed = new TabFeed(new MeshModel(meshOptions(), []), { ownNodeNum: 0 });
            expect(feed.epoch).to.be.within(before, Date.now());
        });

        it('answers a client further behind than the remembered removals in full', () => {
            const h = new Harness({ maxNodes: 1 }, { maxRemovals: 2 });
            h.self(A, T0, { id: 1 });
            const old = h.full();
            h.self(B, T0 + 1, { id: 2 }); // removes A
            const recent = h.feed.poll(old.rev, EPOCH);
            expect(recent.removed).to.deep.equal([hexOf(A)]);
            h.self(C, T0 + 2, { id: 3 }); // removes B
            expect(h.feed.poll(old.rev, EPOCH).full, 'two removals are remembered').to.equal(false);
            h.self(D, T0 + 3, { id: 4 }); // removes C; the removal of A is forgotten

            const behind = h.feed.poll(old.rev, EPOCH);
            expect(behind.full).to.equal(true);
            expect(hexes(behind)).to.deep.equal([hexOf(D)]);
            expect(behind.removed).to.deep.equal([]);
            // A client that saw the removal of A still gets a delta.
            const delta = h.feed.poll(recent.rev, EPOCH);
            expect(delta.full).to.equal(false);
            expect(delta.removed).to.deep.equal([hexOf(B), hexOf(C)]);
            expect(hexes(delta)).to.deep.equal([hexOf(D)]);
        });

        it('builds a row of a bare record with empty defaults', () => {
            const row = rowObject(tabRow(record(A, { lastHeard: T0 + 5, presence: 'offline' })));
            expect(row).to.deep.equal({
                hex: '11111111',
                num: A,
                longName: '',
                shortName: '',
                hwModel: '',
                role: '',
                presence: 'offline',
                lastHeard: T0 + 5,
                battery: null,
                voltage: null,
                snr: null,
                rssi: null,
                hops: null,
                gateways: null,
                viaMqtt: false,
                lat: null,
                lon: null,
                accuracy: null,
                neighbors: [],
            });
        });
    });

    describe('seed', () => {
        it('takes over all restored nodes, channel histories and DM histories, oldest first', () => {
            const model = new MeshModel(meshOptions({ ownNodeNum: OWN }), ['LongFast', 'Private']);
            const dmToUs = textMessage({ id: 11, from: A, to: OWN, direct: true, channel: 'PKI', time: T0 + 20 });
            const dmBetween = textMessage({ id: 12, from: B, to: C, direct: true, time: T0 + 5 });
            const onChannel = textMessage({ id: 13, from: A, text: 'on LongFast', time: T0 + 10 });
            const onPrivate = textMessage({ id: 14, from: B, channel: 'Private', text: 'on Private', time: T0 + 1 });
            expect(
                model.restore([
                    // A node's history also holds its channel texts: those come from the channel histories.
                    record(A, { history: [onChannel, dmToUs], lastHeard: T0 + 20 }),
                    record(B, { history: [onPrivate, dmBetween], lastHeard: T0 + 5 }),
                    record(C, { lastHeard: T0 }),
                ]),
            ).to.equal(3);
            const channels: ChannelRecord[] = [
                { name: 'LongFast', history: [onChannel] },
                { name: 'Private', history: [onPrivate] },
            ];
            const feed = new TabFeed(model, { ownNodeNum: OWN, epoch: EPOCH });
            feed.seed(channels);

            const poll = feed.poll(0, EPOCH);
            expect(poll.total).to.equal(3);
            expect(hexes(poll)).to.deep.equal([A, B, C].map(hexOf));
            expect(poll.messages.map(m => [m.key, m.conversation, m.text])).to.deep.equal([
                [`r:${B}:14`, 'channel:Private', 'on Private'],
                [`r:${B}:12`, 'dm:22222222', 'hi'],
                [`r:${A}:13`, 'channel:LongFast', 'on LongFast'],
                [`r:${A}:11`, 'dm:11111111', 'hi'],
            ]);
            expect(feed.poll(poll.rev, EPOCH).rows).to.deep.equal([]);
        });

        it('restores channel texts from the senders after a restart, when the channel records are empty', () => {
            const model = new MeshModel(meshOptions({ ownNodeNum: OWN }), ['LongFast']);
            const onChannel = textMessage({ id: 21, from: A, text: 'before the restart', time: T0 + 10 });
            model.restore([record(A, { history: [onChannel], lastHeard: T0 + 10 })]);
            const feed = new TabFeed(model, { ownNodeNum: OWN, epoch: EPOCH });
            // What main.ts hands over right after the restore: channel records without history.
            feed.seed(model.channels());
            expect(feed.poll(0, EPOCH).messages.map(m => [m.conversation, m.text])).to.deep.equal([
                ['channel:LongFast', 'before the restart'],
            ]);
        });

        it('starts the telemetry series with the restored values', () => {
            const model = new MeshModel(meshOptions(), ['LongFast']);
            model.restore([record(A, { telemetry: { device: { batteryLevel: 77 } }, lastHeard: T0 + 3 })]);
            const feed = new TabFeed(model, { ownNodeNum: 0, epoch: EPOCH });
            feed.seed(model.channels());
            expect(feed.seriesOf(A)).to.deep.equal({ 'device.batteryLevel': [[T0 + 3, 77]] });
        });

        it('takes over what a live model holds, then follows it', () => {
            const h = new Harness();
            h.ingest(decoded({ from: A, id: 1, payload: text('one') }), T0);
            h.ingest(decoded({ from: B, id: 2, to: A, payload: text('two') }), T0 + 1);
            const feed = new TabFeed(h.model, { ownNodeNum: 0, epoch: EPOCH + 1 });
            feed.seed(h.model.channels());
            const seeded = feed.poll(0, 0);
            expect(hexes(seeded)).to.deep.equal(hexes(h.full()));
            expect(seeded.messages.map(m => m.text)).to.deep.equal(['one', 'two']);
            feed.apply(h.model.ingest(decoded({ from: C, id: 3, gateway: gw(C) }), T0 + 2));
            expect(hexes(feed.poll(seeded.rev, seeded.epoch))).to.deep.equal([hexOf(C)]);
        });
    });
});
