'use strict';
// `npm run bench`: codec throughput in this process (test/bench/codec.js), then the end-to-end figures against a real
// js-controller (test/bench/e2e.js under mocha, as the integration tests start it). Prints readable lines and ends
// with ONE JSON line. Build first (`npm run build`): both parts use the compiled adapter.
//
// Environment: IOB_CONTROLLER_VERSION (default 7.1.1), BENCH_TIMEOUT_S (e2e time limit, default 720),
// BENCH_PACKETS / BENCH_NODES / BENCH_FLOOD_NODES / BENCH_FLOOD_RATE / BENCH_CADENCE_* (scenario sizes, settings.js), BENCH_WINDOW / BENCH_QOS /
// BENCH_BACKLOG_HIGH / BENCH_BACKLOG_LOW / BENCH_GATE_MS (how the steady phase is fed), BENCH_CEILING_IN_FLIGHT (see
// test/bench/e2e.js), BENCH_ADAPTER_NODE_OPTIONS (extra node flags of the adapter process),
// BENCH_PROFILE=1 (the adapter processes write V8 CPU profiles to <tmp>/meshtastic-bench-profiles).
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { benchCodec } = require('./codec');
const { measureInChild } = require('./memory');

const ROOT_DIR = path.join(__dirname, '..', '..');
const E2E_FILE = path.join('test', 'bench', 'e2e.js');
const LOG_FILE = path.join(os.tmpdir(), 'meshtastic-bench-e2e.log');
const PROFILE_DIR = path.join(os.tmpdir(), 'meshtastic-bench-profiles');
const PORTS = [19000, 19001, Number(process.env.BENCH_PORT) || 22883]; // harness DBs, adapter broker
const E2E_TIMEOUT_MS = (Number(process.env.BENCH_TIMEOUT_S) || 720) * 1000;

const TARGETS = {
    ceilingRatio: { min: 0.7 },
    floodBacklog: { max: 50 },
    rssMB: { max: 150 },
    startupSeconds: { max: 10 },
    // the per-node estimate of src/lib/config/memory.ts (memoryAdvice) must not be below what a node really takes
    heapPerNodeKB: { max: 32 },
    // realistic cadence, default write cadence: lastHeard + radio + stats writes per packet; adapter CPU per packet
    cadenceOverheadWritesPerPacket: { max: 0.3 },
    adapterCpuMicrosPerPacket: { max: 20 },
};

const line = text => console.log(text);
/** [min, max] of a { mean, min, max } figure, or null. */
const spreadOf = s => (s && Number.isFinite(s.min) ? [s.min, s.max] : null);
const spreadText = s => (s ? (s[0] === s[1] ? `${s[0]}` : `${s[0]}–${s[1]}`) : '?');
const fmt = value => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value));

function portBusy(port) {
    return new Promise(resolve => {
        const socket = net.connect({ port, host: '127.0.0.1' });
        const done = busy => {
            socket.destroy();
            resolve(busy);
        };
        socket.setTimeout(1000, () => done(false));
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
    });
}

/** Another js-controller test run (integration tests) uses the same fixed ports: wait for it, bounded. */
async function waitForFreePorts(timeoutMs) {
    const end = Date.now() + timeoutMs;
    let told = false;
    for (;;) {
        const busy = [];
        for (const port of PORTS) {
            if (await portBusy(port)) {
                busy.push(port);
            }
        }
        if (busy.length === 0) {
            return;
        }
        if (Date.now() > end) {
            throw new Error(`127.0.0.1 ports ${busy.join(', ')} are still in use (another test run?)`);
        }
        if (!told) {
            line(`waiting for 127.0.0.1 ports ${busy.join(', ')} (another js-controller test run?) ...`);
            told = true;
        }
        await new Promise(resolve => setTimeout(resolve, 2000));
    }
}

/** Runs test/bench/e2e.js under mocha; forwards "[bench]" lines, collects "BENCH_RESULT" parts. */
function runE2E() {
    return new Promise(resolve => {
        const mocha = require.resolve('mocha/bin/mocha.js', { paths: [ROOT_DIR] });
        const childEnv = { ...process.env, IOB_CONTROLLER_VERSION: process.env.IOB_CONTROLLER_VERSION || '7.1.1' };
        if (process.env.BENCH_PROFILE === '1') {
            fs.mkdirSync(PROFILE_DIR, { recursive: true });
            childEnv.BENCH_ADAPTER_NODE_OPTIONS = `--require ${path.join(__dirname, 'profile-preload.js')}`;
            childEnv.BENCH_PROFILE_DIR = PROFILE_DIR;
            line(`CPU profiles of the adapter processes go to ${PROFILE_DIR}`);
        }
        const child = spawn(process.execPath, [mocha, E2E_FILE, '--exit', '--grep', 'bench:', '--timeout', '600000'], {
            cwd: ROOT_DIR,
            env: childEnv,
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: true, // own process group: a timeout ends mocha and the adapter process it started
        });
        const log = fs.createWriteStream(LOG_FILE);
        const results = {};
        const failures = [];
        let timedOut = false;
        const onLine = text => {
            if (text.startsWith('BENCH_RESULT ')) {
                try {
                    for (const [key, value] of Object.entries(JSON.parse(text.slice('BENCH_RESULT '.length)))) {
                        results[key] =
                            value && typeof value === 'object' && results[key] ? { ...results[key], ...value } : value;
                    }
                } catch (e) {
                    failures.push(`unparsable result line: ${e.message}`);
                }
            } else if (text.startsWith('[bench] ')) {
                line(text.slice('[bench] '.length));
            } else if (/^\s+\d+\) /.test(text) || /^\s+(Error|AssertionError)\b/.test(text)) {
                failures.push(text.trim());
            }
        };
        for (const stream of [child.stdout, child.stderr]) {
            let rest = '';
            stream.on('data', chunk => {
                log.write(chunk);
                rest += chunk.toString('utf8');
                const lines = rest.split('\n');
                rest = lines.pop();
                lines.forEach(onLine);
            });
            stream.on('end', () => rest && onLine(rest));
        }
        const timer = setTimeout(() => {
            timedOut = true;
            line(`end-to-end part exceeded ${E2E_TIMEOUT_MS / 1000} s: stopping it`);
            try {
                process.kill(-child.pid, 'SIGTERM');
            } catch {
                // already gone
            }
            setTimeout(() => {
                try {
                    process.kill(-child.pid, 'SIGKILL');
                } catch {
                    // already gone
                }
            }, 5000).unref();
        }, E2E_TIMEOUT_MS);
        child.on('close', code => {
            clearTimeout(timer);
            log.end();
            resolve({ code, timedOut, results, failures });
        });
    });
}

function check(name, value) {
    const t = TARGETS[name];
    if (!t) {
        return undefined;
    }
    if (!Number.isFinite(value)) {
        return `${name}: not measured`;
    }
    if (t.min !== undefined && value < t.min) {
        return `${name} ${value} < ${t.min}`;
    }
    if (t.max !== undefined && value > t.max) {
        return `${name} ${value} > ${t.max}`;
    }
    return undefined;
}

async function main() {
    const started = Date.now();
    line('ioBroker.meshtastic benchmark');

    const codec = await benchCodec({ packets: 200000 });
    line(
        `codec: ${fmt(codec.codecPacketsPerSecond)} packets/s (${codec.packets} envelopes in ${codec.seconds} s, ` +
            `${codec.decoded} decoded, ${codec.failed} undecryptable by design), heap ${codec.heapUsedMB} MB`,
    );

    // Heap per node through the compiled pipeline, against the estimate the adapter's start-up memory hint uses.
    const { HEAP_PER_NODE_KB } = require(path.join(ROOT_DIR, 'build', 'lib', 'config'));
    const perNode = [];
    for (const count of [1000, 4000]) {
        perNode.push(await measureInChild(count));
    }
    const heapPerNodeKB = Math.max(...perNode.map(m => m.heapPerNodeKB));
    line(
        `memory: ${perNode.map(m => `${fmt(m.nodes)} nodes ${m.heapMB} MB heap (${m.heapPerNodeKB} KB/node)`).join(', ')} ` +
            `through codec → mesh → writer → tab feed; the start-up memory hint assumes ${HEAP_PER_NODE_KB} KB/node`,
    );

    let e2e = { code: 1, timedOut: false, results: {}, failures: [] };
    try {
        await waitForFreePorts(120000);
        line(
            `end-to-end: js-controller ${process.env.IOB_CONTROLLER_VERSION || '7.1.1'} via @iobroker/testing (full log: ${LOG_FILE})`,
        );
        e2e = await runE2E();
    } catch (e) {
        e2e.failures.push(String(e && e.message));
    }
    const r = e2e.results;
    const ceiling = r.ceiling || {};
    const steady = r.steady || {};
    const flood = r.flood || {};
    const startup = r.startup || {};
    const send = r.send;
    const unchanged = r.unchanged || {};
    const cadence = r.cadence || {};
    const cd = cadence.defaults || {};
    const ce = cadence.everyPacket || {};

    // Ratio of the two medians (segments vs interleaved rounds). The headline ceilingRatio below is the paired one:
    // the ceiling drifts by up to ±20 % within a minute on these machines, so each segment is compared with the
    // rounds measured right before and after it, and the median of those ratios is taken.
    const ratio =
        Number.isFinite(steady.pipelinePacketsPerSecond) &&
        Number.isFinite(steady.writesPerPacket) &&
        ceiling.ceilingWritesPerSecond
            ? Math.round(
                  ((steady.pipelinePacketsPerSecond * steady.writesPerPacket) / ceiling.ceilingWritesPerSecond) * 1000,
              ) / 1000
            : null;
    const emptyDbRatio =
        ratio !== null && ceiling.ceilingEmptyDbWritesPerSecond
            ? Math.round(
                  ((steady.pipelinePacketsPerSecond * steady.writesPerPacket) / ceiling.ceilingEmptyDbWritesPerSecond) *
                      1000,
              ) / 1000
            : null;
    const rawRatio =
        ratio !== null && ceiling.rawDbWritesPerSecond
            ? Math.round(
                  ((steady.pipelinePacketsPerSecond * steady.writesPerPacket) / ceiling.rawDbWritesPerSecond) * 1000,
              ) / 1000
            : null;

    const summary = {
        codecPacketsPerSecond: codec.codecPacketsPerSecond,
        heapUsedMB: codec.heapUsedMB,
        heapPerNodeKB,
        ceilingWritesPerSecond: ceiling.ceilingWritesPerSecond ?? null,
        ceilingEmptyDbWritesPerSecond: ceiling.ceilingEmptyDbWritesPerSecond ?? null,
        ceilingSerialWritesPerSecond: ceiling.ceilingSerialWritesPerSecond ?? null,
        rawDbWritesPerSecond: ceiling.rawDbWritesPerSecond ?? null,
        pipelinePacketsPerSecond: steady.pipelinePacketsPerSecond ?? null,
        writesPerPacket: steady.writesPerPacket ?? null,
        ceilingRatio: Number.isFinite(steady.pairedRatioMedian) ? steady.pairedRatioMedian : ratio,
        ceilingRatioOfMedians: ratio,
        ceilingRatioEmptyDb: emptyDbRatio,
        rawDbRatio: rawRatio,
        redundantWrites: steady.redundantWrites ?? null,
        unchangedExtraWrites:
            unchanged.duplicates && unchanged.repeats
                ? unchanged.duplicates.writesBeyondLastHeardRadioStats +
                  unchanged.repeats.writesBeyondLastHeardRadioStats
                : null,
        floodBacklog: flood.floodBacklog ?? null,
        floodNodeObjects: flood.floodNodeObjects ?? null,
        floodMaxNodes: flood.maxNodes ?? null,
        rssMB: flood.rssMB ?? null,
        startupSeconds: startup.startupSeconds ?? null,
        // cadence of a real mesh (test/bench/cadence.js): mean of the rounds, spread [min, max] beside each
        cadenceWritesPerPacket: cd.writesPerPacket?.mean ?? null,
        cadenceWritesPerPacketSpread: spreadOf(cd.writesPerPacket),
        cadenceOverheadWritesPerPacket: cd.overheadWritesPerPacket?.mean ?? null,
        cadenceOverheadWritesPerPacketSpread: spreadOf(cd.overheadWritesPerPacket),
        cadenceWritesPerSecondPer100PacketsPerSecond: cd.writesPerSecondPer100?.mean ?? null,
        cadenceEveryPacketWritesPerPacket: ce.writesPerPacket?.mean ?? null,
        cadenceEveryPacketWritesPerPacketSpread: spreadOf(ce.writesPerPacket),
        cadenceEveryPacketOverheadWritesPerPacket: ce.overheadWritesPerPacket?.mean ?? null,
        adapterCpuMicrosPerPacket: cd.adapterCpuMicrosPerPacket?.mean ?? null,
        adapterCpuMicrosPerPacketSpread: spreadOf(cd.adapterCpuMicrosPerPacket),
        adapterCpuMicrosPerPacketEveryPacket: ce.adapterCpuMicrosPerPacket?.mean ?? null,
        adapterCpuMicrosPerPacketEveryPacketSpread: spreadOf(ce.adapterCpuMicrosPerPacket),
        // the same CPU split by a fit over the rounds of both runs: per packet apart from DB writes, and per DB write
        adapterPipelineMicrosPerPacket: cadence.cpuModel?.pipelineMicrosPerPacket ?? null,
        adapterMicrosPerDbWrite: cadence.cpuModel?.microsPerWrite ?? null,
    };
    if (send && send.available) {
        summary.sendPacketsPerSecond = send.sendPacketsPerSecond;
    } else {
        summary.sendAvailable = false;
    }

    line('');
    line('summary:');
    line(`  codec                ${fmt(summary.codecPacketsPerSecond)} packets/s, heap ${summary.heapUsedMB} MB`);
    line(
        `  memory per node      ${summary.heapPerNodeKB} KB heap at most (1,000 and 4,000 nodes; start-up hint assumes ` +
            `${TARGETS.heapPerNodeKB.max} KB)`,
    );
    line(
        `  ceiling              ${fmt(summary.ceilingWritesPerSecond)} adapter setState/s pipelined (${ceiling.ceilingInFlight ?? '?'} in flight, ` +
            `bare adapter, the adapter's 1,000 nodes in the DB; median of ${ceiling.ceilingRounds ?? '?'}), ` +
            `${fmt(summary.ceilingSerialWritesPerSecond)}/s one by one`,
    );
    line(
        `                       on the DB without the adapter's data ${fmt(summary.ceilingEmptyDbWritesPerSecond)}/s; ` +
            `states DB client alone ${fmt(summary.rawDbWritesPerSecond)}/s`,
    );
    line(
        `  steady state         ${fmt(summary.pipelinePacketsPerSecond)} packets/s (median of ${steady.segmentCount ?? '?'} segments, ` +
            `each from its first packet to its last write; all together ${fmt(steady.runPacketsPerSecond)}/s) × ${summary.writesPerPacket} writes/packet ` +
            `= ${fmt(summary.pipelinePacketsPerSecond * summary.writesPerPacket)} writes/s → ${summary.ceilingRatioOfMedians} of the ceiling's median ` +
            `(${summary.ceilingRatioEmptyDb} of the empty-DB ceiling, ${summary.rawDbRatio} of the DB client alone)`,
    );
    if (steady.segments) {
        line(
            `                       ceilingRatio ${summary.ceilingRatio} (target ≥ ${TARGETS.ceilingRatio.min}): median of each segment against its two adjacent ceiling rounds ` +
                `(packets/s / writes/s (ratio): ${steady.segments})`,
        );
    }
    if (Number.isFinite(steady.adapterCpuPercent)) {
        line(
            `                       adapter process ${steady.adapterCpuPercent} % CPU, DB/bench process ${steady.controllerCpuPercent} %; ` +
                `writer: all DB slots busy in ${steady.writerSaturatedPercent} % of samples, backlog avg ${steady.backlogAvg}`,
        );
    }
    line(
        `  change detection     ${summary.redundantWrites} written values repeated the previous one (of ${fmt(steady.writes)}); ` +
            `${summary.unchangedExtraWrites} writes beyond lastHeard/radio on duplicate/unchanged traffic`,
    );
    line(
        `  flood                backlog ${summary.floodBacklog} ${flood.settleSeconds ?? '?'} s after the flood (drained after ${flood.drainSecondsAfterFlood ?? '?'} s), ` +
            `${summary.floodNodeObjects} node objects (maxNodes ${summary.floodMaxNodes}), adapter RSS ${summary.rssMB} MB ` +
            `(max ${flood.rssMaxMB ?? '?'} MB, heap used max ${flood.heapUsedMaxMB ?? '?'} MB; target < ${TARGETS.rssMB.max})`,
    );
    line(
        `  start-up             ${summary.startupSeconds} s with ${startup.nodesInDb ?? '?'} nodes in the DB (target < ${TARGETS.startupSeconds.max} s)`,
    );
    if (cadence.defaults) {
        const kinds = k =>
            Object.entries(k.kinds || {})
                .map(([name, s]) => `${name} ${s.mean}`)
                .join(', ');
        line(
            `  cadence              ${fmt(cd.nodes)} nodes, real mesh cadence (${cd.meshPacketsPerSecond} packets/s of mesh time, ${cd.duplicatesPercent} % duplicates), ` +
                `${cd.scale}× time: defaults ${summary.cadenceWritesPerPacket} writes/packet (rounds ${spreadText(summary.cadenceWritesPerPacketSpread)}; ${kinds(cd)}), ` +
                `overhead ${summary.cadenceOverheadWritesPerPacket} (${spreadText(summary.cadenceOverheadWritesPerPacketSpread)}; target ≤ ${TARGETS.cadenceOverheadWritesPerPacket.max})`,
        );
        line(
            `                       everything per packet ${summary.cadenceEveryPacketWritesPerPacket} writes/packet (${spreadText(summary.cadenceEveryPacketWritesPerPacketSpread)}; ${kinds(ce)}); ` +
                `DB writes/s per 100 packets/s: defaults ${summary.cadenceWritesPerSecondPer100PacketsPerSecond}, every packet ${ce.writesPerSecondPer100?.mean ?? '?'}`,
        );
        line(
            `                       adapter CPU per packet ${summary.adapterCpuMicrosPerPacket} µs (${spreadText(summary.adapterCpuMicrosPerPacketSpread)}; target ≤ ${TARGETS.adapterCpuMicrosPerPacket.max}), ` +
                `every packet ${summary.adapterCpuMicrosPerPacketEveryPacket} µs (${spreadText(summary.adapterCpuMicrosPerPacketEveryPacketSpread)}); ` +
                `fit: ${summary.adapterPipelineMicrosPerPacket} µs per packet + ${summary.adapterMicrosPerDbWrite} µs per DB write`,
        );
    }
    line(
        `  send                 ${send && send.available ? `${fmt(summary.sendPacketsPerSecond)} packets/s` : 'not available (skipped)'}`,
    );

    if (r.profiles) {
        const { summarise } = require('./profile-summary');
        for (const [phase, file] of Object.entries(r.profiles)) {
            try {
                const p = summarise(file);
                line('');
                line(`adapter CPU profile, ${phase} (busy ${p.busyPercent.toFixed(0)} % of the wall time):`);
                line(p.text);
            } catch (e) {
                line(`profile ${phase}: ${e.message}`);
            }
        }
        line('');
    }

    const missed = [];
    for (const name of Object.keys(TARGETS)) {
        const problem = check(name, summary[name]);
        if (problem) {
            missed.push(problem);
        }
    }
    if (
        Number.isFinite(summary.floodNodeObjects) &&
        Number.isFinite(summary.floodMaxNodes) &&
        summary.floodNodeObjects > summary.floodMaxNodes
    ) {
        missed.push(`floodNodeObjects ${summary.floodNodeObjects} > maxNodes ${summary.floodMaxNodes}`);
    }
    if (summary.redundantWrites) {
        missed.push(`${summary.redundantWrites} writes repeated the previous value`);
    }
    if (e2e.timedOut) {
        missed.push('end-to-end part timed out');
    }
    if (e2e.code !== 0 && !e2e.timedOut) {
        missed.push(`end-to-end part failed (exit ${e2e.code})`);
    }
    for (const f of e2e.failures.slice(0, 6)) {
        line(`  failure: ${f}`);
    }
    line(missed.length ? `targets missed: ${missed.join('; ')}` : 'all targets met');
    line(`total ${Math.round((Date.now() - started) / 1000)} s`);
    summary.targetsMissed = missed;
    console.log(JSON.stringify(summary));
    if (e2e.code !== 0) {
        process.exitCode = 1;
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
