import { expect } from 'chai';
import { DropDiagnosis, ReconnectBackoff, TAKEOVER_DROPS } from './client-backoff';

const delays = (backoff: ReconnectBackoff, n: number): number[] =>
    Array.from({ length: n }, () => backoff.next().delayMs);

describe('transport/client-backoff', () => {
    describe('ReconnectBackoff', () => {
        it('doubles from the minimum up to the maximum, counting attempts', () => {
            const backoff = new ReconnectBackoff({ minMs: 1000, maxMs: 5000, stableAfterMs: 30_000, random: () => 0 });
            expect(delays(backoff, 6)).to.deep.equal([1000, 2000, 4000, 5000, 5000, 5000]);
            expect(backoff.attempts).to.equal(6);
        });

        it('takes up to 10 % off as jitter, never below 1 ms', () => {
            const almostOne = 0.999_999;
            expect(
                delays(
                    new ReconnectBackoff({ minMs: 1000, maxMs: 5000, stableAfterMs: 0, random: () => almostOne }),
                    3,
                ),
            ).to.deep.equal([900, 1800, 3600]);
            expect(
                delays(new ReconnectBackoff({ minMs: 0, maxMs: 0, stableAfterMs: 0, random: () => almostOne }), 2),
            ).to.deep.equal([1, 1]);
            // A maximum below the minimum is the minimum.
            expect(
                delays(new ReconnectBackoff({ minMs: 200, maxMs: 50, stableAfterMs: 0, random: () => 0 }), 2),
            ).to.deep.equal([200, 200]);
        });

        it('starts over after a stable session, and does not overflow after very many attempts', () => {
            const backoff = new ReconnectBackoff({ minMs: 100, maxMs: 800, stableAfterMs: 1000, random: () => 0 });
            delays(backoff, 100);
            expect(backoff.next().delayMs).to.equal(800);
            expect(backoff.sessionEnded(1000)).to.equal('stable');
            expect(backoff.attempts).to.equal(0);
            expect(delays(backoff, 2)).to.deep.equal([100, 200]);
        });

        it('lets quick drops in a row, not the refused attempts before them, grow the first delay', () => {
            const backoff = new ReconnectBackoff({ minMs: 100, maxMs: 1600, stableAfterMs: 1000, random: () => 0 });
            delays(backoff, 5); // a broker that was down for a while
            expect(backoff.sessionEnded(999)).to.equal('quick');
            expect(delays(backoff, 2)).to.deep.equal([100, 200]); // back at once after a restart
            expect(backoff.sessionEnded(10)).to.equal('quick');
            expect(delays(backoff, 1)).to.deep.equal([200]);
            expect(backoff.sessionEnded(10)).to.equal('quick');
            expect(delays(backoff, 1)).to.deep.equal([400]);
            expect(backoff.attempts).to.equal(3);
            expect(backoff.sessionEnded(5000)).to.equal('stable');
            expect(delays(backoff, 1)).to.deep.equal([100]);
        });
    });

    describe('DropDiagnosis', () => {
        it(`suspects a takeover only after ${TAKEOVER_DROPS} drops in a row with the broker reachable`, () => {
            const d = new DropDiagnosis();
            expect(d.quickDrop(true)).to.equal('unclear');
            expect(d.quickDrop(true)).to.equal('unclear');
            expect(d.quickDrop(true)).to.equal('taken-over');
            expect(d.quickDrop(true)).to.equal('taken-over');
        });

        it('says the broker went away when it was not reachable, and starts counting again', () => {
            const d = new DropDiagnosis();
            expect(d.quickDrop(true)).to.equal('unclear');
            expect(d.quickDrop(true)).to.equal('unclear');
            expect(d.quickDrop(false)).to.equal('went-away');
            expect(d.quickDrop(true)).to.equal('unclear');
            expect(d.quickDrop(true)).to.equal('unclear');
        });

        it('forgets the evidence after a failed attempt or a stable session', () => {
            const d = new DropDiagnosis();
            d.quickDrop(true);
            d.quickDrop(true);
            d.attemptFailed();
            expect(d.quickDrop(true)).to.equal('unclear');
            d.quickDrop(true);
            d.reset();
            expect(d.quickDrop(true)).to.equal('unclear');
        });
    });
});
