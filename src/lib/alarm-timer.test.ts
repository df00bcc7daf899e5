import { expect } from 'chai';
import { AlarmTimer } from './alarm-timer';

/** Timers driven by hand: `advance` runs what is due. */
class ManualTimers {
    now = 0;
    private next = 1;
    readonly pending = new Map<number, { at: number; run: () => void }>();
    setTimeout = (run: () => void, ms: number): unknown => {
        const id = this.next++;
        this.pending.set(id, { at: this.now + ms, run });
        return id;
    };
    clearTimeout = (handle: unknown): void => void this.pending.delete(handle as number);
    advance(ms: number): void {
        this.now += ms;
        for (const [id, timer] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
            if (timer.at <= this.now) {
                this.pending.delete(id);
                timer.run();
            }
        }
    }
}

describe('AlarmTimer', () => {
    it('holds one timer for many requests and fires again for a later fall-back time', () => {
        const timers = new ManualTimers();
        const fired: number[] = [];
        const alarm = new AlarmTimer(
            timers,
            now => fired.push(now),
            () => timers.now,
        );
        alarm.request(1000);
        alarm.request(1500);
        alarm.request(1200);
        expect(timers.pending.size).to.equal(1);
        timers.advance(1005);
        expect(fired).to.deep.equal([1005]);
        expect(timers.pending.size).to.equal(1);
        timers.advance(500);
        expect(fired).to.deep.equal([1005, 1505]);
        expect(timers.pending.size).to.equal(0);
    });

    it('stop() clears the pending timer', () => {
        const timers = new ManualTimers();
        const alarm = new AlarmTimer(
            timers,
            () => expect.fail('fired'),
            () => timers.now,
        );
        alarm.request(100);
        alarm.stop();
        timers.advance(1000);
        expect(timers.pending.size).to.equal(0);
    });
});
