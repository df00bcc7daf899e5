import { expect } from 'chai';
import { decoded, meshModel, nodeinfo, position, T0, telemetry, text } from '../../test-support/mesh-fixtures';
import type { ChannelConfig } from '../config';
import type { MeshModel } from '../mesh';
import { PortNum } from '../codec';
import { open, US, useMessengerHarness } from '../send/messenger-harness.test';
import { TabFeed } from '../tab';
import type { ApiContext, ApiResponse } from './context';
import { answerCommand, NOT_RUNNING } from './router';
import { SENDING_OFF } from './send';

const ALPHA = 0x11111111;
const BRAVO = 0x22222222;

const CHANNELS: ChannelConfig[] = [
    { name: 'LongFast', key: new Uint8Array(16), downlink: true },
    { name: 'Private', key: new Uint8Array(16), downlink: false },
];

/** A mesh that heard Alpha (name, position, telemetry) and Bravo (name only), and a text on a channel not configured. */
function heardMesh(): MeshModel {
    const mesh = meshModel({}, ['LongFast', 'Private']);
    mesh.ingest(decoded({ from: ALPHA, id: 1, payload: nodeinfo() }), T0);
    mesh.ingest(decoded({ from: ALPHA, id: 2, payload: position() }), T0 + 1000);
    mesh.ingest(decoded({ from: ALPHA, id: 3, payload: telemetry('device', { batteryLevel: 87 }) }), T0 + 2000);
    mesh.ingest(
        decoded({
            from: BRAVO,
            id: 4,
            payload: nodeinfo({ id: '!22222222', longName: 'Bravo Relay', shortName: 'BRV' }),
        }),
        T0 + 3000,
    );
    mesh.ingest(decoded({ from: BRAVO, id: 5, channelId: 'Heard', payload: text('hi') }), T0 + 4000);
    return mesh;
}

function context(overrides: Partial<ApiContext> = {}): ApiContext {
    const mesh = overrides.mesh ?? heardMesh();
    const tabFeed = new TabFeed(mesh, { ownNodeNum: 0 });
    tabFeed.seed(mesh.channels());
    return {
        mesh,
        tabFeed,
        ready: true,
        connected: true,
        mode: 'broker',
        channels: CHANNELS,
        tileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
        writerCounters: () => undefined,
        ...overrides,
    };
}

/** The answer exactly as the script's callback would receive it (it crosses js-controller as JSON). */
async function ask(ctx: ApiContext | undefined, command: string, message?: unknown): Promise<ApiResponse> {
    return JSON.parse(JSON.stringify(await answerCommand(ctx, command, message))) as ApiResponse;
}

function names(response: ApiResponse): string[] {
    return (response.nodes as { longName?: string }[]).map(n => n.longName ?? '');
}

describe('api/router', () => {
    it('refuses every command while the adapter is not running, and names unknown commands', async () => {
        expect(await ask(undefined, 'getStats')).to.deep.equal({ error: NOT_RUNNING });
        expect(await ask(context(), 'reboot')).to.deep.equal({ error: 'unknown command "reboot"' });
        expect(await ask(context(), 'toString')).to.deep.equal({ error: 'unknown command "toString"' });
    });

    describe('findNodes', () => {
        it('takes the query as text or as { query }, and summarises without details', async () => {
            const ctx = context();
            expect(names(await ask(ctx, 'findNodes', 'bravo'))).to.deep.equal(['Bravo Relay']);
            const byObject = await ask(ctx, 'findNodes', { query: 'alpha' });
            expect(names(byObject)).to.deep.equal(['Alpha Station']);
            const [alpha] = byObject.nodes as Record<string, unknown>[];
            expect(alpha).to.include({ id: '!11111111', hex: '11111111', objectId: 'nodes.11111111' });
            expect(alpha).to.include({ latitude: 52.52, longitude: 13.405 });
            expect(alpha).not.to.have.property('details');
        });

        it('returns nothing for an empty query, and at most `limit` nodes (default 50)', async () => {
            const ctx = context();
            expect(await ask(ctx, 'findNodes')).to.deep.equal({ nodes: [] });
            expect(await ask(ctx, 'findNodes', { query: 'a', limit: 1 }))
                .to.have.property('nodes')
                .with.length(1);

            const big = meshModel({ maxNodes: 2000 });
            for (let i = 0; i < 1200; i++) {
                const payload = nodeinfo({ id: '', longName: `Station ${i}`, shortName: `S${i}` });
                big.ingest(decoded({ from: 0x01000000 + i, id: i + 1, payload }), T0);
            }
            expect(await ask(context({ mesh: big }), 'findNodes', 'station'))
                .to.have.property('nodes')
                .with.length(50);
            const more = await ask(context({ mesh: big }), 'findNodes', { query: 'station', limit: 70 });
            expect(more).to.have.property('nodes').with.length(70);
            const nonsense = await ask(context({ mesh: big }), 'findNodes', { query: 'station', limit: -3 });
            expect(nonsense).to.have.property('nodes').with.length(50);
            // Past the store's default of 100, up to the documented 1000.
            const all = await ask(context({ mesh: big }), 'findNodes', { query: 'station', limit: 5000 });
            expect(all).to.have.property('nodes').with.length(1000);
        });
    });

    describe('getNode and tabNode', () => {
        it('find a node by !id, by hex text, by number or by { id }, with details', async () => {
            const ctx = context();
            for (const message of ['!11111111', '11111111', { id: ALPHA }, { id: '!11111111' }]) {
                const answer = await ask(ctx, 'getNode', message);
                expect(answer, JSON.stringify(message)).to.have.nested.property('node.longName', 'Alpha Station');
                expect(answer).to.have.nested.property('node.details.telemetry.device.batteryLevel', 87);
            }
        });

        it('answer { error } naming what was asked for when there is no such node', async () => {
            const ctx = context();
            expect(await ask(ctx, 'getNode', '!0badf00d')).to.deep.equal({ error: 'no node !0badf00d' });
            expect(await ask(ctx, 'getNode', { id: 'nonsense' })).to.deep.equal({ error: 'no node nonsense' });
            expect(await ask(ctx, 'getNode')).to.deep.equal({ error: 'no node ' });
            expect(await ask(ctx, 'tabNode', { id: '!0badf00d' })).to.deep.equal({ error: 'no node !0badf00d' });
        });

        it('tabNode adds the telemetry series and the node history', async () => {
            const answer = await ask(context(), 'tabNode', { id: '!11111111' });
            expect(answer).to.have.nested.property('node.longName', 'Alpha Station');
            expect(answer).to.have.property('series').that.is.an('object');
            expect(Object.keys(answer.series as object).some(k => k.includes('batteryLevel'))).to.equal(true);
            expect(answer).to.have.property('history').that.is.an('array');
        });
    });

    describe('tabPoll', () => {
        it('answers the feed delta with the header the tab shows', async () => {
            const ctx = context();
            const answer = await ask(ctx, 'tabPoll', { since: 0, epoch: 0 });
            expect(answer).to.include({
                full: true,
                ready: true,
                connected: true,
                mode: 'broker',
                canSend: false,
                tileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
            });
            // Alpha, Bravo and the gateway they were heard through.
            expect(answer.rows).to.have.length(3);
            expect(answer).not.to.have.property('own');
            expect(answer).to.have.nested.property('stats.decoded', 5);
            // Configured channels first (sendable only with a messenger and downlink), then the ones only heard.
            expect(answer.channels).to.deep.equal([
                { name: 'LongFast', canSend: false },
                { name: 'Private', canSend: false },
                { name: 'Heard', canSend: false },
            ]);
            const again = await ask(ctx, 'tabPoll', { since: answer.rev, epoch: answer.epoch });
            expect(again).to.include({ full: false });
            expect(again.rows).to.deep.equal([]);
        });

        it('before the nodes are restored it still answers the header, without feed fields', async () => {
            const answer = await ask(context({ tabFeed: undefined, ready: false, connected: false }), 'tabPoll');
            expect(answer).to.include({ ready: false, connected: false, canSend: false });
            expect(answer).not.to.have.property('rows');
        });
    });

    describe('send', () => {
        const h = useMessengerHarness();

        it('answers that sending is off without a virtual node', async () => {
            expect(await ask(context(), 'send', { text: 'hello' })).to.deep.equal({ error: SENDING_OFF });
        });

        it('answers the final status of a real send, and the tab then offers the downlink channel', async () => {
            const messenger = h.messenger();
            const ctx = context({ messenger, identity: h.identity });
            const answer = answerCommand(ctx, 'send', { text: 'hello mesh', channel: 'LongFast' });
            await h.clock.runAllAsync();
            const result = await answer;
            expect(result).to.include({ status: 'sent' });
            expect(result.id).to.be.a('number').above(0);
            expect(h.transport.published).to.have.length(1);

            const poll = await ask(ctx, 'tabPoll');
            expect(poll).to.include({ canSend: true });
            expect(poll.own).to.deep.equal({ hex: '1e0b0001', id: '!1e0b0001', longName: 'ioBroker' });
            expect((poll.channels as { canSend: boolean }[]).map(c => c.canSend)).to.deep.equal([true, false, false]);
        });

        it('answers a refused request with its error (the messenger validates)', async () => {
            const ctx = context({ messenger: h.messenger() });
            const answer = answerCommand(ctx, 'send', { text: '' });
            await h.clock.runAllAsync();
            expect(await answer)
                .to.include({ status: 'failed' })
                .and.to.have.property('error')
                .that.is.a('string');
        });
    });

    describe('traceroute', () => {
        const h = useMessengerHarness();

        it('answers that sending is off without a virtual node, and names a refused request', async () => {
            expect(await ask(context(), 'traceroute', { to: '!22222222' })).to.deep.equal({ error: SENDING_OFF });
            const answer = await ask(context({ messenger: h.messenger() }), 'traceroute', { to: 'broadcast' });
            expect(answer).to.include({ id: 0 }).and.to.have.property('error').that.is.a('string');
        });

        it('answers with the route as the mesh model keeps it once the reply arrives', async () => {
            const messenger = h.messenger();
            const ctx = context({ messenger });
            const answer = answerCommand(ctx, 'traceroute', '!22222222');
            await h.clock.tickAsync(0);
            expect(h.transport.published).to.have.length(1);
            const requestId = open(h.transport.published[0]).packet.id;
            const reply = decoded({
                from: BRAVO,
                to: US,
                id: 77,
                data: { portnum: PortNum.TRACEROUTE_APP, requestId },
                payload: { type: 'traceroute', traceroute: { route: [], snrTowards: [5], routeBack: [], snrBack: [] } },
            });
            // as the pipeline does: the send path first, then the model
            messenger.onPacket(reply);
            ctx.mesh.ingest(reply, Date.now());
            const result = JSON.parse(JSON.stringify(await answer)) as ApiResponse;
            expect(result).to.include({ id: requestId, to: '!22222222' });
            expect(result.route).to.deep.include({
                from: '!1e0b0001',
                towards: [{ id: '!1e0b0001' }, { id: '!22222222', name: 'Bravo Relay', snr: 5 }],
            });
        });
    });

    it('getStats: mesh counters, node count, unknown channels, writer counters and memory in MB', async () => {
        const answer = await ask(context(), 'getStats');
        expect(answer).to.include({ ready: true, nodes: 3 });
        expect(answer).to.have.nested.property('stats.received', 5);
        expect(answer.unknownChannels).to.deep.equal([]);
        expect(answer).not.to.have.property('writer');
        const memory = answer.memory as Record<string, number>;
        expect(Object.keys(memory)).to.deep.equal(['rssMB', 'heapUsedMB', 'heapTotalMB', 'externalMB']);
        expect(memory.rssMB).to.be.above(0);
    });
});
