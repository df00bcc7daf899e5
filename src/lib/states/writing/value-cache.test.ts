import { expect } from 'chai';
import { ValueCache } from './value-cache';
import { FakeAdapter } from '../../../test-support/fake-adapter';
import { fullNode } from '../fixtures.test';
import { ALL, started } from '../writer-fixtures.test';

describe('states/writing/value-cache (through the writer)', () => {
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
