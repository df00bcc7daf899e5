import { expect } from 'chai';
import { MeshModel } from '../../src/lib/mesh';
import { TabFeed } from '../../src/lib/tab';
import { decoded, gw, meshOptions, nodeinfo, position, text } from '../../src/test-support/mesh-fixtures';
import { matches, type NodeRow, type PollAnswer, rowFromArray, sortRows, TabStore } from './store';

const T0 = Date.UTC(2026, 10, 23, 12);

function row(partial: Partial<NodeRow> & { hex: string }): NodeRow {
    return {
        num: parseInt(partial.hex, 16),
        longName: '',
        shortName: '',
        hwModel: '',
        role: '',
        presence: 'rf',
        lastHeard: T0,
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
        ...partial,
    };
}

/** What the admin connection delivers: the adapter's answer after a JSON round trip. */
function overTheWire(feed: TabFeed, since: number, epoch: number): PollAnswer {
    return JSON.parse(JSON.stringify(feed.poll(since, epoch))) as PollAnswer;
}

describe('admin tab store', () => {
    describe('rows', () => {
        it('reads a row by column name and rejects rows without a valid id', () => {
            const columns = ['num', 'hex', 'longName', 'presence', 'battery', 'neighbors', 'added later'];
            expect(rowFromArray(columns, [1, 'a1b2c3d4', 'Alpha', 'mqtt', 80, ['0000beef', 5], 'x'])).to.include({
                hex: 'a1b2c3d4',
                longName: 'Alpha',
                presence: 'mqtt',
                battery: 80,
            });
            expect(rowFromArray(columns, [1, 'a1b2c3d4', 'A', 'weird', 'n/a', null])).to.include({
                presence: 'offline',
                battery: null,
            });
            expect(rowFromArray(columns, [1, 'a1b2c3d4', 'A', 'rf', 1, ['0000beef', 5]])?.neighbors).to.deep.equal([
                '0000beef',
            ]);
            expect(rowFromArray(columns, [1, '<img src=x>', 'A'])).to.equal(undefined);
        });

        it('finds nodes by long name, short name, full id or its last 4 hex digits', () => {
            const alpha = row({ hex: 'a1b2c3d4', longName: 'Alpha Base', shortName: 'ALB' });
            expect(matches(alpha, '')).to.equal(true);
            expect(matches(alpha, 'alpha')).to.equal(true);
            expect(matches(alpha, 'BASE')).to.equal(true);
            expect(matches(alpha, 'alb')).to.equal(true);
            expect(matches(alpha, 'c3d4')).to.equal(true);
            expect(matches(alpha, '!a1b2c3d4')).to.equal(true);
            expect(matches(alpha, 'beta')).to.equal(false);
            expect(matches(alpha, 'ffff')).to.equal(false);
        });

        it('sorts both ways with unknown values and empty names last', () => {
            const rows = [
                row({ hex: '00000001', longName: 'Bravo', snr: 5 }),
                row({ hex: '00000002', longName: '', snr: null }),
                row({ hex: '00000003', longName: 'alpha', snr: -3 }),
            ];
            expect(sortRows(rows, 'snr', 'desc').map(r => r.hex)).to.deep.equal(['00000001', '00000003', '00000002']);
            expect(sortRows(rows, 'snr', 'asc').map(r => r.hex)).to.deep.equal(['00000003', '00000001', '00000002']);
            // A node without a name shows as !hex, which sorts among the names by that text.
            expect(sortRows(rows, 'name', 'asc').map(r => r.hex)).to.deep.equal(['00000002', '00000003', '00000001']);
            expect(sortRows(rows, 'name', 'desc').map(r => r.hex)).to.deep.equal(['00000001', '00000003', '00000002']);
            expect(sortRows(rows, 'short', 'asc').map(r => r.hex)[2]).to.be.a('string');
        });
    });

    describe('with the adapter feed', () => {
        it('holds exactly what the adapter knows after full and delta polls, including removals', () => {
            const model = new MeshModel(meshOptions({ maxNodes: 2 }), ['LongFast']);
            const feed = new TabFeed(model, { ownNodeNum: 0, epoch: 1 });
            const store = new TabStore();
            const A = 0xa1b2c3d4;
            const B = 0x0000beef;
            const C = 0x12345678;
            feed.apply(
                model.ingest(
                    decoded({
                        from: A,
                        id: 1,
                        payload: nodeinfo({ id: '!a1b2c3d4', longName: 'Alpha', shortName: 'ALP' }),
                    }),
                    T0,
                ),
            );
            feed.apply(
                model.ingest(
                    decoded({ from: B, id: 2, gateway: gw(B), payload: position({ latitude: 52.5, longitude: 13.4 }) }),
                    T0 + 1,
                ),
            );
            expect(store.apply(overTheWire(feed, store.rev, store.epoch))).to.equal(true);
            expect(store.lastFull).to.equal(true);
            expect([...store.nodes.keys()].sort()).to.deep.equal(['0000beef', 'a1b2c3d4']);
            expect(store.nodes.get('a1b2c3d4')).to.include({ longName: 'Alpha', shortName: 'ALP' });
            expect(store.nodes.get('0000beef')).to.include({ lat: 52.5, lon: 13.4 });
            expect(store.view('alp', 'name', 'asc').map(r => r.hex)).to.deep.equal(['a1b2c3d4']);
            expect(store.view('beef', 'name', 'asc').map(r => r.hex)).to.deep.equal(['0000beef']);

            // C pushes out the least recently heard node (A): the delta adds C and removes A.
            const version = store.version;
            feed.apply(model.ingest(decoded({ from: C, id: 3, gateway: gw(C), payload: text('hello mesh') }), T0 + 2));
            store.apply(overTheWire(feed, store.rev, store.epoch));
            expect(store.lastFull).to.equal(false);
            expect(store.version).to.be.greaterThan(version);
            expect([...store.nodes.keys()].sort()).to.deep.equal(['0000beef', '12345678']);
            expect(store.lastRemoved).to.deep.equal(['a1b2c3d4']);
            expect(store.conversationMessages('channel:LongFast').map(m => m.text)).to.deep.equal(['hello mesh']);

            // Nothing new: nothing changes.
            const before = store.version;
            store.apply(overTheWire(feed, store.rev, store.epoch));
            expect(store.version).to.equal(before);
        });

        it('starts over when the adapter restarted (another epoch)', () => {
            const model = new MeshModel(meshOptions(), ['LongFast']);
            const store = new TabStore();
            const first = new TabFeed(model, { ownNodeNum: 0, epoch: 1 });
            first.apply(model.ingest(decoded({ from: 0x11111111, id: 1, payload: text('one') }), T0));
            store.apply(overTheWire(first, 0, 0));
            const restarted = new TabFeed(new MeshModel(meshOptions(), ['LongFast']), { ownNodeNum: 0, epoch: 2 });
            store.apply(overTheWire(restarted, store.rev, store.epoch));
            expect(store.lastFull).to.equal(true);
            expect(store.nodes.size).to.equal(0);
            expect(store.messages.size).to.equal(0);
        });

        it('lists channels first, then direct conversations by their latest message, with the send state', () => {
            const store = new TabStore();
            store.apply({
                epoch: 1,
                rev: 5,
                full: true,
                columns: [],
                rows: [],
                removed: [],
                total: 0,
                canSend: true,
                channels: [
                    { name: 'LongFast', canSend: true },
                    { name: 'Heard', canSend: false },
                ],
                messages: [
                    {
                        key: 'r:1:1',
                        conversation: 'dm:00000001',
                        fromHex: '00000001',
                        fromName: 'One',
                        to: '!ffffffff',
                        channel: 'PKI',
                        text: 'old',
                        time: T0,
                        own: false,
                    },
                    {
                        key: 'r:2:2',
                        conversation: 'dm:00000002',
                        fromHex: '00000002',
                        fromName: 'Two',
                        to: '!ffffffff',
                        channel: 'PKI',
                        text: 'new',
                        time: T0 + 5,
                        own: false,
                    },
                    {
                        key: 's:9',
                        conversation: 'channel:LongFast',
                        fromHex: 'ffffffff',
                        fromName: '',
                        to: 'broadcast',
                        channel: 'LongFast',
                        text: 'mine',
                        time: T0 + 1,
                        own: true,
                        status: 'acked',
                    },
                ],
            });
            expect(store.conversations().map(c => [c.key, c.canSend, c.count])).to.deep.equal([
                ['channel:LongFast', true, 1],
                ['channel:Heard', false, 0],
                ['dm:00000002', true, 1],
                ['dm:00000001', true, 1],
            ]);
            expect(store.conversationMessages('channel:LongFast')[0]).to.include({ own: true, status: 'acked' });
        });

        it('ignores answers that are not polls', () => {
            const store = new TabStore();
            expect(store.apply({ error: 'no such command' } as unknown as PollAnswer)).to.equal(false);
            expect(store.rev).to.equal(0);
        });
    });
});
