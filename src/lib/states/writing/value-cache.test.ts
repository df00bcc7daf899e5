import { expect } from 'chai';
import { ValueCache } from './value-cache';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { fullNode } from '../fixtures.test';
import { nodeStateValues } from '../batches';
import { StateWriter } from '../writer';
import { ALL, sections, manualLatency, started } from '../writer-fixtures.test';

describe('states/writing/value-cache (through the writer)', () => {
    it('writes only values that changed', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        const writes = fake.calls.setState;
        expect(writes).to.equal(nodeStateValues(fullNode(), ALL).length);
        expect(writer.writes).to.equal(writes);

        writer.writeNode(fullNode(), ALL);
        await writer.flush();
        // only event-like states (last text) are written again
        expect(fake.calls.setState - writes).to.equal(1);
        expect(fake.stateWrites[fake.stateWrites.length - 1].id).to.equal('nodes.a1b2c3d4.messages.lastText');

        writer.writeNode(fullNode('a1b2c3d4', { presence: 'offline' }), sections('status'));
        await writer.flush();
        expect(fake.stateWrites.slice(-2).map(w => w.id)).to.deep.equal([
            'nodes.a1b2c3d4.status.online',
            'nodes.a1b2c3d4.status.presence',
        ]);
        expect(writer.counters().unchanged).to.be.greaterThan(100);
    });

    it('writes nothing when a queued change goes back to the value the DB holds', async () => {
        const gate = manualLatency();
        const fake = new FakeAdapter({ latency: gate.latency });
        const writer = new StateWriter(fake, { maxInFlight: 1 });
        const init = writer.init();
        while (fake.calls.getStates === 0 || gate.held() > 0) {
            gate.release();
            await new Promise<void>(resolve => setImmediate(resolve));
        }
        await init;
        const stats = (received: number, decoded: number): Parameters<StateWriter['writeStats']>[0] => ({
            received,
            decoded,
            duplicates: 0,
            undecryptable: 0,
            invalid: 0,
            ignored: 0,
            unknownChannels: 0,
            filtered: 0,
            compressedTexts: 0,
        });
        const drain = async (): Promise<void> => {
            let rounds = 0;
            while (writer.pendingCount() > 0 || gate.held() > 0) {
                gate.release();
                await new Promise<void>(resolve => setImmediate(resolve));
                expect(++rounds).to.be.below(1000);
            }
            await writer.flush();
        };
        writer.writeStats(stats(2, 0), []);
        await drain();
        const before = fake.stateWrites.filter(w => w.id === 'stats.received').length;
        // 2 → 1 → 2 while the DB is busy with another state: the DB already holds 2.
        writer.writeStats(stats(2, 5), []);
        writer.writeStats(stats(1, 5), []);
        writer.writeStats(stats(2, 5), []);
        await drain();
        expect(fake.stateWrites.filter(w => w.id === 'stats.received').length).to.equal(before);
        expect(fake.val('stats.received')).to.equal(2);
        expect(fake.val('stats.decoded')).to.equal(5);
    });

    it('bounds the value cache', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake, { maxCachedValues: 150 });
        for (let i = 0; i < 5; i++) {
            writer.writeNode(fullNode((0x20000000 + i).toString(16)), ALL);
        }
        await writer.flush();
        expect(writer.counters().cachedValues).to.be.at.most(150);
    });
});

describe('states/writing/value-cache', () => {
    it('tells a requested value from the stored one, and forgets a failed write for a retry', () => {
        const cache = new ValueCache(100);
        expect(cache.remember('a', 1)).to.equal(true);
        expect(cache.remember('a', 2)).to.equal(false); // known id
        expect(cache.get('a')).to.equal(2);
        cache.markStored('a', 2);
        expect(cache.isStored('a', 2)).to.equal(true);
        cache.writeFailed('a', 2);
        expect(cache.isStored('a', 2)).to.equal(false);
        expect(cache.get('a')).to.equal(undefined); // the next update is written again
    });

    it('keeps a newer request when an older write fails', () => {
        const cache = new ValueCache(100);
        cache.remember('a', 1);
        cache.markStored('a', 1);
        cache.remember('a', 2);
        cache.writeFailed('a', 1);
        expect(cache.get('a')).to.equal(2);
    });

    it('drops the oldest tenth in one sweep over the bound, stored values with them; seeding stops at the bound', () => {
        const cache = new ValueCache(100);
        for (let i = 0; i < 100; i++) {
            cache.remember(`s${i}`, i);
            cache.markStored(`s${i}`, i);
        }
        expect(cache.hasRoom()).to.equal(false);
        cache.remember('s100', 100);
        expect(cache.size).to.equal(91);
        expect(cache.get('s0')).to.equal(undefined);
        expect(cache.isStored('s9', 9)).to.equal(false);
        expect(cache.get('s10')).to.equal(10);
        expect(cache.isStored('s10', 10)).to.equal(true);
    });
});
