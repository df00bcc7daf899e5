import { expect } from 'chai';
import { memoryAdvice } from './memory';

describe('config: memoryAdvice', () => {
    it('stays silent when maxNodes fits a 512 MB limit', () => {
        expect(memoryAdvice(500, 512)).to.equal(undefined);
        expect(memoryAdvice(10000, 512)).to.equal(undefined);
    });

    it('tells how far to raise the memory limit for a big maxNodes', () => {
        const text = memoryAdvice(20000, 512);
        expect(text).to.be.a('string');
        expect(text).to.match(/^maxNodes 20000 may need about 689 MB of memory, but this instance may only use 512 MB/);
        expect(text).to.match(/"Memory limit \(MB\)"\) to 896 MB or lower maxNodes$/);
        expect(memoryAdvice(20000, 896)).to.equal(undefined);
    });

    it('says nothing without a known limit', () => {
        expect(memoryAdvice(100000, 0)).to.equal(undefined);
        expect(memoryAdvice(100000, Number.NaN)).to.equal(undefined);
    });
});
