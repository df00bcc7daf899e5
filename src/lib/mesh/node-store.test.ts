import { expect } from 'chai';
import { DAY, record, T0 } from '../../test-support/mesh-fixtures';
import { NodeStore } from './node-store';
import type { TextMessage } from './types';

function named(store: NodeStore, num: number, longName: string, shortName: string, lastHeard = T0): void {
    const { node } = store.getOrCreate(num, lastHeard);
    node.user = { longName, shortName, hwModel: 'X', role: 'CLIENT', isLicensed: false, isUnmessagable: false };
}

function message(i: number): TextMessage {
    return {
        id: i,
        from: 5,
        fromId: '!00000005',
        fromName: 'n',
        to: 0xffffffff,
        channel: 'LongFast',
        text: `m${i}`,
        time: T0 + i,
        direct: false,
        gateway: '!00000009',
        viaMqtt: false,
        encryption: 'channel',
    };
}

describe('mesh: NodeStore', () => {
    it('evicts the least recently heard node when full', () => {
        const store = new NodeStore(3, 5);
        store.getOrCreate(10, T0);
        store.getOrCreate(11, T0 + 1);
        store.getOrCreate(12, T0 + 2);
        // 10 is heard again: 11 becomes the least recently heard.
        store.touch(store.get(10)!, T0 + 3);
        const result = store.getOrCreate(13, T0 + 4);
        expect(result.isNew).to.equal(true);
        expect(result.evicted?.num).to.equal(11);
        expect(store.size).to.equal(3);
        expect(store.list().map(n => n.num)).to.deep.equal([12, 10, 13]);
    });

    it('returns an existing node untouched', () => {
        const store = new NodeStore(3, 5);
        store.getOrCreate(10, T0);
        const again = store.getOrCreate(10, T0 + 100);
        expect(again.isNew).to.equal(false);
        expect(again.node.lastHeard).to.equal(T0);
    });

    it('purges nodes unheard for purgeDays, never with 0', () => {
        const store = new NodeStore(10, 5);
        store.getOrCreate(10, T0);
        store.getOrCreate(11, T0 + 6 * DAY);
        expect(store.purge(T0 + 7 * DAY + 1, 0)).to.deep.equal([]);
        const removed = store.purge(T0 + 7 * DAY + 1, 7);
        expect(removed.map(n => n.num)).to.deep.equal([10]);
        expect(store.has(10)).to.equal(false);
        expect(store.has(11)).to.equal(true);
    });

    it('bounds the text history, newest last', () => {
        const store = new NodeStore(10, 3);
        const { node } = store.getOrCreate(5, T0);
        for (let i = 1; i <= 7; i++) {
            store.pushText(node, message(i));
        }
        expect(node.history.map(m => m.text)).to.deep.equal(['m5', 'm6', 'm7']);
        expect(node.lastText?.text).to.equal('m7');
    });

    describe('findByQuery', () => {
        const store = new NodeStore(10, 3);
        named(store, 0xa1b2c3d4, 'Hilltop Repeater', 'HILL', T0);
        named(store, 0x0000c3d4, 'Kitchen', 'KIT', T0 + 10);
        named(store, 0x12345678, 'Garden Sensor', 'GS', T0 + 5);

        it('finds by case-insensitive name substring', () => {
            expect(store.findByQuery('repeat').map(n => n.num)).to.deep.equal([0xa1b2c3d4]);
            expect(store.findByQuery('gs').map(n => n.num)).to.deep.equal([0x12345678]);
        });

        it('finds by the last 4 hex digits, most recently heard first', () => {
            expect(store.findByQuery('C3D4').map(n => n.num)).to.deep.equal([0x0000c3d4, 0xa1b2c3d4]);
        });

        it('finds by full hex, !hex and decimal number', () => {
            expect(store.findByQuery('!a1b2c3d4').map(n => n.num)).to.deep.equal([0xa1b2c3d4]);
            expect(store.findByQuery('a1b2c3d4').map(n => n.num)).to.deep.equal([0xa1b2c3d4]);
            expect(store.findByQuery(String(0x12345678)).map(n => n.num)).to.deep.equal([0x12345678]);
        });

        it('ranks exact id matches before name matches and ignores empty queries', () => {
            named(store, 0x00005678, '5678 fan club', '5678', T0 + 20);
            expect(store.findByQuery('12345678')[0].num).to.equal(0x12345678);
            expect(store.findByQuery('   ')).to.deep.equal([]);
        });
    });

    describe('restore', () => {
        it('takes valid records, recomputes ids and keeps the most recently heard within maxNodes', () => {
            const store = new NodeStore(2, 2);
            const taken = store.restore([
                record(100, { lastHeard: T0 + 1 }),
                record(101, { lastHeard: T0 + 3, id: '!ffffffff', hex: 'evil' }),
                record(102, { lastHeard: T0 + 2 }),
                { num: 'x' },
                null,
                record(0xffffffff),
            ]);
            expect(taken).to.equal(2);
            expect(store.list().map(n => n.num)).to.deep.equal([102, 101]);
            expect(store.get(101)).to.include({ id: '!00000065', hex: '00000065' });
        });

        it('sanitises names and cuts histories', () => {
            const store = new NodeStore(5, 2);
            store.restore([
                record(100, {
                    user: {
                        longName: 'A\u0000\u0000B\u202e',
                        shortName: 'xxxxxxxxxxxxxxxx',
                        hwModel: 'H',
                        role: 'R',
                        isLicensed: false,
                        isUnmessagable: false,
                    },
                    history: [message(1), message(2), message(3)],
                }),
            ]);
            const node = store.get(100)!;
            expect(node.user?.longName).to.equal('A B');
            expect(node.user?.shortName).to.have.length(8);
            expect(node.history.map(m => m.text)).to.deep.equal(['m2', 'm3']);
        });

        it('copies records instead of keeping the caller objects', () => {
            const store = new NodeStore(5, 2);
            const original = record(100, { telemetry: { device: { batteryLevel: 80 } } });
            store.restore([original]);
            original.telemetry.device!.batteryLevel = 1;
            expect(store.get(100)?.telemetry.device?.batteryLevel).to.equal(80);
        });
    });
});
