import { expect } from 'chai';
import { RateLog, suppressedNote } from './log-once';

describe('RateLog', () => {
    it('lets one line per kind per window through, whatever varies inside the kind, and counts the rest', () => {
        let now = 0;
        const rate = new RateLog(60_000, () => now);
        let lines = 0;
        // 5,000 packets from 5,000 different gateways, all of one kind, within one minute.
        for (let i = 0; i < 5000; i++) {
            if (rate.allow('invalid:envelope') !== undefined) {
                lines++;
            }
            now += 10;
        }
        console.log(
            `      5000 bad packets in 50 s: ${lines} line(s), ${rate.suppressed('invalid:envelope')} suppressed`,
        );
        expect(lines).to.equal(1);
        expect(rate.suppressed('invalid:envelope')).to.equal(4999);
        now = 60_000;
        expect(rate.allow('invalid:envelope')).to.equal(4999);
        expect(rate.suppressed('invalid:envelope')).to.equal(0);
        // Another kind has its own budget.
        expect(rate.allow('payload')).to.equal(0);
        expect(suppressedNote(0)).to.equal('');
        expect(suppressedNote(3)).to.include('3 more');
    });
});
