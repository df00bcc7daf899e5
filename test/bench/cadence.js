'use strict';
// Phase "cadence": CADENCE_NODES nodes with the cadence of a real mesh (test/support/bench-cadence.js), time
// compressed in the adapter process (test/bench/clock-preload.js: mesh time runs CADENCE_SCALE× real time), so each
// node's packets are minutes of mesh time apart but arrive seconds apart. Run twice on the same DB: everything
// written per packet, then the default write cadence (adapter restarted). Per round of CADENCE_ROUND_MIN mesh minutes:
// writes per packet by kind (from the states DB change feed) and the adapter process's own CPU time per packet.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Traffic } = require('../support/bench-traffic');
const { cadenceSchedule } = require('../support/bench-cadence');
const { NS, sleep, getStats, waitForStats, idle, cpuSeconds, WriteTracker } = require('../support/bench-harness');
const { startGatewayProcess } = require('../support/gateway-process');
const settings = require('./settings');
const { PORT, ROOT, CADENCE_NODES, CADENCE_SCALE, CADENCE_SETTLE_MIN, CADENCE_ROUND_MIN, CADENCE_ROUNDS } = settings;
const { WINDOW, round, fmt, say, report, brokerConfig } = settings;
const { adapterEnv, watchAdapter, adapterGone, assertAlive, startAdapterBounded } = require('./adapter-run');
const { publishAndDrain, delta } = require('./feed');

const MIN = 60_000;
const CLOCK_FILE = path.join(os.tmpdir(), `meshtastic-bench-clock-${process.pid}.json`);
const EVERY_PACKET = { radioWrites: 'packet', lastHeardMinutes: 0 };
/** The adapter's defaults (io-package native), over the bench's per-packet settings. */
const { native } = require('../../io-package.json');
const DEFAULTS = {
    radioWrites: native.radioWrites,
    radioMinutes: native.radioMinutes,
    lastHeardMinutes: native.lastHeardMinutes,
};
const KINDS = ['lastHeard', 'radio', 'values', 'messages', 'stats'];

/** Kind of a written state: what the issue asks writes per packet by. */
function kindOf(kind) {
    if (kind === 'nodes.*.status.lastHeard') {
        return 'lastHeard';
    }
    if (kind.startsWith('nodes.*.radio.')) {
        return 'radio';
    }
    if (kind.startsWith('stats.') || kind.startsWith('info.')) {
        return 'stats';
    }
    if (kind.startsWith('messages.') || kind.startsWith('nodes.*.messages.') || kind.startsWith('channels.')) {
        return 'messages';
    }
    return 'values';
}

function byKind(tracker) {
    const out = { lastHeard: 0, radio: 0, values: 0, messages: 0, stats: 0 };
    for (const [kind, count] of tracker.byKind) {
        out[kindOf(kind)] += count;
    }
    return out;
}

/** Mean, min and max of the rounds' values. */
const spread = values => {
    const finite = values.filter(Number.isFinite);
    return finite.length
        ? {
              mean: round(finite.reduce((a, b) => a + b, 0) / finite.length, 3),
              min: Math.min(...finite),
              max: Math.max(...finite),
          }
        : { mean: null, min: null, max: null };
};
const spreadText = s => (s.min === s.max ? `${s.min}` : `${s.mean} (${s.min}–${s.max})`);

/** The adapter restarted in the same DB (as startup.js does): @iobroker/testing allows one start per harness. */
async function startAdapter(harness, env, first) {
    if (first) {
        await startAdapterBounded(harness, 60000, env);
    } else {
        await Promise.race([harness.stopAdapter(), sleep(20000)]);
        if (harness.isAdapterRunning()) {
            harness.adapterProcess?.kill('SIGKILL');
            await sleep(500);
        }
        harness._adapterExit = undefined;
        harness._adapterProcess = undefined;
        await harness.states.setStateAsync(`system.adapter.${NS}.alive`, {
            val: false,
            ack: true,
            from: 'system.host.testing',
        });
        watchAdapter(harness);
        await harness.startAdapter(env);
    }
    const ready = await waitForStats(harness, s => s.nodes >= 0, 120000, 500, adapterGone);
    if (!ready.ok) {
        throw new Error('the adapter does not answer getStats');
    }
}

/** Figures of one round between two samples. */
function roundOf(a, b, packets, roundMs) {
    const received = b.stats.stats.received - a.stats.stats.received;
    const kinds = {};
    for (const key of KINDS) {
        kinds[key] = (b.kinds[key] - a.kinds[key]) / received;
    }
    const seconds = (b.t - a.t) / 1000;
    // stats are written on a real-time interval (5 s): per packet at the real mesh's packet rate, not the compressed one
    const realPacketsPerSecond = packets / (roundMs / 1000);
    const statsPerSecond = (b.kinds.stats - a.kinds.stats) / seconds;
    kinds.stats = statsPerSecond / realPacketsPerSecond;
    const writes = kinds.lastHeard + kinds.radio + kinds.values + kinds.messages;
    return {
        received,
        kinds,
        writesPerPacket: writes + kinds.stats,
        overheadPerPacket: kinds.lastHeard + kinds.radio + kinds.stats,
        // DB writes per second at 100 packets/s of this mix: the stats interval's writes do not grow with packets
        writesPerSecondPer100: writes * 100 + statsPerSecond,
        // in the adapter process: the compressed run's writes per packet (stats included as they were written)
        dbWritesPerPacket: writes + (b.kinds.stats - a.kinds.stats) / received,
        cpuMicrosPerPacket: ((b.cpu - a.cpu) / received) * 1e6,
        backlog: b.stats.writer.backlog,
    };
}

/** One run: the adapter with `config`, a settle window, then CADENCE_ROUNDS measured rounds. */
async function runOnce(harness, run, name, config) {
    const { traffic, nodes } = run;
    await harness.changeAdapterConfig('meshtastic', brokerConfig({ maxNodes: CADENCE_NODES + 100, ...config }));
    fs.rmSync(CLOCK_FILE, { force: true });
    const base = await adapterEnv(harness);
    const preload = `--require ${path.join(__dirname, 'clock-preload.js')}`;
    const env = { ...base, NODE_OPTIONS: [base.NODE_OPTIONS, preload].filter(Boolean).join(' ') };
    env.BENCH_CLOCK_FILE = CLOCK_FILE;
    // the gateway clients do not reconnect: new ones for every adapter start
    const first = !run.gateways;
    await run.gateways?.close();
    const t0 = Date.now();
    await startAdapter(harness, env, first);
    const startSeconds = round((Date.now() - t0) / 1000, 1);
    const gateways = (run.gateways = await startGatewayProcess(PORT, traffic.gateways));
    if (!run.warm) {
        // First hearing of every node (its objects are created): not part of the cadence figures.
        const w = await publishAndDrain(harness, gateways, traffic.warmup(nodes), { limitMs: 240000, drainMs: 120000 });
        const objects = delta(w.after, w.before, s => s.writer.objectsCreated);
        run.warm = { packets: w.pub.acked, seconds: round(w.seconds, 1), drained: w.drained, objects };
        say(
            `cadence: warm-up ${fmt(w.pub.acked)} packets, ${w.after?.nodes} nodes known, ${fmt(objects)} objects ` +
                `created in ${run.warm.seconds} s${w.drained ? '' : ' (NOT drained)'}`,
        );
    }
    const adapterPid = harness.adapterProcess?.pid;
    const settleMs = CADENCE_SETTLE_MIN * MIN;
    const roundMs = CADENCE_ROUND_MIN * MIN;
    const endMs = settleMs + CADENCE_ROUNDS * roundMs;
    const schedule = cadenceSchedule(traffic, nodes, { fromMs: 0, toMs: endMs, seed: run.seed++ });
    // Mesh time starts now (the adapter reads the clock file within 50 ms); a packet is due at meshMs / scale.
    const originReal = Date.now() + 500;
    fs.writeFileSync(CLOCK_FILE, JSON.stringify({ originReal, scale: CADENCE_SCALE }));
    for (const p of schedule.packets) {
        p.at = originReal + p.meshMs / CADENCE_SCALE;
    }
    const tracker = new WriteTracker(harness);
    const boundaries = [settleMs];
    for (let k = 1; k <= CADENCE_ROUNDS; k++) {
        boundaries.push(settleMs + k * roundMs);
    }
    const samples = [];
    const sampler = (async () => {
        for (const meshMs of boundaries) {
            const due = originReal + meshMs / CADENCE_SCALE;
            while (Date.now() < due && !adapterGone()) {
                await sleep(Math.min(200, due - Date.now()));
            }
            // the window's packets are published by now; a moment for the adapter to take and write them
            await sleep(300);
            const stats = await getStats(harness, 10000).catch(() => undefined);
            samples.push({ meshMs, t: Date.now(), cpu: cpuSeconds(adapterPid), stats, kinds: byKind(tracker) });
        }
    })();
    const published = await gateways.publishWindowed(schedule.packets, {
        window: WINDOW,
        qos: 1,
        deadline: originReal + endMs / CADENCE_SCALE + 60000,
        abort: adapterGone,
    });
    await sampler;
    await waitForStats(harness, s => idle(s), 30000, 200, adapterGone);
    assertAlive(`the cadence phase (${name})`);
    tracker.stop();
    if (published.acked < schedule.packets.length || samples.some(s => !s.stats)) {
        throw new Error(`cadence (${name}): ${published.acked} of ${schedule.packets.length} packets published`);
    }
    const packetsBefore = t => schedule.packets.filter(p => p.meshMs < t).length;
    const rounds = [];
    for (let k = 1; k < samples.length; k++) {
        const packets = packetsBefore(samples[k].meshMs) - packetsBefore(samples[k - 1].meshMs);
        rounds.push(roundOf(samples[k - 1], samples[k], packets, roundMs));
    }
    const pick = (key, digits = 3) => spread(rounds.map(r => round(r[key], digits)));
    const kinds = {};
    for (const key of KINDS) {
        kinds[key] = spread(rounds.map(r => round(r.kinds[key], 3)));
    }
    const result = {
        config: name,
        settings: config,
        nodes: CADENCE_NODES,
        scale: CADENCE_SCALE,
        startSeconds,
        packets: schedule.packets.length,
        unique: schedule.unique,
        duplicatesPercent: round((schedule.duplicates / schedule.packets.length) * 100, 0),
        meshPacketsPerSecond: round(schedule.packets.length / (endMs / 1000), 1),
        realPacketsPerSecond: round((schedule.packets.length / (endMs / 1000)) * CADENCE_SCALE, 0),
        writesPerPacket: pick('writesPerPacket'),
        overheadWritesPerPacket: pick('overheadPerPacket'),
        kinds,
        writesPerSecondPer100: pick('writesPerSecondPer100', 0),
        dbWritesPerPacket: pick('dbWritesPerPacket'),
        adapterCpuMicrosPerPacket: pick('cpuMicrosPerPacket', 1),
        rounds: rounds.map(r => ({ cpu: round(r.cpuMicrosPerPacket, 1), writes: round(r.dbWritesPerPacket, 3) })),
        backlogAtRoundEnd: rounds.map(r => r.backlog).join(' / '),
    };
    say(
        `cadence (${name}): ${fmt(result.packets)} packets (${fmt(result.unique)} unique, ${result.duplicatesPercent} % duplicates) ` +
            `of ${fmt(CADENCE_NODES)} nodes in ${CADENCE_SETTLE_MIN + CADENCE_ROUNDS * CADENCE_ROUND_MIN} mesh minutes ` +
            `(${result.meshPacketsPerSecond}/s of mesh time, ${fmt(result.realPacketsPerSecond)}/s at ${CADENCE_SCALE}× time); ` +
            `adapter (re)start ${startSeconds} s; writer backlog at the round ends ${result.backlogAtRoundEnd}`,
    );
    say(
        `cadence (${name}): writes per packet ${spreadText(result.writesPerPacket)}, overhead lastHeard+radio+stats ` +
            `${spreadText(result.overheadWritesPerPacket)}; ${KINDS.map(k => `${k} ${spreadText(kinds[k])}`).join(', ')}; ` +
            `${spreadText(result.writesPerSecondPer100)} DB writes/s per 100 packets/s; adapter CPU ` +
            `${spreadText(result.adapterCpuMicrosPerPacket)} µs per packet (mean (min–max) of ${CADENCE_ROUNDS} rounds of ` +
            `${CADENCE_ROUND_MIN} mesh minutes after ${CADENCE_SETTLE_MIN} to settle)`,
    );
    return result;
}

/**
 * Adapter CPU per packet = pipeline + per write × writes per packet, from the rounds of both runs (least squares):
 * what the adapter's own code costs apart from the DB calls it makes (js-controller's setState: four round trips).
 */
function cpuModel(runs) {
    const points = runs.flatMap(r => r.rounds);
    const n = points.length;
    const mx = points.reduce((s, p) => s + p.writes, 0) / n;
    const my = points.reduce((s, p) => s + p.cpu, 0) / n;
    const sxx = points.reduce((s, p) => s + (p.writes - mx) ** 2, 0);
    const sxy = points.reduce((s, p) => s + (p.writes - mx) * (p.cpu - my), 0);
    const perWrite = sxx > 0 ? sxy / sxx : null;
    return {
        pipelineMicrosPerPacket: perWrite === null ? null : round(my - perWrite * mx, 1),
        microsPerWrite: perWrite === null ? null : round(perWrite, 1),
    };
}

async function measureCadence(harness, run) {
    run.traffic = new Traffic({ root: ROOT, seed: 11, nodeBase: 0x30000000 });
    run.nodes = run.traffic.nodes(CADENCE_NODES);
    run.seed = 5;
    say(
        `cadence: ${fmt(CADENCE_NODES)} nodes, mesh time ${CADENCE_SCALE}× compressed; everything per packet, then ` +
            `the defaults (${JSON.stringify(DEFAULTS)})`,
    );
    const everyPacket = await runOnce(harness, run, 'every packet', EVERY_PACKET);
    const defaults = await runOnce(harness, run, 'defaults', DEFAULTS);
    const model = cpuModel([everyPacket, defaults]);
    say(
        `cadence: adapter CPU per packet ≈ ${model.pipelineMicrosPerPacket} µs + ${model.microsPerWrite} µs per DB write ` +
            `(fit over the rounds of both runs)`,
    );
    report('cadence', { warmup: run.warm, everyPacket, defaults, cpuModel: model });
    fs.rmSync(CLOCK_FILE, { force: true });
}

module.exports = { measureCadence };
