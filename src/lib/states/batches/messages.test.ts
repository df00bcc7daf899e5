import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import type { MeshEvent, MeshStats, NodeSection, UnknownChannelRecord } from '../../mesh/types';
import type { SendStatus } from '../../send/types';
import { channelRecord, fullNode, textMessage } from '../fixtures.test';
import { expectValidId, expectEntryValid, ALL } from '../state-rules.test';
import {
    CHANNEL_SEND_STATES,
    CHANNEL_STATES,
    channelBaseId,
    channelObjects,
    channelsObjects,
    channelStates,
    clientsBatch,
    connectionBatch,
    isDirectToUs,
    MESSAGE_LAST_SENT,
    messageBatch,
    messageStates,
    NODE_COMMAND_STATE_IDS,
    NODE_SEND_STATES,
    NODE_STATES,
    nodeObjects,
    nodeStateValues,
    restoreNodes,
    rootObjects,
    sanitizeIdPart,
    sendStateTarget,
    sendStatusBatch,
    statsStates,
} from '../index';

describe('states/batches: channels, messages, stats, info', () => {
    it('maps a channel record', () => {
        const messages = [textMessage({ text: 'one' }), textMessage({ text: 'two', fromName: '!a1b2c3d4' })];
        const entries = channelStates(channelRecord('LongFast', messages));
        const byId = new Map(entries.map(e => [e.id, e]));
        expect(byId.get('channels.LongFast.lastMessage')?.value).to.equal('two');
        expect(byId.get('channels.LongFast.lastMessage')?.event).to.equal(true);
        expect(byId.get('channels.LongFast.lastSender')?.value).to.equal('!a1b2c3d4');
        expect(JSON.parse(byId.get('channels.LongFast.history')?.value as string)).to.deep.equal(messages);
        entries.forEach(expectEntryValid);
        expect(channelStates({ name: 'Empty', history: [] }).map(e => e.id)).to.deep.equal(['channels.Empty.history']);
        expect(channelStates(channelRecord('X', [textMessage()]))[1].value).to.equal('Alpha Base (!a1b2c3d4)');
        expect(channelObjects('Long.Fast')).to.deep.equal([
            { id: 'channels', type: 'folder', common: { name: 'Channels' } },
            { id: 'channels.Long_Fast', type: 'channel', common: { name: 'Long.Fast' } },
            { id: 'channels.Long_Fast.send', type: 'state', common: CHANNEL_SEND_STATES.send.common },
            { id: 'channels.Long_Fast.sendStatus', type: 'state', common: CHANNEL_SEND_STATES.status.common },
        ]);
    });

    it('maps channel texts and DMs to messages.last / messages.direct', () => {
        const message = textMessage();
        const channelEvent: MeshEvent = {
            type: 'channelMessage',
            channel: channelRecord('LongFast', [message]),
            message,
        };
        const entries = messageStates(channelEvent);
        expect(entries.map(e => e.id)).to.deep.equal([
            'channels.LongFast.lastMessage',
            'channels.LongFast.lastSender',
            'channels.LongFast.history',
            'messages.last',
        ]);
        expect(JSON.parse(entries[3].value as string)).to.deep.equal(message);
        const batch = messageBatch(channelEvent);
        expect(batch.objects.map(o => o.id)).to.deep.equal([
            'channels',
            'channels.LongFast',
            'channels.LongFast.send',
            'channels.LongFast.sendStatus',
            'messages',
        ]);

        const dm = textMessage({ direct: true, channel: 'PKI', encryption: 'pki', to: 0x1234 });
        const dmEntries = messageStates({ type: 'directMessage', message: dm }, 0x1234);
        expect(dmEntries.map(e => e.id)).to.deep.equal(['messages.direct', 'messages.last']);
        expect(dmEntries.every(e => e.event)).to.equal(true);
        expect(JSON.parse(dmEntries[0].value as string)).to.deep.equal(dm);
        expect(messageBatch({ type: 'nodeRemoved', num: 1, hex: '00000001', reason: 'purge' })).to.deep.equal({
            objects: [],
            states: [],
        });
    });

    it('writes messages.direct only for DMs addressed to our own node', () => {
        const dm = (to: number): MeshEvent => ({
            type: 'directMessage',
            message: textMessage({ direct: true, to, channel: 'LongFast' }),
        });
        const ids = (event: MeshEvent, own?: number): string[] => messageStates(event, own).map(e => e.id);
        expect(ids(dm(0x1234), 0x1234)).to.deep.equal(['messages.direct', 'messages.last']);
        expect(ids(dm(0xdeadbeef), 0xdeadbeef)).to.deep.equal(['messages.direct', 'messages.last']);
        expect(ids(dm(0x5678), 0x1234)).to.deep.equal(['messages.last']); // DM between other nodes
        expect(ids(dm(0x1234))).to.deep.equal(['messages.last']); // no own node (default 0)
        expect(ids(dm(0), 0)).to.deep.equal(['messages.last']);
        expect(messageBatch(dm(0x5678), 0x1234).states.map(e => e.id)).to.deep.equal(['messages.last']);
        expect(isDirectToUs({ to: -1 }, 0xffffffff)).to.equal(true); // compared as unsigned 32 bit
        expect(isDirectToUs({ to: 0 }, 0)).to.equal(false);
    });

    it('maps stats and the unknown channel list', () => {
        const stats: MeshStats = {
            received: 10,
            decoded: 8,
            duplicates: 1,
            undecryptable: 1,
            invalid: 0,
            ignored: 0,
            unknownChannels: 1,
            filtered: 0,
            compressedTexts: 0,
        };
        const unknown: UnknownChannelRecord[] = [
            { channelId: 'Secret', channelHash: 42, packets: 3, lastGateway: '!0badc0de', lastSeen: 1000 },
        ];
        const entries = statsStates(stats, unknown);
        entries.forEach(expectEntryValid);
        const byId = new Map(entries.map(e => [e.id, e.value]));
        for (const [key, value] of Object.entries(stats)) {
            expect(byId.get(`stats.${key}`), key).to.equal(value);
        }
        expect(JSON.parse(byId.get('stats.unknownChannelList') as string)).to.deep.equal([
            { channelId: 'Secret', hash: 42, packets: 3, lastGateway: '!0badc0de', lastSeen: 1000 },
        ]);
    });

    it('maps info.connection and info.clients', () => {
        expect(connectionBatch(true).states[0]).to.include({ id: 'info.connection', value: true });
        expect(clientsBatch(['gw1', 'gw2']).states[0]).to.include({ id: 'info.clients', value: '["gw1","gw2"]' });
        expect(rootObjects().map(o => o.id)).to.deep.equal([
            'nodes',
            'channels',
            'messages',
            'stats',
            'info',
            'waypoints',
        ]);
    });
});

const STATUS: SendStatus = {
    id: 0x1001,
    to: 'broadcast',
    channel: 'Long.Fast',
    status: 'sent',
    text: 'hi',
    time: 1_700_000_000_000,
};

describe('states/batches/messages: sending', () => {
    it('declares writable send states and read-only status states', () => {
        for (const specs of [CHANNEL_SEND_STATES, NODE_SEND_STATES]) {
            expect(specs.send.id).to.equal('send');
            expect(specs.send.common).to.deep.include({ type: 'string', role: 'text', read: true, write: true });
            expect(specs.send.common.name).to.match(/write with ack=false/);
            expect(specs.status.id).to.equal('sendStatus');
            expect(specs.status.common).to.deep.include({ type: 'string', role: 'json', read: true, write: false });
            expect(specs.status.event).to.equal(true);
        }
        expect(CHANNEL_SEND_STATES.send.common.name).to.equal('Send a text to this channel (write with ack=false)');
        expect(NODE_SEND_STATES.send.common.name).to.equal('Send a direct message to this node (write with ack=false)');
        expect(MESSAGE_LAST_SENT.id).to.equal('messages.lastSent');
        expect(MESSAGE_LAST_SENT.common).to.deep.include({ type: 'string', role: 'json', read: true, write: false });
        expect(MESSAGE_LAST_SENT.event).to.equal(true);
        expect([...NODE_COMMAND_STATE_IDS].sort()).to.deep.equal(['send', 'sendStatus', 'traceroute.request']);
        // the send states never clash with a data state of a node or a channel
        for (const spec of [...NODE_STATES, ...CHANNEL_STATES]) {
            expect(['send', 'sendStatus']).to.not.include(spec.id);
        }
    });

    it('matches the io-package instance object of messages.lastSent', () => {
        const io = JSON.parse(readFileSync(join(__dirname, '../../../../io-package.json'), 'utf8')) as {
            instanceObjects: { _id: string; common: Record<string, unknown> & { name: { en: string } } }[];
        };
        const obj = io.instanceObjects.find(o => o._id === 'messages.lastSent');
        expect(obj, 'messages.lastSent in io-package').to.not.equal(undefined);
        expect(obj!.common).to.deep.include({ type: 'string', role: 'json', read: true, write: false });
        expect(obj!.common.name.en).to.equal(MESSAGE_LAST_SENT.common.name);
    });

    it('creates the send state objects under the device and the channel, parents first', () => {
        const nodeObjs = nodeObjects(fullNode(), new Set<NodeSection>());
        expect(nodeObjs.map(o => o.id)).to.deep.equal([
            'nodes',
            'nodes.a1b2c3d4',
            'nodes.a1b2c3d4.send',
            'nodes.a1b2c3d4.sendStatus',
            'nodes.a1b2c3d4.traceroute',
            'nodes.a1b2c3d4.traceroute.request',
        ]);
        const send = nodeObjs[2];
        expect(send.type).to.equal('state');
        expect(send.common).to.equal(NODE_SEND_STATES.send.common);
        expect(nodeObjs[3].common).to.equal(NODE_SEND_STATES.status.common);
        expect(channelObjects('x').map(o => o.id)).to.deep.equal([
            'channels',
            'channels.x',
            'channels.x.send',
            'channels.x.sendStatus',
        ]);
        // several channels share the folder; two names that sanitise alike give one channel
        expect(channelsObjects(['x', 'a.b', 'a_b']).map(o => o.id)).to.deep.equal([
            'channels',
            'channels.x',
            'channels.x.send',
            'channels.x.sendStatus',
            'channels.a_b',
            'channels.a_b.send',
            'channels.a_b.sendStatus',
        ]);
        // a node batch never writes a value into send/sendStatus
        for (const entry of nodeStateValues(fullNode(), ALL)) {
            expect(entry.id).to.not.match(/\.send(Status)?$/);
        }
    });

    it('maps a send status to <target>.sendStatus and messages.lastSent (event-like)', () => {
        const channel = sendStatusBatch(STATUS, { kind: 'channel', name: 'Long.Fast' });
        expect(channel.objects.map(o => o.id)).to.deep.equal([
            'channels',
            'channels.Long_Fast',
            'channels.Long_Fast.send',
            'channels.Long_Fast.sendStatus',
            'messages',
        ]);
        expect(channel.states.map(e => [e.id, e.event])).to.deep.equal([
            ['channels.Long_Fast.sendStatus', true],
            ['messages.lastSent', true],
        ]);
        channel.states.forEach(expectEntryValid);
        for (const entry of channel.states) {
            expect(JSON.parse(entry.value as string)).to.deep.equal(STATUS);
        }

        const failed: SendStatus = { ...STATUS, to: '!a1b2c3d4', channel: 'PKI', status: 'failed', error: 'no key' };
        const node = sendStatusBatch(failed, { kind: 'node', hex: 'a1b2c3d4' });
        expect(node.objects.map(o => o.id)).to.deep.equal([
            'nodes.a1b2c3d4.send',
            'nodes.a1b2c3d4.sendStatus',
            'messages',
        ]);
        expect(node.states.map(e => e.id)).to.deep.equal(['nodes.a1b2c3d4.sendStatus', 'messages.lastSent']);
        expect(JSON.parse(node.states[0].value as string)).to.deep.equal(failed);

        for (const target of [undefined, { kind: 'node' as const, hex: '../EVIL' }]) {
            const only = sendStatusBatch(failed, target);
            expect(only.objects.map(o => o.id)).to.deep.equal(['messages']);
            expect(only.states.map(e => e.id)).to.deep.equal(['messages.lastSent']);
        }
    });

    it('keeps hostile channel names to one valid id level in send and status ids', () => {
        fc.assert(
            fc.property(
                fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 })),
                name => {
                    const batch = sendStatusBatch({ ...STATUS, channel: name }, { kind: 'channel', name });
                    for (const obj of batch.objects) {
                        expectValidId(obj.id);
                    }
                    for (const entry of batch.states) {
                        expectEntryValid(entry);
                        expect(entry.id.split('.').length).to.be.oneOf([2, 3]);
                    }
                    const sendId = `${channelBaseId(name)}.send`;
                    expect(sendStateTarget(sendId)).to.deep.equal({
                        kind: 'channel',
                        name: sanitizeIdPart(name),
                        id: sanitizeIdPart(name),
                    });
                    expect(
                        sendStateTarget(sendId, part => (part === sanitizeIdPart(name) ? name : undefined)),
                    ).to.deep.equal({ kind: 'channel', name, id: sanitizeIdPart(name) });
                },
            ),
            { numRuns: 300 },
        );
    });

    it('never restores send or sendStatus values into a node', () => {
        const restored = restoreNodes([
            ['nodes.00000007.send', 'hello'],
            ['nodes.00000007.sendStatus', JSON.stringify(STATUS)],
        ]);
        expect(restored).to.deep.equal([]);
        const [node] = restoreNodes([
            ['nodes.00000008.info.longName', 'Eight'],
            ['nodes.00000008.send', 'hello'],
        ]);
        expect(node.user?.longName).to.equal('Eight');
        expect(node.lastText).to.equal(undefined);
        expect(node.history).to.deep.equal([]);
    });
});
