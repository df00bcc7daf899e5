'use strict';
// Phase "steady": 1,000 known nodes (warm-up first), the realistic mix fed as fast as the adapter drains it in
// segments, each between two ceiling rounds; then the "nothing changed → nothing written" check.
const { Traffic } = require('../support/bench-traffic');
const { waitForStats, cpuSeconds, WriteTracker } = require('../support/bench-harness');
const { startGatewayProcess } = require('../support/gateway-process');
const settings = require('./settings');
const { PORT, ROOT, NODES, STEADY_PACKETS, STEADY_MAX_NODES, STEADY_SEGMENTS, GATE_MS, CHECK_PACKETS } = settings;
const { WINDOW, WRITER_MAX_IN_FLIGHT, round, fmt, say, report, brokerConfig } = settings;
const { startAdapterBounded, profilePhase } = require('./adapter-run');
const { startMonitor, publishAndDrain, delta, medianOf } = require('./feed');
const { startCeilingAdapter } = require('./ceiling');

/** `run` keeps what the later phases of the suite use: `traffic`, `gateways`. */
async function measureSteady(harness, run) {
    await harness.changeAdapterConfig('meshtastic', brokerConfig({ maxNodes: STEADY_MAX_NODES }));
    const tracker = new WriteTracker(harness);
    say(`starting the adapter (broker mode, 127.0.0.1:${PORT}, maxNodes ${STEADY_MAX_NODES}) ...`);
    const aliveSeconds = await startAdapterBounded(harness);
    say(
        `adapter alive after ${round(aliveSeconds, 2)} s; warm-up: ${NODES} nodes send NodeInfo, position, device and environment telemetry, a text`,
    );
    const traffic = (run.traffic = new Traffic({ root: ROOT, seed: 42 }));
    const nodes = traffic.nodes(NODES);
    const gateways = (run.gateways = await startGatewayProcess(PORT, traffic.gateways));
    const ready = await waitForStats(harness, () => true, 20000);
    if (!ready.ok) {
        throw new Error('the adapter does not answer getStats');
    }
    const adapterPid = harness.adapterProcess?.pid;

    // Warm-up: every node sends each kind of packet of the steady mix once; their objects are created.
    const warm = traffic.warmup(nodes);
    const w = await publishAndDrain(harness, gateways, warm, { limitMs: 120000, drainMs: 120000 });
    const warmup = {
        packets: w.pub.acked,
        seconds: round(w.seconds, 2),
        drained: w.drained,
        objectsCreated: delta(w.after, w.before, s => s.writer.objectsCreated),
        writes: delta(w.after, w.before, s => s.writer.writes),
        nodes: w.after?.nodes,
    };
    say(
        `warm-up: ${warmup.packets} packets of ${NODES} nodes in ${warmup.seconds} s ` +
            `(${fmt(warmup.objectsCreated)} objects created, ${fmt(warmup.writes)} writes, ${warmup.nodes} nodes known` +
            `${w.drained ? '' : ', NOT drained in time'})`,
    );
    report('warmup', warmup);
    await profilePhase(harness, 'warmup');

    // The ceiling is measured interleaved with the steady phase: the DB's write rate drifts by ±25 % within
    // minutes on these machines (single ceiling rounds 7,700–14,500/s in one run; the jsonl DB persists and
    // compacts in bursts), so separate "before" and "after" measurements compared different moments. The
    // bare adapter runs beside ours with the adapter's 1,000 nodes in the DB, and one of its rounds comes
    // before each steady segment and after the last (nothing else runs during a round: the monitor of
    // the adapter stops); both medians then sample the same minutes of the same DB.
    const ceilingAdapter = await startCeilingAdapter(harness);
    const ceilingRounds = [];
    const ceilingRound = async () => {
        const r = await ceilingAdapter.round();
        ceilingRounds.push(r);
        return r;
    };

    // Steady state: the realistic mix, as fast as the adapter drains it, in STEADY_SEGMENTS segments.
    const steady = traffic.steady(nodes, STEADY_PACKETS);
    tracker.reset();
    const cpuNow = () => ({
        adapter: cpuSeconds(adapterPid),
        controller: cpuSeconds(process.pid),
        gateways: cpuSeconds(gateways.pid),
    });
    const cpuUsed = { adapter: 0, controller: 0, gateways: 0 };
    const monitors = [];
    const segments = [];
    let first;
    let last;
    const perSegment = Math.ceil(steady.packets.length / STEADY_SEGMENTS);
    for (let k = 0; k < STEADY_SEGMENTS; k++) {
        const before = await ceilingRound();
        const part = steady.packets.slice(k * perSegment, (k + 1) * perSegment);
        const cpu0 = cpuNow();
        const gate = { paused: false, wake: () => {} };
        const monitor = startMonitor(harness, { gate, intervalMs: GATE_MS });
        const seg = await publishAndDrain(harness, gateways, part, { gate, limitMs: 150000, drainMs: 60000 });
        await monitor.stop();
        const cpu1 = cpuNow();
        for (const key of Object.keys(cpuUsed)) {
            cpuUsed[key] += cpu1[key] - cpu0[key];
        }
        monitors.push(monitor);
        first ??= seg;
        last = seg;
        const segWrites = delta(seg.after, seg.before, x => x.writer.writes);
        // The segment ends with its last write: the first monitor sample that saw all of them (at most one
        // sample late), else the drain check.
        const done = monitor.series.find(x => x.writes >= seg.after.writer.writes);
        const seconds = done ? (done.t - seg.start) / 1000 : seg.seconds;
        segments.push({
            packets: seg.pub.acked,
            writes: segWrites,
            seconds,
            drainSeconds: seg.seconds,
            drained: seg.drained,
            ceilingBefore: before.perSecond,
        });
    }
    const closing = await ceilingRound();
    segments.forEach((x, k) => {
        x.ceilingAfter = k + 1 < segments.length ? segments[k + 1].ceilingBefore : closing.perSecond;
        x.packetsPerSecond = x.packets / x.seconds;
        x.writesPerSecond = x.writes / x.seconds;
        x.ratio = x.writesPerSecond / ((x.ceilingBefore + x.ceilingAfter) / 2);
    });
    const ceilingEnd = await ceilingAdapter.end();
    const s = {
        before: first.before,
        after: last.after,
        drained: segments.every(x => x.drained),
        seconds: segments.reduce((sum, x) => sum + x.drainSeconds, 0),
    };
    const packets = segments.reduce((sum, x) => sum + x.packets, 0);
    const writes = segments.reduce((sum, x) => sum + x.writes, 0);
    const busy = segments.reduce((sum, x) => sum + x.seconds, 0);
    const sum = key => monitors.reduce((total, m) => total + m[key], 0);
    const samples = sum('samples');
    const result = {
        pipelinePacketsPerSecond: Math.round(medianOf(segments.map(x => x.packetsPerSecond))),
        runPacketsPerSecond: Math.round(packets / busy),
        segments: segments
            .map(x => `${fmt(x.packetsPerSecond)}/${fmt(x.writesPerSecond)} (${round(x.ratio, 2)})`)
            .join(' '),
        segmentCount: segments.length,
        pairedRatioMedian: round(medianOf(segments.map(x => x.ratio)), 3),
        writesPerPacket: round(writes / packets, 3),
        packets,
        uniquePackets: steady.unique,
        generatedDuplicates: steady.duplicates,
        seconds: round(busy, 2),
        drained: s.drained,
        writes,
        writesPerSecond: Math.round(writes / busy),
        received: delta(s.after, s.before, x => x.stats.received),
        decoded: delta(s.after, s.before, x => x.stats.decoded),
        duplicates: delta(s.after, s.before, x => x.stats.duplicates),
        invalid: delta(s.after, s.before, x => x.stats.invalid),
        unchanged: delta(s.after, s.before, x => x.writer.unchanged),
        objectsCreated: delta(s.after, s.before, x => x.writer.objectsCreated),
        writeErrors: delta(s.after, s.before, x => x.writer.errors),
        backlogMax: Math.max(...monitors.map(m => m.backlogMax)),
        backlogAvg: samples ? Math.round(sum('backlogSum') / samples) : null,
        writerInFlightAvg: samples ? round(sum('inFlightSum') / samples, 1) : null,
        writerSaturatedPercent: samples ? round((sum('saturated') / samples) * 100, 0) : null,
        publisherPauses: sum('pauses'),
        publishWindow: WINDOW,
        rssMB: s.after?.memory?.rssMB,
        heapUsedMB: s.after?.memory?.heapUsedMB,
        heapTotalMB: s.after?.memory?.heapTotalMB,
        adapterCpuPercent: round((cpuUsed.adapter / s.seconds) * 100, 0),
        controllerCpuPercent: round((cpuUsed.controller / s.seconds) * 100, 0),
        gatewaysCpuPercent: round((cpuUsed.gateways / s.seconds) * 100, 0),
        feedWrites: tracker.total,
        redundantWrites: tracker.redundant,
        redundantKinds: tracker.top(8, tracker.redundantByKind),
        redundantSamples: tracker.redundantSamples.join('; '),
        topKinds: tracker.top(10),
    };
    say(
        `steady: ${packets} packets (${steady.unique} unique + ${steady.duplicates} duplicates, ` +
            `${round((steady.duplicates / packets) * 100, 0)} %) from ${NODES} nodes via ${traffic.gateways.length} gateways ` +
            `in ${STEADY_SEGMENTS} segments, ${result.seconds} s from first packet to last write ` +
            `(${fmt(result.runPacketsPerSecond)} packets/s)${s.drained ? '' : ' (NOT drained in time)'}; ` +
            `median of the segments ${fmt(result.pipelinePacketsPerSecond)} packets/s ` +
            `(packets/writes per second and ratio to the adjacent ceiling rounds: ${result.segments})`,
    );
    say(
        `steady: ${fmt(writes)} writes = ${result.writesPerPacket} per packet = ${fmt(result.writesPerSecond)} writes/s; ` +
            `${fmt(result.unchanged)} unchanged values skipped, ${result.duplicates} duplicates counted, ` +
            `${result.writeErrors} write errors, ${fmt(result.objectsCreated)} objects created; writer backlog avg ${result.backlogAvg} / max ${result.backlogMax}, ` +
            `${result.writerInFlightAvg} DB calls in flight on average (all ${WRITER_MAX_IN_FLIGHT} busy in ` +
            `${result.writerSaturatedPercent} % of samples), publisher paused ${result.publisherPauses}×`,
    );
    say(
        `steady: CPU adapter ${result.adapterCpuPercent} %, js-controller DB + bench process ${result.controllerCpuPercent} %, ` +
            `gateway clients ${result.gatewaysCpuPercent} % ` +
            `(of one core); adapter RSS ${result.rssMB} MB, heap used ${result.heapUsedMB} of ${result.heapTotalMB} MB`,
    );
    say(`steady: writes by state: ${result.topKinds}`);
    say(
        `steady: ${tracker.total} writes seen in the states DB change feed, ${tracker.redundant} repeat the previous value` +
            `${tracker.redundant ? ` (${result.redundantKinds})` : ''}`,
    );
    report('steady', result);

    const ceiling = {
        ceilingWritesPerSecond: Math.round(medianOf(ceilingRounds.map(x => x.perSecond))),
        ceilingRounds: ceilingRounds.map(x => fmt(x.perSecond)).join(' / '),
        ceilingCpuPercent: Math.round(medianOf(ceilingRounds.map(x => x.cpuPercent))),
        ceilingSerialWritesPerSecond: ceilingEnd.serialPerSecond,
    };
    say(
        `ceiling interleaved with the steady segments (adapter's ${warmup.nodes} nodes in the DB): ` +
            `bare adapter setState ${fmt(ceiling.ceilingWritesPerSecond)}/s (median of ${ceiling.ceilingRounds}; ` +
            `bare adapter process ${ceiling.ceilingCpuPercent} % CPU), ${fmt(ceiling.ceilingSerialWritesPerSecond)}/s one by one`,
    );
    report('ceiling', ceiling);
    await profilePhase(harness, 'steady');

    // Nothing changed → (almost) nothing written. (a) exact duplicates of the last packets through the
    // same gateways; (b) fresh packets repeating each node's last NodeInfo/position/telemetry unchanged.
    // Packets of one node via different gateways may overtake each other in flight (as on a real broker),
    // so the adapter's last value of a state can be an older one than the generator's last: the plan of
    // (b) is sent once unmeasured first, so the measured pass repeats exactly what the adapter holds.
    const originals = steady.packets.filter(p => !p.duplicate).slice(-CHECK_PACKETS);
    const plan = traffic.repeatPlan(nodes, CHECK_PACKETS);
    const check = {};
    for (const [name, packetsOfPart] of [
        ['duplicates', originals],
        ['repeats', traffic.repeatsOf(plan)],
    ]) {
        if (name === 'repeats') {
            const settle = traffic.repeatsOf(plan);
            await publishAndDrain(harness, gateways, settle, { limitMs: 60000, drainMs: 30000 });
        }
        tracker.reset();
        const r = await publishAndDrain(harness, gateways, packetsOfPart, {
            limitMs: 60000,
            drainMs: 30000,
        });
        const beyond = tracker.beyond(/^(nodes\.\*\.status\.lastHeard|nodes\.\*\.radio\.|stats\.|info\.)/);
        check[name] = {
            packets: r.pub.acked,
            writes: delta(r.after, r.before, x => x.writer.writes),
            duplicatesCounted: delta(r.after, r.before, x => x.stats.duplicates),
            writesBeyondLastHeardRadioStats: beyond.count,
            beyondKinds: beyond.kinds.join(', '),
            kinds: tracker.top(6),
            redundant: tracker.redundant,
        };
        say(
            `unchanged check (${name}): ${check[name].packets} packets → ${check[name].writes} writes ` +
                `(${check[name].kinds || 'none'}); beyond lastHeard/radio/stats: ${beyond.count}` +
                `${beyond.count ? ` (${check[name].beyondKinds})` : ''}; repeated values: ${tracker.redundant}`,
        );
    }
    report('unchanged', check);
    tracker.stop();
}

module.exports = { measureSteady };
