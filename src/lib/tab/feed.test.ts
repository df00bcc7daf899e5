import { expect } from 'chai';
import fc from 'fast-check';
import type { MeshPayload } from '../codec/types';
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
import type { ChannelRecord, MeshEvent, MeshOptions, TextMessage } from '../mesh/types';
import type { SendState, SendStatus } from '../send/types';
import {
    MAX_SERIES_METRICS,
    TAB_ROW_COLUMNS,
    TabFeed,
    tabRow,
    type TabFeedOptions,
    type TabPoll,
    type TabRow,
} from './feed';

const A = 0x11111111;
const B = 0x22222222;
const C = 0x33333333;
const D = 0x44444444;
const GW1 = 0x0a0a0a0a;
const GW2 = 0x0b0b0b0b;
const OWN = 0x0c0c0c0c;
const EPOCH = 1_000;

type Column = (typeof TAB_ROW_COLUMNS)[number];
type RowObject = Record<Column, TabRow[number]>;

function rowObject(row: TabRow): RowObject {
    expect(row).to.have.length(TAB_ROW_COLUMNS.length);
    return Object.fromEntries(TAB_ROW_COLUMNS.map((column, i) => [column, row[i]])) as RowObject;
}

function rowsByHex(poll: TabPoll): Map<string, RowObject> {
    return new Map(poll.rows.map(row => [row[0] as string, rowObject(row)]));
}

function hexes(poll: TabPoll): string[] {
    return poll.rows.map(row => row[0] as string).sort();
}

function hexOf(num: number): string {
    return gw(num).slice(1);
}

/** A real mesh model with its feed: every ingest/tick goes through the model and its events into the feed. */
class Harness {
    readonly model: MeshModel;
    readonly feed: TabFeed;

    constructor(mesh: Partial<MeshOptions> = {}, feed: Partial<TabFeedOptions> = {}, channels = ['LongFast']) {
        this.model = new MeshModel(meshOptions(mesh), channels);
        this.feed = new TabFeed(this.model, { ownNodeNum: 0, epoch: EPOCH, ...feed });
    }

    ingest(packet: Parameters<MeshModel['ingest']>[0], now: number): MeshEvent[] {
        const events = this.model.ingest(packet, now);
        this.feed.apply(events);
        return events;
    }

    tick(now: number): MeshEvent[] {
        const events = this.model.tick(now);
        this.feed.apply(events);
        return events;
    }

    /** A packet the node uplinks itself (it is its own gateway): only this node changes. */
    self(from: number, now: number, spec: Omit<Parameters<typeof decoded>[0], 'from' | 'gateway'> = {}): MeshEvent[] {
        return this.ingest(decoded({ ...spec, from, gateway: gw(from) }), now);
    }

    full(): TabPoll {
        return this.feed.poll(0, EPOCH);
    }
}

function status(overrides: Partial<SendStatus>): SendStatus {
    return {
        id: 42,
        to: 'broadcast',
        channel: 'LongFast',
        status: 'queued',
        text: 'hello mesh',
        time: T0,
        ...overrides,
    };
}

function textMessage(overrides: Partial<TextMessage>): TextMessage {
    const from = overrides.from ?? A;
    return {
        id: 1,
        from,
        fromId: gw(from),
        fromName: gw(from),
        to: 0xffffffff,
        channel: 'LongFast',
        text: 'hi',
        time: T0,
        direct: false,
        gateway: gw(GW1),
        viaMqtt: false,
        encryption: 'channel',
        ...overrides,
    };
}

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

    describe('chat messages', () => {
        it('files channel texts under the channel, once per poll', () => {
            const h = new Harness();
            const start = h.full();
            h.ingest(decoded({ from: A, id: 1, payload: nodeinfo() }), T0);
            h.ingest(
                decoded({
                    from: A,
                    id: 77,
                    gateway: gw(GW1),
                    header: { hopStart: 3, hopLimit: 2, rxSnr: 4.5, rxRssi: -100 },
                    payload: text('Hello channel'),
                }),
                T0 + 10,
            );
            const delta = h.feed.poll(start.rev, EPOCH);
            expect(delta.messages).to.have.length(1);
            expect(delta.messages[0]).to.deep.equal({
                key: `r:${A}:77`,
                conversation: 'channel:LongFast',
                fromHex: '11111111',
                fromName: 'Alpha Station',
                to: 'broadcast',
                channel: 'LongFast',
                text: 'Hello channel',
                time: T0 + 10,
                own: false,
                viaMqtt: false,
                gateway: gw(GW1),
                encryption: 'channel',
                rxSnr: 4.5,
                hopsAway: 1,
            });
            expect(h.feed.poll(delta.rev, EPOCH).messages).to.deep.equal([]);
            expect(h.full().messages.map(m => m.key)).to.deep.equal([`r:${A}:77`]);
        });

        it('files DMs to our node under the sender', () => {
            const h = new Harness({ ownNodeNum: OWN }, { ownNodeNum: OWN });
            h.ingest(
                decoded({ from: A, id: 5, to: OWN, encryption: 'pki', channelName: 'PKI', payload: text('psst') }),
                T0,
            );
            const [message] = h.full().messages;
            expect(message).to.deep.include({
                key: `r:${A}:5`,
                conversation: 'dm:11111111',
                fromHex: '11111111',
                to: '!0c0c0c0c',
                channel: 'PKI',
                text: 'psst',
                own: false,
                encryption: 'pki',
            });
        });

        it('files DMs from our node under the receiver', () => {
            // The model never hands out our own packets; the feed still files such a record under the peer.
            const h = new Harness({}, { ownNodeNum: OWN });
            h.feed.apply([
                {
                    type: 'directMessage',
                    message: textMessage({ id: 9, from: OWN, to: B, direct: true, channel: 'PKI' }),
                },
            ]);
            expect(h.full().messages[0]).to.deep.include({
                conversation: 'dm:22222222',
                fromHex: '0c0c0c0c',
                to: '!22222222',
            });
        });

        it('files DMs between two other nodes under the sender', () => {
            const h = new Harness({ ownNodeNum: OWN }, { ownNodeNum: OWN });
            h.ingest(decoded({ from: A, id: 6, to: B, payload: text('not for us') }), T0);
            expect(h.full().messages[0]).to.deep.include({ conversation: 'dm:11111111', to: '!22222222' });
        });

        it('updates one entry through queued, sent and acked, keeping its first time', () => {
            const h = new Harness({}, { ownNodeNum: OWN });
            h.feed.onSendStatus(status({ id: 42, to: '!22222222', channel: 'PKI', status: 'queued', time: T0 }));
            const queued = h.full();
            expect(queued.messages).to.deep.equal([
                {
                    key: 's:42',
                    conversation: 'dm:22222222',
                    fromHex: '0c0c0c0c',
                    fromName: '',
                    to: '!22222222',
                    channel: 'PKI',
                    text: 'hello mesh',
                    time: T0,
                    own: true,
                    status: 'queued',
                },
            ]);
            h.feed.onSendStatus(status({ id: 42, to: '!22222222', channel: 'PKI', status: 'sent', time: T0 + 100 }));
            const sent = h.feed.poll(queued.rev, EPOCH);
            expect(sent.messages).to.have.length(1);
            expect(sent.messages[0]).to.deep.include({ key: 's:42', status: 'sent', time: T0 });
            h.feed.onSendStatus(status({ id: 42, to: '!22222222', channel: 'PKI', status: 'acked', time: T0 + 900 }));
            const acked = h.feed.poll(sent.rev, EPOCH);
            expect(acked.messages).to.have.length(1);
            expect(acked.messages[0]).to.deep.include({ key: 's:42', status: 'acked', time: T0 });
            expect(acked.messages[0]).to.not.have.property('error');
            expect(h.feed.messageCount()).to.equal(1);
            expect(h.full().messages.map(m => [m.key, m.status])).to.deep.equal([['s:42', 'acked']]);
        });

        it('shows a failed send with its error, under the channel for a broadcast', () => {
            const h = new Harness({}, { ownNodeNum: OWN });
            h.feed.onSendStatus(status({ id: 43, status: 'queued', time: T0 }));
            h.feed.onSendStatus(status({ id: 43, status: 'failed', error: 'not connected', time: T0 + 5 }));
            expect(h.full().messages).to.deep.equal([
                {
                    key: 's:43',
                    conversation: 'channel:LongFast',
                    fromHex: '0c0c0c0c',
                    fromName: '',
                    to: 'broadcast',
                    channel: 'LongFast',
                    text: 'hello mesh',
                    time: T0,
                    own: true,
                    status: 'failed',
                    error: 'not connected',
                },
            ]);
        });

        it('keeps rejected sends without a packet id apart', () => {
            const h = new Harness();
            h.feed.onSendStatus(status({ id: 0, status: 'failed', error: 'text is empty', time: T0 }));
            h.feed.onSendStatus(status({ id: 0, status: 'failed', error: 'text is empty', time: T0 }));
            const messages = h.full().messages;
            expect(messages).to.have.length(2);
            expect(new Set(messages.map(m => m.key)).size).to.equal(2);
            expect(messages.every(m => m.fromHex === '' && m.own)).to.equal(true);
        });

        it('puts received and sent DMs with one peer into one conversation', () => {
            const h = new Harness({ ownNodeNum: OWN }, { ownNodeNum: OWN });
            h.ingest(decoded({ from: B, id: 3, to: OWN, payload: text('ping') }), T0);
            h.feed.onSendStatus(status({ id: 44, to: '!22222222', channel: 'LongFast', text: 'pong', time: T0 + 1 }));
            expect(h.full().messages.map(m => m.conversation)).to.deep.equal(['dm:22222222', 'dm:22222222']);
        });

        it('keeps at most maxMessages entries, dropping the oldest', () => {
            const h = new Harness({}, { maxMessages: 3 });
            for (let id = 1; id <= 5; id++) {
                h.ingest(decoded({ from: A, id, payload: text(`message ${id}`) }), T0 + id);
            }
            expect(h.feed.messageCount()).to.equal(3);
            expect(h.full().messages.map(m => m.text)).to.deep.equal(['message 3', 'message 4', 'message 5']);
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

    describe('telemetry series', () => {
        it('adds a point per metric for each device telemetry report', () => {
            const h = new Harness();
            h.self(A, T0, { id: 1, payload: telemetry('device', { batteryLevel: 90, voltage: 4.1 }) });
            h.self(A, T0 + MINUTE, { id: 2, payload: telemetry('device', { batteryLevel: 89, voltage: 4.05 }) });
            h.self(A, T0 + 2 * MINUTE, { id: 3, payload: telemetry('device', { batteryLevel: 88, voltage: 4.0 }) });
            h.self(A, T0 + 3 * MINUTE, { id: 4, payload: text('no telemetry') });
            expect(h.feed.seriesOf(A)).to.deep.equal({
                'device.batteryLevel': [
                    [T0, 90],
                    [T0 + MINUTE, 89],
                    [T0 + 2 * MINUTE, 88],
                ],
                'device.voltage': [
                    [T0, 4.1],
                    [T0 + MINUTE, 4.05],
                    [T0 + 2 * MINUTE, 4.0],
                ],
            });
            expect(h.feed.seriesOf(B)).to.deep.equal({});
        });

        it('keeps series per variant and repeats known metrics a report left out', () => {
            const h = new Harness();
            h.self(A, T0, { id: 1, payload: telemetry('environment', { temperature: 21.5, relativeHumidity: 40 }) });
            h.self(A, T0 + MINUTE, { id: 2, payload: telemetry('environment', { temperature: 22 }) });
            h.self(A, T0 + 2 * MINUTE, { id: 3, payload: telemetry('device', { batteryLevel: 70 }) });
            expect(h.feed.seriesOf(A)).to.deep.equal({
                'environment.temperature': [
                    [T0, 21.5],
                    [T0 + MINUTE, 22],
                ],
                'environment.relativeHumidity': [
                    [T0, 40],
                    [T0 + MINUTE, 40],
                ],
                'device.batteryLevel': [[T0 + 2 * MINUTE, 70]],
            });
        });

        it('replaces the point of a second report at the same time', () => {
            const h = new Harness();
            h.self(A, T0, { id: 1, payload: telemetry('device', { batteryLevel: 50 }) });
            h.self(A, T0, { id: 2, payload: telemetry('device', { batteryLevel: 60 }) });
            expect(h.feed.seriesOf(A)).to.deep.equal({ 'device.batteryLevel': [[T0, 60]] });
        });

        it('keeps the newest seriesPoints points', () => {
            const h = new Harness({}, { seriesPoints: 3 });
            for (let i = 1; i <= 5; i++) {
                h.self(A, T0 + i * MINUTE, { id: i, payload: telemetry('device', { batteryLevel: 100 - i }) });
            }
            expect(h.feed.seriesOf(A)['device.batteryLevel']).to.deep.equal([
                [T0 + 3 * MINUTE, 97],
                [T0 + 4 * MINUTE, 96],
                [T0 + 5 * MINUTE, 95],
            ]);
        });

        it(`keeps at most ${MAX_SERIES_METRICS} metrics per node, the first ones reported`, () => {
            const h = new Harness();
            const metrics = (prefix: string, value: number): Record<string, number> =>
                Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${prefix}${i}`, value + i]));
            h.self(A, T0, { id: 1, payload: telemetry('device', metrics('d', 0)) });
            h.self(A, T0 + MINUTE, { id: 2, payload: telemetry('environment', metrics('e', 0)) });
            h.self(A, T0 + 2 * MINUTE, { id: 3, payload: telemetry('environment', metrics('e', 100)) });
            const series = h.feed.seriesOf(A);
            const keys = Object.keys(series);
            expect(keys).to.have.length(MAX_SERIES_METRICS);
            expect(keys).to.deep.equal([
                ...Array.from({ length: 10 }, (_, i) => `device.d${i}`),
                ...Array.from({ length: MAX_SERIES_METRICS - 10 }, (_, i) => `environment.e${i}`),
            ]);
            expect(series['environment.e0']).to.deep.equal([
                [T0 + MINUTE, 0],
                [T0 + 2 * MINUTE, 100],
            ]);
        });

        it('drops the series of removed nodes', () => {
            const h = new Harness({ maxNodes: 2 });
            h.self(A, T0, { id: 1, payload: telemetry('device', { batteryLevel: 10 }) });
            h.self(B, T0 + 1, { id: 2, payload: telemetry('device', { batteryLevel: 20 }) });
            expect(h.feed.seriesOf(A)).to.have.property('device.batteryLevel');
            h.self(C, T0 + 2, { id: 3, payload: telemetry('device', { batteryLevel: 30 }) });
            expect(h.model.node(A)).to.equal(undefined);
            expect(h.feed.seriesOf(A)).to.deep.equal({});
            // Heard again, the node starts a new series.
            h.self(A, T0 + 3, { id: 4, payload: telemetry('device', { batteryLevel: 11 }) });
            expect(h.feed.seriesOf(A)).to.deep.equal({ 'device.batteryLevel': [[T0 + 3, 11]] });
        });

        it('keeps series of at most maxSeriesNodes nodes, dropping the least recently updated', () => {
            const h = new Harness({}, { maxSeriesNodes: 2 });
            const report = (num: number, id: number, value: number): void => {
                h.self(num, T0 + id, { id, payload: telemetry('device', { batteryLevel: value }) });
            };
            report(A, 1, 10);
            report(B, 2, 20);
            report(C, 3, 30); // drops A
            expect(h.feed.seriesOf(A)).to.deep.equal({});
            report(B, 4, 21); // B is now the most recent
            report(D, 5, 40); // drops C
            expect(h.feed.seriesOf(C)).to.deep.equal({});
            expect(h.feed.seriesOf(B)['device.batteryLevel']).to.deep.equal([
                [T0 + 2, 20],
                [T0 + 4, 21],
            ]);
            expect(h.feed.seriesOf(D)['device.batteryLevel']).to.deep.equal([[T0 + 5, 40]]);
            // The nodes themselves are still rows.
            expect(hexes(h.full())).to.deep.equal([A, B, C, D].map(hexOf));
        });
    });

    describe('properties', () => {
        type Step =
            | {
                  kind: 'packet';
                  from: number;
                  via: number;
                  to: number;
                  id: number;
                  hops: number;
                  payload: MeshPayload;
                  dt: number;
              }
            | { kind: 'tick'; dt: number }
            | { kind: 'send'; id: number; to: number; state: SendState; dt: number }
            | { kind: 'poll' }
            | { kind: 'reconnect' };

        const NODES = [0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107];
        const node = fc.constantFrom(...NODES);
        const payload: fc.Arbitrary<MeshPayload> = fc.oneof(
            fc.string({ maxLength: 8 }).map(t => text(`t${t}`)),
            fc.string({ maxLength: 8 }).map(name => nodeinfo({ longName: name })),
            fc.integer({ min: -900, max: 900 }).map(n => position({ latitude: n / 10, longitude: n / 5 })),
            fc.integer({ min: 0, max: 100 }).map(n => telemetry('device', { batteryLevel: n, voltage: 3 + n / 100 })),
            fc.array(node, { maxLength: 3 }).map(ns =>
                neighborinfo(
                    0,
                    ns.map(n => ({ nodeId: n, snr: n % 7 })),
                ),
            ),
            fc.constant<MeshPayload>({ type: 'raw', portnum: 5, bytes: new Uint8Array(0) }),
        );
        const step: fc.Arbitrary<Step> = fc.oneof(
            {
                weight: 6,
                arbitrary: fc.record({
                    kind: fc.constant('packet' as const),
                    from: node,
                    // The sender itself (MQTT uplink) or another node as gateway.
                    via: node,
                    to: fc.oneof(fc.constant(0xffffffff), node),
                    id: fc.integer({ min: 1, max: 12 }),
                    hops: fc.integer({ min: 0, max: 3 }),
                    payload,
                    dt: fc.integer({ min: 0, max: 30 * MINUTE }),
                }),
            },
            {
                weight: 1,
                arbitrary: fc.record({
                    kind: fc.constant('tick' as const),
                    dt: fc.integer({ min: 0, max: 200 * MINUTE }),
                }),
            },
            {
                weight: 1,
                arbitrary: fc.record({
                    kind: fc.constant('send' as const),
                    id: fc.integer({ min: 0, max: 4 }),
                    to: fc.oneof(fc.constant(0xffffffff), node),
                    state: fc.constantFrom<SendState>('queued', 'sent', 'acked', 'failed'),
                    dt: fc.integer({ min: 0, max: MINUTE }),
                }),
            },
            { weight: 3, arbitrary: fc.constant({ kind: 'poll' as const }) },
            { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
        );

        /** What the admin tab does with the answers: replace on full, else upsert rows and drop removed ones. */
        class Client {
            epoch = 0;
            rev = 0;
            readonly rows = new Map<string, TabRow>();
            readonly messages = new Map<string, unknown>();

            poll(feed: TabFeed): TabPoll {
                const answer = feed.poll(this.rev, this.epoch);
                if (answer.full) {
                    expect(answer.removed).to.deep.equal([]);
                    this.rows.clear();
                    this.messages.clear();
                }
                for (const row of answer.rows) {
                    this.rows.set(row[0] as string, row);
                }
                for (const hex of answer.removed) {
                    this.rows.delete(hex);
                }
                for (const message of answer.messages) {
                    this.messages.set(message.key, message);
                }
                this.epoch = answer.epoch;
                this.rev = answer.rev;
                return answer;
            }
        }

        function sortedRows(rows: Iterable<TabRow>): TabRow[] {
            return [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        }

        it('a client applying every delta always holds exactly the rows of a full poll', () => {
            fc.assert(
                fc.property(
                    fc.record({
                        maxNodes: fc.integer({ min: 1, max: 6 }),
                        maxRemovals: fc.integer({ min: 1, max: 4 }),
                        maxMessages: fc.integer({ min: 1, max: 6 }),
                    }),
                    fc.array(step, { maxLength: 60, size: 'max' }),
                    (opts, steps) => {
                        const h = new Harness(
                            { maxNodes: opts.maxNodes, offlineMinutes: 60 },
                            { maxRemovals: opts.maxRemovals, maxMessages: opts.maxMessages, ownNodeNum: OWN },
                        );
                        const client = new Client();
                        let now = T0;
                        const check = (): void => {
                            client.poll(h.feed);
                            const full = h.full();
                            expect(sortedRows(client.rows.values())).to.deep.equal(sortedRows(full.rows));
                            expect(full.total).to.equal(full.rows.length);
                            expect(full.rows.length).to.equal(h.model.nodeCount());
                            for (const message of full.messages) {
                                expect(client.messages.get(message.key)).to.deep.equal(message);
                            }
                            // Polled again at once: nothing new (a feed still at revision 0 answers "full" with nothing).
                            expect(h.feed.poll(client.rev, client.epoch)).to.deep.include({
                                full: client.rev === 0,
                                rows: [],
                                removed: [],
                                messages: [],
                            });
                        };
                        for (const s of steps) {
                            switch (s.kind) {
                                case 'packet':
                                    now += s.dt;
                                    h.ingest(
                                        decoded({
                                            from: s.from,
                                            to: s.to,
                                            id: s.id,
                                            gateway: gw(s.via),
                                            payload: s.payload,
                                            header: { hopStart: 3, hopLimit: 3 - s.hops, rxSnr: s.hops + 0.25 },
                                        }),
                                        now,
                                    );
                                    break;
                                case 'tick':
                                    now += s.dt;
                                    h.tick(now);
                                    break;
                                case 'send':
                                    now += s.dt;
                                    h.feed.onSendStatus(
                                        status({
                                            id: s.id,
                                            to: s.to === 0xffffffff ? 'broadcast' : gw(s.to),
                                            status: s.state,
                                            time: now,
                                        }),
                                    );
                                    break;
                                case 'poll':
                                    check();
                                    break;
                                case 'reconnect':
                                    client.epoch = 0;
                                    client.rev = 0;
                                    break;
                            }
                        }
                        check();
                    },
                ),
                { numRuns: 200 },
            );
        });
    });
});
