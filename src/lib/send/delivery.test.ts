import { expect } from 'chai';
import type sinon from 'sinon';
import type { DecodedPacket } from '../codec/types';
import { decoded } from '../../test-support/mesh-fixtures';
import { DeliveryTracker, type DeliveryOutcome } from './delivery';
import { fakeClock, globalTimers } from './test-helpers.test';

const US = 0x1e0b0001;
const PEER = 0x22334455;

function routing(from: number, requestId: number, errorReason = 'NONE', errorCode = 0, to = US): DecodedPacket {
    return decoded({
        from,
        to,
        id: 0x777,
        data: { portnum: 5, requestId },
        payload: { type: 'routing', routing: { kind: errorCode === 0 ? 'ack' : 'nak', errorReason, errorCode } },
    });
}

describe('send/delivery', () => {
    let clock: sinon.SinonFakeTimers;
    let outcomes: Map<number, DeliveryOutcome>;
    let tracker: DeliveryTracker;

    function expectAck(id: number, to = PEER): void {
        tracker.expect(id, to, outcome => outcomes.set(id, outcome));
    }

    beforeEach(() => {
        clock = fakeClock();
        outcomes = new Map();
        tracker = new DeliveryTracker({ ownNodeNum: US, ackTimeoutMs: 60_000, timers: globalTimers, maxPending: 4 });
    });
    afterEach(() => clock.restore());

    it('an ACK from the destination settles the packet as acked', () => {
        expectAck(100);
        tracker.arm(100);
        expect(tracker.onRouting(routing(PEER, 100))).to.equal(true);
        expect(outcomes.get(100)).to.deep.equal({ status: 'acked', from: PEER });
        expect(tracker.size).to.equal(0);
        expect(clock.countTimers()).to.equal(0);
        // a second copy (other gateway) is no longer matched
        expect(tracker.onRouting(routing(PEER, 100))).to.equal(false);
    });

    it('a NAK fails with the reason name', () => {
        for (const [id, reason, code] of [
            [1, 'NO_ROUTE', 1],
            [2, 'MAX_RETRANSMIT', 5],
            [3, 'PKI_UNKNOWN_PUBKEY', 35],
        ] as const) {
            expectAck(id);
            tracker.arm(id);
            expect(tracker.onRouting(routing(PEER, id, reason, code))).to.equal(true);
            expect(outcomes.get(id)).to.deep.equal({ status: 'failed', error: reason, from: PEER });
        }
    });

    it('a NAK from a relay counts, an ACK from a node other than the destination does not', () => {
        expectAck(7);
        tracker.arm(7);
        expect(tracker.onRouting(routing(0x99999999, 7))).to.equal(false);
        expect(outcomes.has(7)).to.equal(false);
        expect(tracker.onRouting(routing(0x99999999, 7, 'MAX_RETRANSMIT', 5))).to.equal(true);
        expect(outcomes.get(7)).to.deep.include({ status: 'failed', error: 'MAX_RETRANSMIT' });
    });

    it('ignores routing packets not addressed to us, unknown request ids, other ports and unparsable payloads', () => {
        expectAck(9);
        tracker.arm(9);
        expect(tracker.onRouting(routing(PEER, 9, 'NONE', 0, 0xffffffff))).to.equal(false);
        expect(tracker.onRouting(routing(PEER, 10))).to.equal(false);
        const text = routing(PEER, 9);
        text.data.portnum = 1;
        expect(tracker.onRouting(text)).to.equal(false);
        const raw = routing(PEER, 9);
        raw.payload = { type: 'raw', portnum: 5, bytes: new Uint8Array([0xff]) };
        expect(tracker.onRouting(raw)).to.equal(false);
        expect(outcomes.size).to.equal(0);
    });

    it('fails after the timeout, counted from arm() (the publish), not from expect()', async () => {
        expectAck(11);
        await clock.tickAsync(120_000); // waited in the queue
        expect(outcomes.size).to.equal(0);
        tracker.arm(11);
        await clock.tickAsync(59_999);
        expect(outcomes.size).to.equal(0);
        await clock.tickAsync(1);
        expect(outcomes.get(11)).to.deep.equal({ status: 'failed', error: 'no ACK within 60 s' });
    });

    it('an ACK that overtakes the publish bookkeeping still counts', () => {
        expectAck(12);
        expect(tracker.onRouting(routing(PEER, 12))).to.equal(true);
        expect(outcomes.get(12)?.status).to.equal('acked');
        tracker.arm(12); // no-op, no stray timer
        expect(clock.countTimers()).to.equal(0);
    });

    it('is bounded: the oldest pending fails with "too many pending"', () => {
        for (let id = 1; id <= 5; id++) {
            expectAck(id);
            tracker.arm(id);
        }
        expect(tracker.size).to.equal(4);
        expect(outcomes.get(1)).to.deep.equal({ status: 'failed', error: 'too many pending' });
        expect(clock.countTimers()).to.equal(4);
    });

    it('cancel, forget and stop', () => {
        expectAck(1);
        expectAck(2);
        expectAck(3);
        tracker.arm(1);
        tracker.cancel(1, 'not connected');
        expect(outcomes.get(1)).to.deep.equal({ status: 'failed', error: 'not connected' });
        tracker.forget(2);
        expect(outcomes.has(2)).to.equal(false);
        tracker.arm(3);
        tracker.stop();
        expect(outcomes.get(3)).to.deep.equal({ status: 'failed', error: 'adapter stopping' });
        expect(clock.countTimers()).to.equal(0);
    });
});
