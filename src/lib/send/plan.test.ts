import { expect } from 'chai';
import { makeChannelKey } from '../codec/keys';
import type { SendChannel } from './packets';
import { parseDestination, type PlanContext, planSend, resolveChannel, type SendPlan } from './plan';

const US = 0x1e0b0001;
const PEER = 0x22334455; // known, with a usable public key
const BAD_KEY_PEER = 0x33445566; // known, its key yields no shared key
const ALLOWED = 0x44556677; // unknown, channel DMs allowed
const PEER_KEY = new Uint8Array(32).fill(7);
const SHARED = new Uint8Array(32).fill(9);

const channels: SendChannel[] = [
    { ...makeChannelKey('Secret', new Uint8Array(16).fill(1)), downlink: false },
    { ...makeChannelKey('LongFast', new Uint8Array([1])), downlink: true },
    { ...makeChannelKey('longfast', new Uint8Array([1])), downlink: false },
];

function context(overrides: Partial<PlanContext> = {}): PlanContext {
    return {
        channels,
        ownNodeNum: US,
        allowChannelDm: new Set([ALLOWED]),
        nodeExists: num => num === PEER || num === BAD_KEY_PEER,
        publicKeyOf: num => (num === PEER || num === BAD_KEY_PEER ? PEER_KEY : undefined),
        sharedKey: num => (num === PEER ? SHARED : undefined),
        maxTextBytes: 10,
        maxParts: 3,
        ...overrides,
    };
}

function plan(request: Parameters<typeof planSend>[0], overrides: Partial<PlanContext> = {}): SendPlan {
    const result = planSend(request, context(overrides));
    if ('error' in result) {
        throw new Error(result.error);
    }
    return result;
}

describe('send/plan', () => {
    it('accepts the destination as !hex, hex and number', () => {
        expect(parseDestination('!22334455')).to.deep.equal({ kind: 'node', num: PEER });
        expect(parseDestination('22334455')).to.deep.equal({ kind: 'node', num: PEER });
        expect(parseDestination(' !ABCDEF01 ')).to.deep.equal({ kind: 'node', num: 0xabcdef01 });
        expect(parseDestination(PEER)).to.deep.equal({ kind: 'node', num: PEER });
        expect(parseDestination('!ffffffff')).to.deep.equal({ kind: 'broadcast' });
        expect(parseDestination('broadcast')).to.deep.equal({ kind: 'broadcast' });
        expect(parseDestination(undefined)).to.deep.equal({ kind: 'broadcast' });
        expect(parseDestination('!123')).to.deep.equal({ kind: 'node', num: 0x123 });
        expect(parseDestination('573785173')).to.deep.equal({ kind: 'node', num: PEER });
        for (const bad of ['!xyz', 'hello', -1, 1.5, 2 ** 32, {}, true, '!00000001', '!123456789']) {
            expect(parseDestination(bad), JSON.stringify(bad)).to.have.property('error');
        }
    });

    it('a broadcast goes on the first channel with downlink, without ACK, split by bytes', () => {
        const p = plan({ text: 'hello mesh world' });
        expect(p).to.deep.include({ toLabel: 'broadcast', channelLabel: 'LongFast', to: 0xffffffff, wantAck: false });
        expect(p.route).to.deep.equal({ kind: 'channel', channel: channels[1] });
        expect(p.parts.join('')).to.equal('hello mesh world');
        expect(p.parts.every(part => Buffer.byteLength(part) <= 10)).to.equal(true);
        expect(p).to.deep.include({ replyId: 0, emoji: false });
    });

    it('without a downlink channel the first configured one is the default', () => {
        const none = channels.map(c => ({ ...c, downlink: false }));
        expect(plan({ text: 'x' }, { channels: none }).channelLabel).to.equal('Secret');
    });

    it('names a channel exactly, by index, or case-insensitively only when that is unique', () => {
        expect(resolveChannel(channels, 'Secret')).to.equal(channels[0]);
        expect(resolveChannel(channels, ' secret ')).to.equal(channels[0]);
        expect(resolveChannel(channels, 'longfast')).to.equal(channels[2]); // exact wins
        expect(resolveChannel(channels, 'LONGFAST')).to.have.property('error');
        expect(resolveChannel(channels, 2)).to.equal(channels[2]);
        expect(resolveChannel(channels, 3)).to.deep.equal({ error: 'unknown channel index 3 (0..2)' });
        expect(resolveChannel([], 'x')).to.deep.equal({ error: 'no channel is configured' });
    });

    it('a DM to a node with a usable key goes PKI with ACK; wantAck false turns the ACK off', () => {
        const p = plan({ text: 'hi', to: '!22334455' });
        expect(p).to.deep.include({ toLabel: '!22334455', channelLabel: 'PKI', to: PEER, wantAck: true });
        expect(p.route).to.deep.equal({ kind: 'pki', sharedKey: SHARED });
        expect(plan({ text: 'hi', to: PEER, wantAck: false }).wantAck).to.equal(false);
    });

    it('a DM without a usable key goes on the channel only for nodes allowed channel-key DMs', () => {
        const p = plan({ text: 'hi', to: ALLOWED, channel: 'Secret' });
        expect(p).to.deep.include({ channelLabel: 'Secret', to: ALLOWED, wantAck: true });
        expect(p.route).to.deep.equal({ kind: 'channel', channel: channels[0] });
        const rejected = planSend({ text: 'hi', to: BAD_KEY_PEER }, context());
        expect(rejected).to.deep.equal({
            toLabel: '!33445566',
            channelLabel: 'LongFast',
            error: 'the public key of !33445566 is unusable — allow a channel-key DM for it',
        });
    });

    it('a rejection carries the labels known so far and names the first problem', () => {
        expect(planSend({ text: 42, to: PEER }, context())).to.deep.equal({
            toLabel: 'broadcast',
            channelLabel: '',
            error: 'text must be a string, got number',
        });
        expect(planSend({ text: 'hi', to: PEER, channel: 'Nope' }, context())).to.deep.include({
            toLabel: '!22334455',
            channelLabel: '',
        });
        expect(planSend({ text: 'hi', to: US }, context())).to.deep.include({
            error: 'cannot send a message to ourselves',
        });
    });

    it('a reaction needs a replyId and must fit one packet', () => {
        expect(plan({ text: '👍', replyId: 77, emoji: true })).to.deep.include({ replyId: 77, emoji: true });
        expect(planSend({ text: '👍', emoji: true }, context()))
            .to.have.property('error')
            .that.match(/replyId/);
        expect(planSend({ text: 'long reaction text', replyId: 77, emoji: true }, context()))
            .to.have.property('error')
            .that.equals('a reaction must fit into one packet');
    });

    it('a text beyond maxParts × maxTextBytes is rejected whole', () => {
        expect(planSend({ text: 'x'.repeat(31) }, context()))
            .to.have.property('error')
            .that.match(/too long/);
        expect(plan({ text: 'x'.repeat(30) }).parts).to.have.length(3);
    });
});
