import { expect } from 'chai';
import {
    BROADCAST,
    decoded,
    eventsOfType,
    gw,
    meshModel,
    nodeinfo,
    sectionsOf,
    T0,
    text,
} from '../../../test-support/mesh-fixtures';

const A = 0x11111111;
const GW1 = 0x0a0a0a0a;
const GW2 = 0x0b0b0b0b;
const OWN = 0x0c0c0c0c;

describe('mesh: text handler (through the model)', () => {
    describe('text messages', () => {
        it('a broadcast goes to the channel record and the sender history', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, id: 1, payload: nodeinfo({ longName: 'Alice' }) }), T0);
            const events = m.ingest(
                decoded({
                    from: A,
                    id: 2,
                    gateway: gw(GW1),
                    payload: text('hi all'),
                    header: { rxSnr: 4, rxRssi: -70, hopStart: 3, hopLimit: 1 },
                    data: { replyId: 77, emoji: 0 },
                }),
                T0 + 5,
            );
            const [channelEvent] = eventsOfType(events, 'channelMessage');
            expect(channelEvent.channel.name).to.equal('LongFast');
            expect(channelEvent.message).to.deep.equal({
                id: 2,
                from: A,
                fromId: '!11111111',
                fromName: 'Alice',
                to: BROADCAST,
                channel: 'LongFast',
                text: 'hi all',
                time: T0 + 5,
                direct: false,
                gateway: gw(GW1),
                rxSnr: 4,
                rxRssi: -70,
                hopsAway: 2,
                viaMqtt: false,
                replyId: 77,
                encryption: 'channel',
            });
            expect(eventsOfType(events, 'directMessage')).to.have.length(0);
            expect(sectionsOf(events, A)).to.include('messages');
            expect(m.node(A)?.lastText?.text).to.equal('hi all');
            // Node event first, message after it.
            expect(events.findIndex(e => e.type === 'node')).to.be.lessThan(
                events.findIndex(e => e.type === 'channelMessage'),
            );
        });

        it('a DM stays on the sender node and emits directMessage', () => {
            const m = meshModel({ ownNodeNum: OWN });
            const events = m.ingest(
                decoded({ from: A, to: OWN, encryption: 'pki', channelName: 'PKI', payload: text('psst') }),
                T0,
            );
            const [dm] = eventsOfType(events, 'directMessage');
            expect(dm.message).to.deep.include({
                direct: true,
                to: OWN,
                channel: 'PKI',
                encryption: 'pki',
                fromName: '!11111111',
            });
            expect(eventsOfType(events, 'channelMessage')).to.have.length(0);
            expect(m.node(A)?.history).to.have.length(1);
            expect(m.node(OWN)).to.equal(undefined);
            expect(m.channels().every(c => c.history.length === 0)).to.equal(true);
        });

        it('treats to=1 (MQTT-only broadcast) as a broadcast', () => {
            const m = meshModel();
            const events = m.ingest(decoded({ from: A, to: 1, payload: text('x') }), T0);
            expect(eventsOfType(events, 'channelMessage')).to.have.length(1);
        });

        it('a duplicate text is delivered once', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, id: 9, gateway: gw(GW1), payload: text('once') }), T0);
            const dup = m.ingest(decoded({ from: A, id: 9, gateway: gw(GW2), payload: text('once') }), T0 + 1);
            expect(eventsOfType(dup, 'channelMessage')).to.have.length(0);
            expect(m.channels()[0].history).to.have.length(1);
        });

        it('strips control characters from text but keeps newlines', () => {
            const m = meshModel();
            m.ingest(decoded({ from: A, payload: text('line1\nline2\u0000\u202e') }), T0);
            expect(m.node(A)?.lastText?.text).to.equal('line1\nline2');
        });
    });
});
