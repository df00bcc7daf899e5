import { expect } from 'chai';
import type { SendStatus } from '../send/types';
import { FakeAdapter } from '../../test-support/fake-adapter';
import { channelRecord, fullNode, textMessage } from './fixtures.test';
import { channelBaseId } from './ids';
import { CHANNEL_SEND_STATES, MESSAGE_LAST_SENT, NODE_SEND_STATES } from './table';
import { StateWriter } from './writer';
import { ALL, sections, objectsUnder, started, sendStatus } from './writer-fixtures.test';

describe('states/writer: sending', () => {
    it('creates send/sendStatus objects once for every configured channel, with the write flags of the table', async () => {
        const fake = new FakeAdapter();
        const writer = new StateWriter(fake);
        await writer.init(['LongFast', 'Admin.Chan', 'LongFast']);
        await writer.flush();
        expect(fake.objects.get('channels.LongFast.send')).to.deep.equal({
            type: 'state',
            common: CHANNEL_SEND_STATES.send.common,
            native: {},
        });
        expect(fake.objects.get('channels.LongFast.send')?.common).to.deep.include({
            role: 'text',
            read: true,
            write: true,
        });
        expect(fake.objects.get('channels.Admin_Chan.sendStatus')?.common).to.deep.include({
            role: 'json',
            read: true,
            write: false,
        });
        // objects only: no value is written into the command or status states
        expect(fake.states.has('channels.LongFast.send')).to.equal(false);
        expect(fake.states.has('channels.LongFast.sendStatus')).to.equal(false);
        const created = fake.calls.setObjectNotExists;

        writer.ensureChannels(['LongFast', 'Admin.Chan']);
        const message = textMessage();
        writer.apply([{ type: 'channelMessage', channel: channelRecord('LongFast', [message]), message }]);
        writer.writeSendStatus(sendStatus(), { kind: 'channel', name: 'LongFast' });
        writer.writeSendStatus(sendStatus(), { kind: 'channel', name: 'LongFast' });
        await writer.flush();
        // only the data states of the text and the status state were new
        const newObjects = fake.createdOrder.slice(created);
        expect(newObjects.filter(id => id.endsWith('.send'))).to.deep.equal([]);
        expect(newObjects.filter(id => id === 'channels.LongFast.sendStatus')).to.deep.equal([]);
        expect(fake.createdOrder.filter(id => id === 'channels.LongFast.send')).to.have.length(1);
    });

    it('creates send/sendStatus with every node, also for devices stored before they existed', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode(), sections('status'));
        writer.writeNode(fullNode(), sections('info'));
        await writer.flush();
        expect(fake.objects.get('nodes.a1b2c3d4.send')?.common).to.deep.equal(NODE_SEND_STATES.send.common);
        expect(fake.objects.get('nodes.a1b2c3d4.sendStatus')?.common).to.deep.equal(NODE_SEND_STATES.status.common);
        expect(fake.objects.get('nodes.a1b2c3d4.traceroute')?.type).to.equal('channel');
        expect(fake.objects.get('nodes.a1b2c3d4.traceroute.request')?.common).to.deep.include({
            type: 'boolean',
            role: 'button',
            read: false,
            write: true,
        });
        expect(fake.states.has('nodes.a1b2c3d4.traceroute.request')).to.equal(false);
        expect(fake.createdOrder.filter(id => id === 'nodes.a1b2c3d4.send')).to.have.length(1);
        expect(fake.createdOrder.indexOf('nodes.a1b2c3d4')).to.be.below(
            fake.createdOrder.indexOf('nodes.a1b2c3d4.send'),
        );

        // an old installation: device and data, no send states
        const old = new FakeAdapter();
        old.putObject('nodes', { type: 'folder', common: { name: 'Mesh nodes' }, native: {} });
        old.putObject('nodes.0badc0de', { type: 'device', common: { name: '!0badc0de' }, native: {} });
        old.putObject('nodes.0badc0de.status', { type: 'channel', common: { name: 'Status' }, native: {} });
        old.putObject('nodes.0badc0de.status.lastHeard', {
            type: 'state',
            common: { name: 'Last heard', type: 'number', role: 'date', read: true, write: false },
            native: {},
        });
        old.putState('nodes.0badc0de.status.lastHeard', 5);
        const second = new StateWriter(old);
        const restored = await second.init();
        await second.flush();
        expect(restored.map(n => n.hex)).to.deep.equal(['0badc0de']);
        expect(old.objects.get('nodes.0badc0de.send')?.common.write).to.equal(true);
        expect(old.objects.has('nodes.0badc0de.sendStatus')).to.equal(true);
        expect(old.objects.has('nodes.0badc0de.traceroute.request')).to.equal(true);

        // next start: nothing to create
        const calls = old.calls.setObjectNotExists;
        const third = new StateWriter(old);
        await third.init();
        await third.flush();
        expect(old.calls.setObjectNotExists).to.equal(calls);
    });

    it('never takes stored send/sendStatus values for data', async () => {
        const fake = new FakeAdapter();
        const first = await started(fake);
        first.writeNode(fullNode(), ALL);
        first.ensureChannels(['LongFast']);
        await first.flush();
        fake.putState('nodes.a1b2c3d4.send', 'pending command'); // user write (ack=false) before a restart
        fake.putState('nodes.a1b2c3d4.sendStatus', JSON.stringify(sendStatus({ to: '!a1b2c3d4' })));
        fake.putState('channels.LongFast.send', 'to the channel');
        const second = new StateWriter(fake);
        const [restored] = await second.init(['LongFast']);
        expect(restored.hex).to.equal('a1b2c3d4');
        expect(restored.lastText?.text).to.equal(fullNode().lastText?.text);
        expect(second.cachedValue('nodes.a1b2c3d4.send')).to.equal(undefined);
        expect(second.cachedValue('nodes.a1b2c3d4.sendStatus')).to.equal(undefined);
        expect(second.cachedValue('channels.LongFast.send')).to.equal(undefined);
        expect(second.cachedValue('nodes.a1b2c3d4.info.longName')).to.equal('Alpha Base');
        // the writer never writes into a send state
        second.writeNode(fullNode(), ALL);
        await second.flush();
        expect(fake.stateWrites.filter(w => w.id.endsWith('.send'))).to.deep.equal([]);
        expect(fake.val('nodes.a1b2c3d4.send')).to.equal('pending command');
    });

    it('writes sendStatus and messages.lastSent on every status, even when equal', async () => {
        const fake = new FakeAdapter();
        const writer = new StateWriter(fake);
        await writer.init(['Long.Fast']);
        const queued = sendStatus({ channel: 'Long.Fast' });
        writer.writeSendStatus(queued, { kind: 'channel', name: 'Long.Fast' });
        await writer.flush();
        writer.writeSendStatus(queued, { kind: 'channel', name: 'Long.Fast' });
        await writer.flush();
        const sent = sendStatus({ channel: 'Long.Fast', status: 'sent', parts: 2 });
        writer.writeSendStatus(sent, { kind: 'channel', name: 'Long.Fast' });
        await writer.flush();
        const statusWrites = fake.stateWrites.filter(w => w.id === 'channels.Long_Fast.sendStatus');
        expect(statusWrites.map(w => (JSON.parse(w.val as string) as SendStatus).status)).to.deep.equal([
            'queued',
            'queued',
            'sent',
        ]);
        expect(fake.stateWrites.filter(w => w.id === MESSAGE_LAST_SENT.id)).to.have.length(3);
        expect(JSON.parse(fake.val('messages.lastSent') as string)).to.deep.equal(sent);
        expect(fake.states.get('channels.Long_Fast.sendStatus')?.ack).to.equal(true);
        expect(fake.objects.get('messages.lastSent')?.common).to.deep.include({ role: 'json', write: false });
        expect(fake.writesWithoutObject).to.deep.equal([]);
        // a status for a channel not configured yet creates its objects
        writer.writeSendStatus(sendStatus({ channel: 'Other' }), { kind: 'channel', name: 'Other' });
        await writer.flush();
        expect(fake.objects.get('channels.Other.send')?.common.write).to.equal(true);
        expect(fake.val('channels.Other.sendStatus')).to.be.a('string');
        expect(writer.channelNameForId('Other')).to.equal('Other');
    });

    it('writes a node sendStatus only for known devices; messages.lastSent always', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        writer.writeNode(fullNode(), sections('status'));
        await writer.flush();
        const acked = sendStatus({ to: '!a1b2c3d4', channel: 'PKI', status: 'acked' });
        writer.writeSendStatus(acked, { kind: 'node', hex: 'a1b2c3d4' });
        await writer.flush();
        writer.writeSendStatus(acked, { kind: 'node', hex: 'a1b2c3d4' });
        await writer.flush();
        expect(fake.stateWrites.filter(w => w.id === 'nodes.a1b2c3d4.sendStatus')).to.have.length(2);
        expect(JSON.parse(fake.val('nodes.a1b2c3d4.sendStatus') as string)).to.deep.equal(acked);

        const unknown = sendStatus({ to: '!0000beef', channel: 'PKI', status: 'failed', error: 'no public key' });
        writer.writeSendStatus(unknown, { kind: 'node', hex: '0000beef' });
        await writer.flush();
        writer.writeSendStatus(unknown, { kind: 'node', hex: '../EVIL' });
        await writer.flush();
        expect(objectsUnder(fake, 'nodes.0000beef')).to.deep.equal([]);
        expect([...fake.objects.keys()].filter(id => id.includes('EVIL'))).to.deep.equal([]);
        expect(JSON.parse(fake.val('messages.lastSent') as string)).to.deep.equal(unknown);
        expect(fake.stateWrites.filter(w => w.id === 'messages.lastSent')).to.have.length(4);
        expect(writer.knownNodeHexes()).to.deep.equal(['a1b2c3d4']);

        // a device being created right now is good enough
        writer.writeNode(fullNode('0badc0de'), sections('status'));
        writer.writeSendStatus(sendStatus({ to: '!0badc0de' }), { kind: 'node', hex: '0badc0de' });
        await writer.flush();
        expect(fake.val('nodes.0badc0de.sendStatus')).to.be.a('string');
        expect(fake.writesWithoutObject).to.deep.equal([]);

        // removal takes the send states with the node
        await writer.removeNode('a1b2c3d4');
        expect(objectsUnder(fake, 'nodes.a1b2c3d4')).to.deep.equal([]);
    });

    it('maps send state ids to targets with the configured channel name', async () => {
        const fake = new FakeAdapter();
        const writer = new StateWriter(fake);
        const hostile = ['Long.Fast', 'a b#c+*?', '', '../../x', 'Grüße', 'x'.repeat(100), 'a.b', 'a_b'];
        await writer.init(hostile);
        await writer.flush();
        for (const name of hostile.slice(0, 6)) {
            const base = channelBaseId(name);
            const part = base.slice('channels.'.length);
            expect(writer.channelNameForId(part), name).to.equal(name);
            expect(writer.sendStateTarget(`${base}.send`), name).to.deep.equal({ kind: 'channel', name, id: part });
            expect(writer.sendStateTarget(`meshtastic.0.${base}.send`), name).to.deep.equal({
                kind: 'channel',
                name,
                id: part,
            });
            expect(fake.objects.get(`${base}.send`)?.common.write, name).to.equal(true);
        }
        // 'a.b' and 'a_b' share the id level: the first configured name wins
        expect(writer.channelNameForId('a_b')).to.equal('a.b');
        expect(writer.sendStateTarget('channels.a_b.send')).to.deep.equal({ kind: 'channel', name: 'a.b', id: 'a_b' });
        expect(writer.sendStateTarget('channels.NotConfigured.send')).to.equal(undefined);
        expect(writer.sendStateTarget('channels.Long_Fast.sendStatus')).to.equal(undefined);
        expect(writer.sendStateTarget('channels.Long_Fast.lastMessage')).to.equal(undefined);
        expect(writer.sendStateTarget('nodes.a1b2c3d4.send')).to.deep.equal({ kind: 'node', hex: 'a1b2c3d4' });
        expect(writer.sendStateTarget('meshtastic.0.nodes.a1b2c3d4.send')).to.deep.equal({
            kind: 'node',
            hex: 'a1b2c3d4',
        });
        expect(writer.sendStateTarget('meshtastic.1.nodes.a1b2c3d4.send')).to.equal(undefined);
        expect(writer.sendStateTarget('nodes.a1b2c3d4.info.send')).to.equal(undefined);
        expect(writer.channelNameForId('Nope')).to.equal(undefined);
        // channels known from texts are remembered too
        const message = textMessage();
        writer.apply([{ type: 'channelMessage', channel: channelRecord('From.Text', [message]), message }]);
        expect(writer.sendStateTarget('channels.From_Text.send')).to.deep.equal({
            kind: 'channel',
            name: 'From.Text',
            id: 'From_Text',
        });
    });

    it('writes messages.direct only for DMs to our own node (settable later)', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake);
        const toOthers = textMessage({ direct: true, text: 'between others', to: 0x0badc0de });
        const toUs = textMessage({ direct: true, text: 'for us', to: 0x0a1b2c3d });
        writer.apply([{ type: 'directMessage', message: toUs }]); // no own node yet: not ours
        await writer.flush();
        expect(fake.val('messages.direct')).to.equal(undefined);
        expect(JSON.parse(fake.val('messages.last') as string)).to.deep.equal(toUs);

        writer.setOwnNodeNum(0x0a1b2c3d);
        writer.apply([
            { type: 'directMessage', message: toUs },
            { type: 'directMessage', message: toOthers },
        ]);
        await writer.flush();
        expect(JSON.parse(fake.val('messages.direct') as string)).to.deep.equal(toUs);
        expect(fake.stateWrites.filter(w => w.id === 'messages.direct')).to.have.length(1);
        expect(JSON.parse(fake.val('messages.last') as string)).to.deep.equal(toOthers);

        writer.setOwnNodeNum(0);
        writer.apply([{ type: 'directMessage', message: toUs }]);
        await writer.flush();
        expect(fake.stateWrites.filter(w => w.id === 'messages.direct')).to.have.length(1);

        for (const invalid of [-1, 1.5, Number.NaN, 2 ** 32]) {
            writer.setOwnNodeNum(invalid);
            writer.apply([{ type: 'directMessage', message: textMessage({ direct: true, to: 0xffffffff }) }]);
        }
        await writer.flush();
        expect(fake.stateWrites.filter(w => w.id === 'messages.direct')).to.have.length(1);

        const other = new FakeAdapter();
        const fromOption = await started(other, { ownNodeNum: 0x0a1b2c3d });
        fromOption.apply([{ type: 'directMessage', message: toUs }]);
        await fromOption.flush();
        expect(JSON.parse(other.val('messages.direct') as string)).to.deep.equal(toUs);
    });

    it('coalesces a burst of statuses to the newest one (like every state), unflushed', async () => {
        const fake = new FakeAdapter();
        const writer = await started(fake, { maxInFlight: 1 });
        writer.ensureChannels(['LongFast']);
        await writer.flush();
        for (const status of ['queued', 'sent', 'acked'] as const) {
            writer.writeSendStatus(sendStatus({ status }), { kind: 'channel', name: 'LongFast' });
        }
        await writer.flush();
        const last = fake.stateWrites.filter(w => w.id === 'channels.LongFast.sendStatus').pop();
        expect((JSON.parse(last!.val as string) as SendStatus).status).to.equal('acked');
        expect((JSON.parse(fake.val('messages.lastSent') as string) as SendStatus).status).to.equal('acked');
    });
});
