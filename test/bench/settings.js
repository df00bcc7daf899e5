'use strict';
// What the end-to-end benchmark (test/bench/e2e.js) runs with: scenario sizes and feeding (BENCH_* variables), the
// adapter's broker settings, and how figures are printed and reported to test/bench/bench.js.
const { brokerConfig: brokerConfigOn } = require('../support/harness');
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const PORT = env('BENCH_PORT', 22883);
const ROOT = 'msh/EU_868';
const NODES = env('BENCH_NODES', 1000);
const STEADY_PACKETS = env('BENCH_PACKETS', 48000);
const STEADY_MAX_NODES = 2000;
// QoS 1 publishes awaiting PUBACK, over all gateways: enough that the publisher never limits the run (at 64 the round
// trip through two busy processes capped it at ~1,600 packets/s while the writer's DB slots were idle 40 % of the time).
const WINDOW = env('BENCH_WINDOW', 256);
const QOS = env('BENCH_QOS', 1);
const { DEFAULT_MAX_IN_FLIGHT: WRITER_MAX_IN_FLIGHT } = require('../../build/lib/states/writer.js'); // StateWriter default
// Flow control of the steady phase: the publisher pauses above BACKLOG_HIGH queued writes and resumes below
// BACKLOG_LOW, looked at every GATE_MS. Tight enough that the writer's DB slots never run dry (all busy in > 90 % of
// samples) while the backlog stays small: a coarse gate (100 ms, 4,000/1,000) let the writer idle after each pause
// and made it coalesce far more (1.6 instead of 2.4 writes per packet at about the same packets/s).
const BACKLOG_HIGH = env('BENCH_BACKLOG_HIGH', 1000);
const BACKLOG_LOW = env('BENCH_BACKLOG_LOW', 500);
const GATE_MS = env('BENCH_GATE_MS', 25);
const STEADY_SEGMENTS = env('BENCH_SEGMENTS', 6);
const CHECK_PACKETS = 1500; // per part of the "nothing changed" check
const CEILING_WRITES = 10000; // per round
const CEILING_ROUNDS = 5;
const CEILING_IN_FLIGHT = env('BENCH_CEILING_IN_FLIGHT', WRITER_MAX_IN_FLIGHT); // the same bound as the adapter's writer
const SERIAL_WRITES = 2000;
const FLOOD_NODES = env('BENCH_FLOOD_NODES', 10000);
const FLOOD_RATE = env('BENCH_FLOOD_RATE', 500);
const FLOOD_MAX_NODES = 500;
const FLOOD_SETTLE_MS = 5000;
const SEND_TEXTS = 200;
// Cadence phase: nodes with a real mesh's cadence, mesh time CADENCE_SCALE× real time in the adapter process (≈ 1,000
// packets/s); a settle window as long as the default radio interval (after the adapter's start every node's first
// packet is written whole, so the intervals start in step and hourly radio writes come in waves), then CADENCE_ROUNDS
// rounds as long as the radio interval (one wave each); once with everything per packet and once with the defaults. 2,000 nodes: their warm-up creates
// ~94,000 objects (75 s on the 2-core machine under load); 10,000 would take about 5 minutes more.
const CADENCE_NODES = env('BENCH_CADENCE_NODES', 2000);
const CADENCE_SCALE = env('BENCH_CADENCE_SCALE', 150);
const CADENCE_SETTLE_MIN = env('BENCH_CADENCE_SETTLE_MIN', 60);
const CADENCE_ROUND_MIN = env('BENCH_CADENCE_ROUND_MIN', 60);
const CADENCE_ROUNDS = env('BENCH_CADENCE_ROUNDS', 3);

const round = (value, digits = 1) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : null);
const fmt = value => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value));
const say = text => console.log(`[bench] ${text}`);
const report = (key, value) => console.log(`BENCH_RESULT ${JSON.stringify({ [key]: value })}`);

/**
 * The instance memory limit the bench runs with, as a user sets it (Instances → edit → "Memory limit (MB)"):
 * io-package.json may not ship `common.memoryLimitMB` (the io-package schema has no such property), and the figures
 * in the README are measured with the V8 heap capped at 512 MB.
 */
const BENCH_MEMORY_LIMIT_MB = 512;

/**
 * Broker mode on PORT for the bench: up to 50 gateway clients, no pacing of sent packets, every radio and lastHeard
 * change written (the throughput phases measure the writer with every write; the cadence phase sets its own).
 */
const brokerConfig = (extra = {}) =>
    brokerConfigOn(PORT, { maxClients: 50, sendSpacingMs: 0, radioWrites: 'packet', lastHeardMinutes: 0, ...extra });

module.exports = {
    PORT,
    ROOT,
    NODES,
    STEADY_PACKETS,
    STEADY_MAX_NODES,
    WINDOW,
    QOS,
    WRITER_MAX_IN_FLIGHT,
    BACKLOG_HIGH,
    BACKLOG_LOW,
    GATE_MS,
    STEADY_SEGMENTS,
    CHECK_PACKETS,
    CEILING_WRITES,
    CEILING_ROUNDS,
    CEILING_IN_FLIGHT,
    SERIAL_WRITES,
    FLOOD_NODES,
    FLOOD_RATE,
    FLOOD_MAX_NODES,
    FLOOD_SETTLE_MS,
    SEND_TEXTS,
    CADENCE_NODES,
    CADENCE_SCALE,
    CADENCE_SETTLE_MIN,
    CADENCE_ROUND_MIN,
    CADENCE_ROUNDS,
    BENCH_MEMORY_LIMIT_MB,
    round,
    fmt,
    say,
    report,
    brokerConfig,
};
