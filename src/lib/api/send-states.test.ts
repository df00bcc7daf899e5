import { expect } from 'chai';
import type { Messenger } from '../send';
import { useMessengerHarness } from '../send/messenger-harness.test';
import { sendStateTarget } from '../states';
import { SendStateAcks, sendStateRequest, type SendStateWrite } from './send-states';

describe('api/send-states', () => {
    it('turns a write to a channel or node send state into the matching request', () => {
        expect(sendStateRequest({ kind: 'channel', name: 'LongFast', id: 'longfast' }, 'hi')).to.deep.equal({
            text: 'hi',
            channel: 'LongFast',
        });
        expect(sendStateRequest({ kind: 'node', hex: '22334455' }, 'psst')).to.deep.equal({
            text: 'psst',
            to: '!22334455',
        });
    });

    describe('with a real messenger', () => {
        const h = useMessengerHarness();

        const STATE_ID = 'meshtastic.0.channels.longfast.send';

        /** Acks fed by a real messenger; `fromState` sends as a write to the LongFast send state does. */
        function bench(): {
            acks: SendStateAcks;
            confirmed: SendStateWrite[];
            messenger: Messenger;
            fromState: (text: string) => void;
        } {
            const confirmed: SendStateWrite[] = [];
            const acks = new SendStateAcks(write => confirmed.push(write));
            const messenger = h.messenger({ onStatus: status => acks.onStatus(status) });
            const fromState = (text: string): void =>
                acks.sendFor({ id: STATE_ID, val: text }, () => void messenger.send({ text, channel: 'LongFast' }));
            return { acks, confirmed, messenger, fromState };
        }

        it('confirms a send-state write once its packet is published, and only that write', async () => {
            const { acks, confirmed, messenger, fromState } = bench();
            fromState('from a state');
            expect(acks.pending, 'bound to its packet id at once').to.equal(1);
            expect(confirmed).to.deep.equal([]);
            // A send that did not come from a state (sendTo) is never confirmed as one.
            void messenger.send({ text: 'from sendTo', channel: 'LongFast' });
            await h.clock.runAllAsync();
            expect(h.transport.published).to.have.length(2);
            expect(confirmed).to.deep.equal([{ id: STATE_ID, val: 'from a state' }]);
            expect(acks.pending).to.equal(0);
        });

        it('forgets a write whose send failed, without confirming it', async () => {
            const { acks, confirmed, fromState } = bench();
            h.transport.connected = false;
            fromState('never published');
            expect(acks.pending).to.equal(1);
            await h.clock.runAllAsync();
            expect(h.transport.published).to.deep.equal([]);
            expect(confirmed).to.deep.equal([]);
            expect(acks.pending).to.equal(0);
        });

        it('binds nothing for a request refused before it got a packet id', async () => {
            const { acks, confirmed, fromState } = bench();
            fromState('');
            await h.clock.runAllAsync();
            expect(acks.pending).to.equal(0);
            expect(confirmed).to.deep.equal([]);
        });
    });

    it('the send-state ids the writer offers map to requests (channel by its id, node by hex)', () => {
        const target = sendStateTarget('nodes.22334455.send');
        expect(target && sendStateRequest(target, 1)).to.deep.equal({ text: 1, to: '!22334455' });
    });
});
