'use strict';
// The bench's ceiling: a bare ioBroker adapter with no adapter logic, built on the same @iobroker/adapter-core and
// js-controller as the adapter under test, writing states through the plain adapter API (`setState`, ack true,
// bounded pipelining) to state objects that exist, as the adapter's own states do. Started by test/bench/e2e.js
// as its own process inside the test installation (argv[2]); prints one `CEILING <json>` line and exits.
// With argv[7] = 'interactive' it runs its rounds on request, so the bench can interleave them with the adapter's
// steady phase: it prints `READY` once its states exist, runs one round per `round` line on stdin (answering
// `ROUND <json>`), and measures the serial rate, cleans up and prints `CEILING <json>` on `end`.
const dir = process.argv[2];
const writes = Number(process.argv[3] || 10000);
const rounds = Number(process.argv[4] || 3);
const inFlight = Number(process.argv[5] || 64);
const serialWrites = Number(process.argv[6] || 2000);
const interactive = process.argv[7] === 'interactive';

const { Adapter } = require(require.resolve('@iobroker/adapter-core', { paths: [dir] }));
const { pipelined, median } = require('./pipelined');

const adapter = new Adapter({
    name: 'ceiling',
    instance: 0,
    dirname: dir,
    // As the adapter under test runs (src/main.ts): no strict object check read before every write.
    strictObjectChecks: false,
    ready: () => {
        run().then(
            result => {
                console.log(`CEILING ${JSON.stringify(result)}`);
                process.exit(0);
            },
            e => {
                console.log(`CEILING ${JSON.stringify({ error: String(e && e.stack ? e.stack : e) })}`);
                process.exit(1);
            },
        );
    },
});

const id = i => `s${i}`;

/** Creates the state objects (timed: object creations per second) and warms the write path up. */
async function setUp() {
    // The state objects exist, created through the adapter API.
    const created = await pipelined(writes, inFlight, 60000, i =>
        adapter.setObjectAsync(id(i), {
            type: 'state',
            common: { name: `s${i}`, type: 'number', role: 'value', read: true, write: false },
            native: {},
        }),
    );
    // Warm-up: the first calls are slower.
    await pipelined(Math.min(1000, created.count), inFlight, 5000, i =>
        adapter.setStateAsync(id(i), { val: -1, ack: true }),
    );
    return created;
}

/** One timed round: every state written once, `inFlight` calls at a time. */
async function round(r, count) {
    const cpu = process.cpuUsage();
    const run = await pipelined(count, inFlight, 10000, i => adapter.setStateAsync(id(i), r * writes + i, true));
    const used = process.cpuUsage(cpu);
    run.cpuPercent = ((used.user + used.system) / 1e6 / run.seconds) * 100;
    return run;
}

/** The serial rate, then the DB left as the adapter would find it (not timed); the `CEILING` result. */
async function finish(created, runs) {
    const serial = await pipelined(Math.min(serialWrites, created.count), 1, 8000, i =>
        adapter.setStateAsync(id(i), -i, true),
    );
    await pipelined(created.count, inFlight, 60000, i => adapter.delObjectAsync(id(i)).catch(() => {}));
    await pipelined(created.count, inFlight, 60000, i => adapter.delStateAsync(id(i)).catch(() => {}));
    const piped = median(runs);
    return {
        perSecond: Math.round(piped.perSecond),
        writes: piped.count,
        rounds: runs.map(x => Math.round(x.perSecond)),
        cpuPercents: runs.map(x => Math.round(x.cpuPercent)),
        inFlight,
        cpuPercent: Math.round(piped.cpuPercent),
        serialPerSecond: Math.round(serial.perSecond),
        objectsPerSecond: Math.round(created.perSecond),
    };
}

async function run() {
    const created = await setUp();
    const runs = [];
    if (!interactive) {
        for (let r = 0; r < rounds; r++) {
            runs.push(await round(r, created.count));
        }
        return finish(created, runs);
    }
    console.log('READY');
    const lines = require('node:readline').createInterface({ input: process.stdin });
    for await (const command of lines) {
        if (command === 'round') {
            const r = await round(runs.length, created.count);
            runs.push(r);
            console.log(`ROUND ${JSON.stringify({ perSecond: Math.round(r.perSecond), cpuPercent: Math.round(r.cpuPercent) })}`);
        } else if (command === 'end') {
            break;
        }
    }
    lines.close();
    return finish(created, runs);
}

adapter.on('unload', cb => cb());
