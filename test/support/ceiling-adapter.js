'use strict';
// The bench's ceiling: a bare ioBroker adapter with no adapter logic, built on the same @iobroker/adapter-core and
// js-controller as the adapter under test, writing states through the plain adapter API (`setState`, ack true,
// bounded pipelining) to state objects that exist, as the adapter's own states do. Started by test/bench-e2e.js
// as its own process inside the test installation (argv[2]); prints one `CEILING <json>` line and exits.
const dir = process.argv[2];
const writes = Number(process.argv[3] || 10000);
const rounds = Number(process.argv[4] || 3);
const inFlight = Number(process.argv[5] || 64);
const serialWrites = Number(process.argv[6] || 2000);

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

async function run() {
    const id = i => `s${i}`;
    // The state objects exist, created through the adapter API (timed: object creations per second).
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
    const runs = [];
    for (let r = 0; r < rounds; r++) {
        const cpu = process.cpuUsage();
        const run = await pipelined(created.count, inFlight, 10000, i =>
            adapter.setStateAsync(id(i), r * writes + i, true),
        );
        const used = process.cpuUsage(cpu);
        run.cpuPercent = ((used.user + used.system) / 1e6 / run.seconds) * 100;
        runs.push(run);
    }
    const serial = await pipelined(Math.min(serialWrites, created.count), 1, 8000, i =>
        adapter.setStateAsync(id(i), -i, true),
    );
    // Leave the DB as the adapter would find it (not timed).
    await pipelined(created.count, inFlight, 60000, i => adapter.delObjectAsync(id(i)).catch(() => {}));
    await pipelined(created.count, inFlight, 60000, i => adapter.delStateAsync(id(i)).catch(() => {}));
    const piped = median(runs);
    return {
        perSecond: Math.round(piped.perSecond),
        writes: piped.count,
        rounds: runs.map(x => Math.round(x.perSecond)),
        inFlight,
        cpuPercent: Math.round(piped.cpuPercent),
        serialPerSecond: Math.round(serial.perSecond),
        objectsPerSecond: Math.round(created.perSecond),
    };
}

adapter.on('unload', cb => cb());
