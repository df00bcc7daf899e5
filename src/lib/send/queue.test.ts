import { expect } from 'chai';
import type sinon from 'sinon';
import { SendQueue, type QueueItem, type SendQueueOptions } from './queue';
import { FakeTransport, fakeClock, globalTimers, T0 } from './test-helpers.test';

interface Log {
    sent: string[];
    failed: { topic: string; error: string }[];
}

function item(topic: string, log: Log, extra: Partial<QueueItem> = {}): QueueItem {
    return {
        topic,
        payload: new TextEncoder().encode(topic),
        onSent: () => log.sent.push(topic),
        onFailed: error => log.failed.push({ topic, error }),
        ...extra,
    };
}

describe('send/queue', () => {
    let clock: sinon.SinonFakeTimers;
    let transport: FakeTransport;
    let log: Log;

    function queue(options: Partial<SendQueueOptions> = {}): SendQueue {
        return new SendQueue({
            publish: transport.publish,
            isConnected: transport.isConnected,
            timers: globalTimers,
            now: () => Date.now(),
            spacingMs: 1000,
            ...options,
        });
    }

    beforeEach(() => {
        clock = fakeClock();
        transport = new FakeTransport();
        log = { sent: [], failed: [] };
    });
    afterEach(() => clock.restore());

    it('publishes in order, at most one per spacing', async () => {
        const q = queue({ spacingMs: 1000 });
        expect(q.enqueue([item('a', log), item('b', log), item('c', log)])).to.deep.equal({ ok: true });
        expect(transport.published).to.have.length(0); // never synchronously from enqueue
        await clock.tickAsync(0);
        expect(transport.topics()).to.deep.equal(['a']);
        await clock.tickAsync(999);
        expect(transport.topics()).to.deep.equal(['a']);
        await clock.tickAsync(1);
        expect(transport.topics()).to.deep.equal(['a', 'b']);
        await clock.tickAsync(1000);
        expect(transport.published.map(p => p.time - T0)).to.deep.equal([0, 1000, 2000]);
        expect(log.sent).to.deep.equal(['a', 'b', 'c']);
        expect(q.length).to.equal(0);
        // a later item respects the spacing to the last publish only
        await clock.tickAsync(5000);
        q.enqueue([item('d', log)]);
        await clock.tickAsync(0);
        expect(transport.published[3].time - T0).to.equal(7000);
    });

    it('spacing 0 publishes back to back', async () => {
        const q = queue({ spacingMs: 0 });
        q.enqueue(['a', 'b', 'c', 'd'].map(t => item(t, log)));
        await clock.tickAsync(0);
        expect(transport.topics()).to.deep.equal(['a', 'b', 'c', 'd']);
        expect(log.sent).to.deep.equal(['a', 'b', 'c', 'd']);
    });

    it('is bounded: a full queue rejects at once, and a batch is taken whole or not at all', async () => {
        const q = queue({ maxItems: 3 });
        expect(q.enqueue([item('a', log), item('b', log)]).ok).to.equal(true);
        const batch = q.enqueue([item('c', log), item('d', log)]);
        expect(batch.ok).to.equal(false);
        expect(!batch.ok && batch.error).to.match(/send queue full/);
        expect(q.length).to.equal(2);
        expect(q.enqueue([item('c', log)]).ok).to.equal(true);
        const full = q.enqueue([item('x', log)]);
        expect(!full.ok && full.error).to.match(/send queue full/);
        await clock.tickAsync(10_000);
        expect(transport.topics()).to.deep.equal(['a', 'b', 'c']);
        expect(log.failed).to.deep.equal([]); // rejected items never get callbacks
    });

    it('waits while disconnected and publishes each item once after resume()', async () => {
        transport.connected = false;
        const q = queue({ spacingMs: 500 });
        q.enqueue([item('a', log), item('b', log)]);
        await clock.tickAsync(60_000);
        expect(transport.attempts).to.equal(0); // does not hammer a dead transport
        transport.connected = true;
        q.resume();
        await clock.tickAsync(0);
        expect(transport.topics()).to.deep.equal(['a']);
        q.resume(); // a second reconnect event must not duplicate anything
        await clock.tickAsync(2000);
        expect(transport.topics()).to.deep.equal(['a', 'b']);
        expect(log.sent).to.deep.equal(['a', 'b']);
        expect(transport.attempts).to.equal(2);
    });

    it('notices a reconnect even without resume() (periodic re-check)', async () => {
        transport.connected = false;
        const q = queue();
        q.enqueue([item('a', log)]);
        await clock.tickAsync(1000);
        transport.connected = true;
        await clock.tickAsync(10_000);
        expect(transport.topics()).to.deep.equal(['a']);
    });

    it('fails items with "not connected" after the deadline, and does not send them later', async () => {
        transport.connected = false;
        const q = queue({ disconnectedWaitMs: 60_000 });
        q.enqueue([item('a', log)]);
        await clock.tickAsync(30_000);
        q.enqueue([item('b', log)]);
        await clock.tickAsync(30_000);
        expect(log.failed.map(f => f.topic)).to.deep.equal(['a']);
        expect(log.failed[0].error).to.match(/^not connected/);
        await clock.tickAsync(30_000);
        expect(log.failed.map(f => f.topic)).to.deep.equal(['a', 'b']);
        transport.connected = true;
        q.resume();
        await clock.tickAsync(5000);
        expect(transport.published).to.have.length(0);
        expect(log.sent).to.deep.equal([]);
        expect(q.length).to.equal(0);
    });

    it('counts the wait from the outage, not from enqueue, for items that waited for pacing', async () => {
        const q = queue({ spacingMs: 40_000, disconnectedWaitMs: 60_000 });
        q.enqueue([item('a', log), item('b', log), item('c', log)]);
        await clock.tickAsync(0); // a published at 0
        await clock.tickAsync(40_000); // b published at 40 s
        transport.connected = false;
        await clock.tickAsync(40_000); // c due at 80 s: blocked since 80 s
        await clock.tickAsync(50_000); // 130 s: 50 s into the outage, c still waits
        expect(log.failed).to.deep.equal([]);
        transport.connected = true;
        q.resume();
        await clock.tickAsync(0);
        expect(transport.topics()).to.deep.equal(['a', 'b', 'c']);
    });

    it('keeps a rejected publish at the head and retries it after reconnect, without duplicates', async () => {
        const q = queue({ spacingMs: 100 });
        transport.hold = true;
        q.enqueue([item('a', log), item('b', log)]);
        await clock.tickAsync(0);
        expect(transport.attempts).to.equal(1);
        transport.connected = false;
        transport.release(); // the publish of a rejects: connection lost
        await clock.tickAsync(5000);
        expect(transport.attempts).to.equal(1);
        expect(log.failed).to.deep.equal([]);
        transport.connected = true;
        q.resume();
        await clock.tickAsync(1000);
        expect(transport.topics()).to.deep.equal(['a', 'b']);
        expect(log.sent).to.deep.equal(['a', 'b']);
        expect(transport.attempts).to.equal(3);
    });

    it('never re-sends a publish that resolved', async () => {
        const q = queue({ spacingMs: 0 });
        q.enqueue([item('a', log)]);
        await clock.tickAsync(0);
        transport.connected = false;
        q.resume();
        transport.connected = true;
        q.resume();
        await clock.tickAsync(60_000);
        expect(transport.topics()).to.deep.equal(['a']);
        expect(log.sent).to.deep.equal(['a']);
    });

    it('retries a publish rejected while connected, then fails it with the reason', async () => {
        const q = queue({ spacingMs: 0, retryDelayMs: 2000, maxPublishAttempts: 3 });
        transport.failNext = 1;
        q.enqueue([item('a', log), item('b', log)]);
        await clock.tickAsync(0);
        expect(transport.published).to.have.length(0);
        await clock.tickAsync(2000);
        expect(transport.topics()).to.deep.equal(['a', 'b']);

        transport.failNext = 3;
        q.enqueue([item('c', log), item('d', log)]);
        await clock.tickAsync(10_000);
        expect(log.failed).to.deep.equal([{ topic: 'c', error: 'publish failed: broker refused' }]);
        expect(transport.topics()).to.deep.equal(['a', 'b', 'd']);
    });

    it('puts priority items ahead of waiting normal items, but behind the one in flight', async () => {
        const q = queue({ spacingMs: 1000 });
        q.enqueue([item('a', log), item('b', log), item('c', log)]);
        await clock.tickAsync(0);
        q.enqueue([item('ack1', log, { priority: true })]);
        q.enqueue([item('ack2', log, { priority: true })]);
        await clock.tickAsync(10_000);
        expect(transport.topics()).to.deep.equal(['a', 'ack1', 'ack2', 'b', 'c']);
    });

    it('cancels the waiting items of a group', async () => {
        const q = queue({ spacingMs: 1000 });
        q.enqueue([item('m1/1', log, { group: 1 }), item('m1/2', log, { group: 1 }), item('m2', log, { group: 2 })]);
        await clock.tickAsync(0);
        expect(q.cancelGroup(1, 'part 1 failed')).to.equal(1);
        await clock.tickAsync(5000);
        expect(transport.topics()).to.deep.equal(['m1/1', 'm2']);
        expect(log.failed).to.deep.equal([{ topic: 'm1/2', error: 'part 1 failed' }]);
    });

    it('stop() fails everything with "adapter stopping" and leaves no timer', async () => {
        const q = queue({ spacingMs: 1000 });
        transport.hold = true;
        q.enqueue([item('a', log), item('b', log)]);
        await clock.tickAsync(0);
        q.stop();
        expect(log.failed).to.deep.equal([
            { topic: 'a', error: 'adapter stopping' },
            { topic: 'b', error: 'adapter stopping' },
        ]);
        expect(clock.countTimers()).to.equal(0);
        transport.release();
        await clock.tickAsync(5000);
        expect(log.sent).to.deep.equal([]); // a late resolve does not report a second outcome
        const after = q.enqueue([item('c', log)]);
        expect(!after.ok && after.error).to.equal('adapter stopping');
    });

    it('a publish function that throws synchronously counts as a rejection', async () => {
        let calls = 0;
        const q = queue({
            spacingMs: 0,
            maxPublishAttempts: 1,
            publish: () => {
                calls++;
                throw new Error('boom');
            },
        });
        q.enqueue([item('a', log)]);
        await clock.tickAsync(0);
        expect(calls).to.equal(1);
        expect(log.failed).to.deep.equal([{ topic: 'a', error: 'publish failed: boom' }]);
    });
});
