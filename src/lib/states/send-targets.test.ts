import { expect } from 'chai';
import fc from 'fast-check';
import { sanitizeIdPart } from './ids';
import { sendStateTarget, SendTargets, tracerouteRequestHex } from './send-targets';

describe('states/send-targets', () => {
    it('maps traceroute button ids to their node and nothing else', () => {
        expect(tracerouteRequestHex('nodes.a1b2c3d4.traceroute.request')).to.equal('a1b2c3d4');
        for (const id of [
            'nodes.A1B2C3D4.traceroute.request',
            'nodes.a1b2c3d4.traceroute.route',
            'nodes.a1b2c3d4.x.traceroute.request',
            'nodes..traceroute.request',
            'nodes.a1b2c3d4.send',
            'channels.a1b2c3d4.traceroute.request',
            'meshtastic.0.nodes.a1b2c3d4.traceroute.request',
        ]) {
            expect(tracerouteRequestHex(id), id).to.equal(undefined);
        }
    });

    it('maps send state ids to their target and nothing else', () => {
        const names = new Map([['Long_Fast', 'Long.Fast']]);
        const resolve = (part: string): string | undefined => names.get(part);
        expect(sendStateTarget('channels.Long_Fast.send', resolve)).to.deep.equal({
            kind: 'channel',
            name: 'Long.Fast',
            id: 'Long_Fast',
        });
        expect(sendStateTarget('channels.LongFast.send')).to.deep.equal({
            kind: 'channel',
            name: 'LongFast',
            id: 'LongFast',
        });
        expect(sendStateTarget('nodes.a1b2c3d4.send')).to.deep.equal({ kind: 'node', hex: 'a1b2c3d4' });
        for (const id of [
            'channels.Unknown.send', // not configured
            'channels.Long_Fast.sendStatus',
            'channels.Long_Fast.lastMessage',
            'channels.Long.Fast.send',
            'channels..send',
            'channels.a b.send',
            'channels.a#b.send',
            'channels.Long_Fast.send.x',
            'channels.send',
            'nodes.A1B2C3D4.send',
            'nodes.a1b2c3d.send',
            'nodes.a1b2c3d4.sendStatus',
            'nodes.a1b2c3d4.info.send',
            'nodes.a1b2c3d4.messages.lastText',
            'messages.lastSent',
            'info.send',
            'meshtastic.0.nodes.a1b2c3d4.send',
            '',
            'send',
        ]) {
            expect(sendStateTarget(id, resolve), id).to.equal(undefined);
        }
        fc.assert(
            fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
                const target = sendStateTarget(`${a}.${b}.send`, part => `name of ${part}`);
                if (target?.kind === 'channel') {
                    expect(a).to.equal('channels');
                    expect(target.id).to.equal(b).and.to.equal(sanitizeIdPart(b));
                } else if (target?.kind === 'node') {
                    expect(a).to.equal('nodes');
                    expect(target.hex).to.match(/^[0-9a-f]{8}$/);
                }
            }),
            { numRuns: 300 },
        );
    });

    it('remembers channel names by id level, the first of an id level winning', () => {
        const targets = new SendTargets('meshtastic.0');
        targets.rememberChannel('Long.Fast');
        targets.rememberChannel('Long_Fast');
        targets.rememberChannel('a b');
        expect(targets.channelNameForId('Long_Fast')).to.equal('Long.Fast');
        expect(targets.channelNameForId('a_b')).to.equal('a b');
        expect(targets.channelNameForId('Nope')).to.equal(undefined);
    });

    it('resolves relative ids and full ids of its own namespace only', () => {
        const targets = new SendTargets('meshtastic.0');
        targets.rememberChannel('Long.Fast');
        const channel = { kind: 'channel', name: 'Long.Fast', id: 'Long_Fast' };
        expect(targets.resolve('channels.Long_Fast.send')).to.deep.equal(channel);
        expect(targets.resolve('meshtastic.0.channels.Long_Fast.send')).to.deep.equal(channel);
        expect(targets.resolve('meshtastic.0.nodes.a1b2c3d4.send')).to.deep.equal({ kind: 'node', hex: 'a1b2c3d4' });
        expect(targets.resolve('meshtastic.1.nodes.a1b2c3d4.send')).to.equal(undefined);
        expect(targets.resolve('channels.Other.send')).to.equal(undefined);
        targets.rememberChannel('Other');
        expect(targets.resolve('channels.Other.send')).to.deep.equal({ kind: 'channel', name: 'Other', id: 'Other' });
    });
});
