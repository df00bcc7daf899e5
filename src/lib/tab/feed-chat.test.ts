import { expect } from 'chai';
import { decoded, gw, nodeinfo, T0, text } from '../../test-support/mesh-fixtures';
import { A, B, EPOCH, GW1, Harness, OWN, status, textMessage } from '../../test-support/tab-fixtures';

describe('tab: TabFeed', () => {
    describe('chat messages', () => {
        it('files channel texts under the channel, once per poll', () => {
            const h = new Harness();
            const start = h.full();
            h.ingest(decoded({ from: A, id: 1, payload: nodeinfo() }), T0);
            h.ingest(
                decoded({
                    from: A,
                    id: 77,
                    gateway: gw(GW1),
                    header: { hopStart: 3, hopLimit: 2, rxSnr: 4.5, rxRssi: -100 },
                    payload: text('Hello channel'),
                }),
                T0 + 10,
            );
            const delta = h.feed.poll(start.rev, EPOCH);
            expect(delta.messages).to.have.length(1);
            expect(delta.messages[0]).to.deep.equal({
                key: `r:${A}:77`,
                conversation: 'channel:LongFast',
                fromHex: '11111111',
                fromName: 'Alpha Station',
                to: 'broadcast',
                channel: 'LongFast',
                text: 'Hello channel',
                time: T0 + 10,
                own: false,
                viaMqtt: false,
                gateway: gw(GW1),
                encryption: 'channel',
                rxSnr: 4.5,
                hopsAway: 1,
            });
            expect(h.feed.poll(delta.rev, EPOCH).messages).to.deep.equal([]);
            expect(h.full().messages.map(m => m.key)).to.deep.equal([`r:${A}:77`]);
        });

        it('files DMs to our node under the sender', () => {
            const h = new Harness({ ownNodeNum: OWN }, { ownNodeNum: OWN });
            h.ingest(
                decoded({ from: A, id: 5, to: OWN, encryption: 'pki', channelName: 'PKI', payload: text('psst') }),
                T0,
            );
            const [message] = h.full().messages;
            expect(message).to.deep.include({
                key: `r:${A}:5`,
                conversation: 'dm:11111111',
                fromHex: '11111111',
                to: '!0c0c0c0c',
                channel: 'PKI',
                text: 'psst',
                own: false,
                encryption: 'pki',
            });
        });

        it('files DMs from our node under the receiver', () => {
            // The model never hands out our own packets; the feed still files such a record under the peer.
            const h = new Harness({}, { ownNodeNum: OWN });
            h.feed.apply([
                {
                    type: 'directMessage',
                    message: textMessage({ id: 9, from: OWN, to: B, direct: true, channel: 'PKI' }),
                },
            ]);
            expect(h.full().messages[0]).to.deep.include({
                conversation: 'dm:22222222',
                fromHex: '0c0c0c0c',
                to: '!22222222',
            });
        });

        it('files DMs between two other nodes under the sender', () => {
            const h = new Harness({ ownNodeNum: OWN }, { ownNodeNum: OWN });
            h.ingest(decoded({ from: A, id: 6, to: B, payload: text('not for us') }), T0);
            expect(h.full().messages[0]).to.deep.include({ conversation: 'dm:11111111', to: '!22222222' });
        });

        it('updates one entry through queued, sent and acked, keeping its first time', () => {
            const h = new Harness({}, { ownNodeNum: OWN });
            h.feed.onSendStatus(status({ id: 42, to: '!22222222', channel: 'PKI', status: 'queued', time: T0 }));
            const queued = h.full();
            expect(queued.messages).to.deep.equal([
                {
                    key: 's:42',
                    conversation: 'dm:22222222',
                    fromHex: '0c0c0c0c',
                    fromName: '',
                    to: '!22222222',
                    channel: 'PKI',
                    text: 'hello mesh',
                    time: T0,
                    own: true,
                    status: 'queued',
                },
            ]);
            h.feed.onSendStatus(status({ id: 42, to: '!22222222', channel: 'PKI', status: 'sent', time: T0 + 100 }));
            const sent = h.feed.poll(queued.rev, EPOCH);
            expect(sent.messages).to.have.length(1);
            expect(sent.messages[0]).to.deep.include({ key: 's:42', status: 'sent', time: T0 });
            h.feed.onSendStatus(status({ id: 42, to: '!22222222', channel: 'PKI', status: 'acked', time: T0 + 900 }));
            const acked = h.feed.poll(sent.rev, EPOCH);
            expect(acked.messages).to.have.length(1);
            expect(acked.messages[0]).to.deep.include({ key: 's:42', status: 'acked', time: T0 });
            expect(acked.messages[0]).to.not.have.property('error');
            expect(h.feed.messageCount()).to.equal(1);
            expect(h.full().messages.map(m => [m.key, m.status])).to.deep.equal([['s:42', 'acked']]);
        });

        it('shows a failed send with its error, under the channel for a broadcast', () => {
            const h = new Harness({}, { ownNodeNum: OWN });
            h.feed.onSendStatus(status({ id: 43, status: 'queued', time: T0 }));
            h.feed.onSendStatus(status({ id: 43, status: 'failed', error: 'not connected', time: T0 + 5 }));
            expect(h.full().messages).to.deep.equal([
                {
                    key: 's:43',
                    conversation: 'channel:LongFast',
                    fromHex: '0c0c0c0c',
                    fromName: '',
                    to: 'broadcast',
                    channel: 'LongFast',
                    text: 'hello mesh',
                    time: T0,
                    own: true,
                    status: 'failed',
                    error: 'not connected',
                },
            ]);
        });

        it('keeps rejected sends without a packet id apart', () => {
            const h = new Harness();
            h.feed.onSendStatus(status({ id: 0, status: 'failed', error: 'text is empty', time: T0 }));
            h.feed.onSendStatus(status({ id: 0, status: 'failed', error: 'text is empty', time: T0 }));
            const messages = h.full().messages;
            expect(messages).to.have.length(2);
            expect(new Set(messages.map(m => m.key)).size).to.equal(2);
            expect(messages.every(m => m.fromHex === '' && m.own)).to.equal(true);
        });

        it('puts received and sent DMs with one peer into one conversation', () => {
            const h = new Harness({ ownNodeNum: OWN }, { ownNodeNum: OWN });
            h.ingest(decoded({ from: B, id: 3, to: OWN, payload: text('ping') }), T0);
            h.feed.onSendStatus(status({ id: 44, to: '!22222222', channel: 'LongFast', text: 'pong', time: T0 + 1 }));
            expect(h.full().messages.map(m => m.conversation)).to.deep.equal(['dm:22222222', 'dm:22222222']);
        });

        it('keeps at most maxMessages entries, dropping the oldest', () => {
            const h = new Harness({}, { maxMessages: 3 });
            for (let id = 1; id <= 5; id++) {
                h.ingest(decoded({ from: A, id, payload: text(`message ${id}`) }), T0 + id);
            }
            expect(h.feed.messageCount()).to.equal(3);
            expect(h.full().messages.map(m => m.text)).to.deep.equal(['message 3', 'message 4', 'message 5']);
        });
    });
});
