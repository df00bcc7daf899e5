'use strict';
// Broker mode under hostile input: node and channel names an attacker chooses, then ≥ 100,000 mutated real envelopes
// (random gateway ids and channel names among them) from several clients at once.
const { expect } = require('chai');
const { envelopes } = require('../../support/vectors');
const { connectWhenReady, publish } = require('../../support/mqtt');
const { waitFor, waitForState, readState, sleep } = require('../../support/harness');
const { prng, hostileMessage } = require('../../support/mutator');
const { sampleRss, adapterLogLines, linesPerKind } = require('../../support/reliability');
const { scaled } = require('../../support/scale');
const codec = require('../../../build/lib/codec');

const NS = 'meshtastic.0';
const ROOT = 'msh/EU_868';
const ENVELOPES = scaled('RELIABILITY_ENVELOPES', 100_000);
const CLIENTS = 4;
const IN_FLIGHT = 200;
/** What the adapter may keep as a name (src/lib/mesh/util.ts): no C0/C1 controls, zero-width or bidi controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const ID_LEVEL = /^[\p{L}\p{N}_-]+$/u;

const HOSTILE_NAMES = [
    'bell\u0007 esc\u001b[31mred\u001b[0m\r\n2026-01-01 00:00:00.000  - error: forged line',
    '\u202eexe.txt\u202c evil',
    'x'.repeat(10_240),
    '../../system.adapter.admin.0',
    'a.b.c.d',
    '🛰️📡🔥 mesh 🏔️',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    'nul\u0000in the middle',
    '*#+?',
];
const HOSTILE_CHANNELS = ['..', 'a.b.c', '<script>', '\u202eLongFast', '🔥🔥', 'c'.repeat(200), 'sp ace', '$x%y'];

const stats = async harness => {
    const out = {};
    for (const key of ['received', 'decoded', 'undecryptable', 'invalid', 'ignored', 'duplicates']) {
        out[key] = (await readState(harness, `${NS}.stats.${key}`))?.val ?? 0;
    }
    return out;
};

/** Publishes all messages over one client, QoS 1, at most IN_FLIGHT unacknowledged. */
async function pump(client, messages) {
    const inFlight = new Set();
    for (const m of messages) {
        const p = client.publishAsync(m.topic, m.payload, { qos: 1 }).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= IN_FLIGHT) {
            await Promise.race(inFlight);
        }
    }
    await Promise.all(inFlight);
}

/** Every id level under the namespace is a plain id (sanitised), for all objects the adapter created. */
async function objectIds(harness) {
    const ids = [];
    for (const type of ['state', 'channel', 'device', 'folder']) {
        const view = await harness.objects.getObjectViewAsync('system', type, {
            startkey: `${NS}.`,
            endkey: `${NS}.\u9999`,
        });
        ids.push(...view.rows.map(r => r.id));
    }
    return ids;
}

module.exports = function floodSuite(getHarness, ctx) {
    const clients = [];
    let longFast;
    after(async () => Promise.all(clients.map(c => c.endAsync(true))));

    it('keeps hostile node and channel names as bounded text, ids as nodes.<8 hex>', async function () {
        this.timeout(120_000);
        const harness = getHarness();
        // maxPacketSize: room for the 10 kB name.
        await harness.changeAdapterConfig('meshtastic', ctx.brokerConfig({ maxNodes: 500, maxPacketSize: 32768 }));
        await harness.startAdapterAndWait();
        for (let i = 0; i < CLIENTS; i++) {
            clients.push(await connectWhenReady(ctx.brokerPort, { clientId: `flood-${i}` }, 30_000));
        }
        longFast = codec.makeChannelKey('LongFast', codec.parsePsk('AQ==').value);
        const nums = HOSTILE_NAMES.map((_, i) => 0x10000001 + i);
        for (const [i, name] of HOSTILE_NAMES.entries()) {
            const user = codec.encodeUser({
                id: `!${nums[i].toString(16)}`,
                longName: name,
                shortName: name.slice(0, 12),
                hwModel: 43,
                role: 0,
            });
            const ni = codec.encodeChannelPacket({
                root: ROOT,
                channel: longFast,
                from: nums[i],
                to: 0xffffffff,
                id: 7000 + i,
                data: { portnum: 4, payload: user, bitfield: 1 },
                hopLimit: 3,
                wantAck: false,
            });
            await publish(clients[0], ni.topic, Buffer.from(ni.payload));
        }
        // Encrypted with a key the adapter does not have: these channels end up in stats.unknownChannelList.
        const unknownPsk = codec.parsePsk('q2Fw6Yb9r5x1kQ3ZsT0e4A==').value;
        for (const [i, channel] of HOSTILE_CHANNELS.entries()) {
            const text = codec.encodeChannelPacket({
                root: ROOT,
                channel: codec.makeChannelKey(channel, unknownPsk),
                from: 0x20000001 + i,
                to: 0xffffffff,
                id: 8000 + i,
                data: { portnum: 1, payload: codec.encodeText(`on ${channel}`), bitfield: 1 },
                hopLimit: 3,
                wantAck: false,
            });
            await publish(clients[0], `${ROOT}/2/e/${channel}/!20000001`, Buffer.from(text.payload));
        }
        const stored = [];
        for (const [i, name] of HOSTILE_NAMES.entries()) {
            const hex = nums[i].toString(16);
            const state = await waitForState(
                harness,
                `${NS}.nodes.${hex}.info.longName`,
                s => typeof s?.val === 'string',
                30_000,
            );
            const value = state.val;
            stored.push(value);
            expect(value, JSON.stringify(name)).not.to.match(UNSAFE);
            expect(Array.from(value).length, JSON.stringify(name)).to.be.at.most(40);
            const short = (await readState(harness, `${NS}.nodes.${hex}.info.shortName`))?.val ?? '';
            expect(short).to.be.a('string').and.not.match(UNSAFE);
            const device = await harness.objects.getObjectAsync(`${NS}.nodes.${hex}`);
            expect(device.type).to.equal('device');
            expect(JSON.stringify(device.common.name)).not.to.match(/\\u00[01]/);
        }
        // Text stays text: HTML and emoji exactly as sent, the long name cut to 40 characters.
        expect(stored).to.include('<script>alert(1)</script>').and.include('<img src=x onerror=alert(1)>');
        expect(stored)
            .to.include('🛰️📡🔥 mesh 🏔️')
            .and.include('x'.repeat(40))
            .and.include('../../system.adapter.admin.0');
        const ids = await objectIds(harness);
        const bad = ids.filter(
            id =>
                !id
                    .slice(NS.length + 1)
                    .split('.')
                    .every(level => ID_LEVEL.test(level)),
        );
        expect(bad, 'object ids with unsafe levels').to.deep.equal([]);
        const nodeDevices = ids.filter(id => /^meshtastic\.0\.nodes\.[^.]+$/.test(id));
        expect(
            nodeDevices.every(id => /^meshtastic\.0\.nodes\.[0-9a-f]{8}$/.test(id)),
            nodeDevices.join(),
        ).to.equal(true);
        expect(ids.some(id => id.includes('system') || id.includes('admin'))).to.equal(false);
        const unknown = await waitForState(
            harness,
            `${NS}.stats.unknownChannelList`,
            s => JSON.parse(s?.val || '[]').length >= HOSTILE_CHANNELS.length,
            15_000,
        );
        const list = JSON.parse(unknown.val);
        for (const entry of list) {
            expect(entry.channelId).to.be.a('string').and.not.match(UNSAFE);
            expect(Array.from(entry.channelId).length).to.be.at.most(64);
        }
        expect(list.map(e => e.channelId))
            .to.include('<script>')
            .and.include('..')
            .and.include('a.b.c');
        const channelObjects = ids.filter(id => /^meshtastic\.0\.channels\.[^.]+$/.test(id));
        expect(channelObjects, 'only configured channels get objects').to.deep.equal([`${NS}.channels.LongFast`]);
        console.log(
            `      hostile names: ${HOSTILE_NAMES.length} nodes, stored as ${JSON.stringify(stored.map(s => (s.length > 24 ? `${s.slice(0, 24)}…(${s.length})` : s)))}; ${ids.length} object ids all safe; unknown channels listed as ${JSON.stringify(list.map(e => (e.channelId.length > 16 ? `${e.channelId.slice(0, 16)}…(${e.channelId.length})` : e.channelId)))}`,
        );
        expect(harness.isAdapterRunning()).to.equal(true);
    });

    it(`survives ${ENVELOPES.toLocaleString('en')} mutated envelopes: counters add up, logs and RSS bounded`, async function () {
        this.timeout(10 * 60_000);
        const harness = getHarness();
        // Settled before the mark: the earlier test's lines are not this flood's.
        await sleep(6000);
        const settled = await stats(harness);
        const logMark = adapterLogLines(harness).length;
        const vectors = envelopes(ROOT);
        const r = prng(Number(process.env.RELIABILITY_SEED || 0xf100d));
        const perClient = Array.from({ length: CLIENTS }, () => []);
        for (let i = 0; i < ENVELOPES; i++) {
            perClient[i % CLIENTS].push(hostileMessage(vectors, r, ROOT));
        }
        const rss = sampleRss(harness);
        const started = Date.now();
        await Promise.all(clients.map((c, i) => pump(c, perClient[i])));
        const publishSeconds = (Date.now() - started) / 1000;
        const after = await waitFor(
            async () => {
                const s = await stats(harness);
                return s.received - settled.received >= ENVELOPES ? s : undefined;
            },
            180_000,
            `stats.received to grow by ${ENVELOPES}`,
        ).catch(async e => {
            throw new Error(
                `${e.message}; stats ${JSON.stringify(await stats(harness))}, before ${JSON.stringify(settled)}`,
            );
        });
        const ingestSeconds = (Date.now() - started) / 1000;
        await sleep(6000); // one more stats interval: nothing else arrives
        const final = await stats(harness);
        const memory = rss.stop();
        const delta = key => final[key] - settled[key];
        const lines = adapterLogLines(harness).slice(logMark);
        const kinds = linesPerKind(lines);
        const visible = [...kinds.values()].reduce((a, b) => a + b, 0);
        console.log(
            `      flood: ${ENVELOPES} envelopes published in ${publishSeconds.toFixed(1)} s, counted after ${ingestSeconds.toFixed(1)} s ` +
                `(${Math.round(ENVELOPES / ingestSeconds)}/s); received +${delta('received')} = decoded +${delta('decoded')} ` +
                `+ undecryptable +${delta('undecryptable')} + invalid +${delta('invalid')} + ignored +${delta('ignored')} (duplicates +${delta('duplicates')})`,
        );
        console.log(
            `      flood: RSS ${memory.first.toFixed(0)} MB at start, peak ${memory.peak.toFixed(0)} MB, ${memory.last.toFixed(0)} MB at end`,
        );
        console.log(
            `      flood: ${visible} log lines at info level or above in ${kinds.size} kinds: ${JSON.stringify([...kinds])}`,
        );
        expect(final.received, 'counters: a partition').to.equal(
            final.decoded + final.undecryptable + final.invalid + final.ignored,
        );
        expect(delta('received'), 'every published message counted once').to.equal(ENVELOPES);
        for (const key of ['decoded', 'undecryptable', 'invalid', 'ignored']) {
            expect(delta(key), `some ${key}`).to.be.above(0);
        }
        for (const [kind, count] of kinds) {
            expect(count, `log lines of kind "${kind}"`).to.be.at.most(3);
        }
        expect(visible, 'log lines in all').to.be.at.most(30);
        expect(memory.peak, 'peak RSS (MB)').to.be.below(400);
        expect(harness.isAdapterRunning()).to.equal(true);
        expect((await readState(harness, `system.adapter.${NS}.alive`)).val).to.equal(true);
        // Still decoding after the flood.
        const alive = codec.encodeChannelPacket({
            root: ROOT,
            channel: longFast,
            from: 0x30000001,
            to: 0xffffffff,
            id: 9001,
            data: { portnum: 1, payload: codec.encodeText('still alive'), bitfield: 1 },
            hopLimit: 3,
            wantAck: false,
        });
        await publish(clients[0], alive.topic, Buffer.from(alive.payload));
        await waitForState(harness, `${NS}.channels.LongFast.lastMessage`, s => s?.val === 'still alive', 30_000);
    });
};
