import { expect } from 'chai';
import { DEFAULT_MAX_IN_FLIGHT, ownNodeNumOf, writerLimits } from './options';

describe('states/writing/options', () => {
    it('fills in the defaults, sized by maxNodes', () => {
        expect(writerLimits()).to.deep.equal({
            maxInFlight: DEFAULT_MAX_IN_FLIGHT,
            maxNodes: 1000,
            maxCachedValues: 81_000,
            maxObjectBacklog: 500,
            churnWindowMs: 1000,
            churnNewNodes: 100,
            ownNodeNum: 0,
        });
        expect(writerLimits({ maxNodes: 50 })).to.include({ maxCachedValues: 5000, churnNewNodes: 10 });
    });

    it('brings every bound to a whole number in range', () => {
        expect(
            writerLimits({
                maxInFlight: 0,
                maxNodes: 2.7,
                maxCachedValues: 5,
                maxObjectBacklog: -3,
                churnWindowMs: 0.5,
                churnNewNodes: 0,
            }),
        ).to.deep.equal({
            maxInFlight: 1,
            maxNodes: 2,
            maxCachedValues: 100,
            maxObjectBacklog: 1,
            churnWindowMs: 1,
            churnNewNodes: 1,
            ownNodeNum: 0,
        });
    });

    it('takes only a valid unsigned 32-bit node number as ours', () => {
        expect(ownNodeNumOf(0x0a1b2c3d)).to.equal(0x0a1b2c3d);
        expect(ownNodeNumOf(0xffffffff)).to.equal(0xffffffff);
        for (const invalid of [undefined, 0, -1, 1.5, 0x100000000, Number.NaN]) {
            expect(ownNodeNumOf(invalid), String(invalid)).to.equal(0);
        }
    });
});
