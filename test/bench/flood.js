'use strict';
// Phase "flood": many distinct new nodes at a fixed rate against a small maxNodes: backlog, memory, deletions.
const { Traffic } = require('../support/bench-traffic');
const {
    sleep,
    getStats,
    waitForStats,
    idle,
    countNodeDevices,
    connectGateways,
    publishPaced,
} = require('../support/bench-harness');
const {
    PORT,
    ROOT,
    FLOOD_NODES,
    FLOOD_RATE,
    FLOOD_MAX_NODES,
    FLOOD_SETTLE_MS,
    round,
    fmt,
    say,
    report,
    brokerConfig,
} = require('./settings');
const { startAdapterBounded, adapterGone, adapterExitCode, assertAlive, profilePhase } = require('./adapter-run');
const { startMonitor } = require('./feed');

/** `run` keeps the gateway `clients` and `devicesAfterFlood` for the start-up phase. */
async function measureFlood(harness, run) {
    await harness.changeAdapterConfig('meshtastic', brokerConfig({ maxNodes: FLOOD_MAX_NODES }));
    say(
        `flood: starting the adapter (maxNodes ${FLOOD_MAX_NODES}); ${FLOOD_NODES} new nodes at ${FLOOD_RATE} packets/s`,
    );
    await startAdapterBounded(harness);
    const traffic = new Traffic({ root: ROOT, seed: 7, nodeBase: 0x20000000 });
    const clients = (run.clients = await connectGateways(PORT, traffic.gateways));
    const ready = await waitForStats(harness, () => true, 20000);
    if (!ready.ok) {
        throw new Error('the adapter does not answer getStats');
    }
    const packets = traffic.flood(FLOOD_NODES, 0);
    const before = ready.stats;
    let lastPrint = Date.now();
    const monitor = startMonitor(harness, {
        intervalMs: 500,
        onSample: s => {
            if (Date.now() - lastPrint >= 5000) {
                lastPrint = Date.now();
                say(
                    `flood: received ${s.stats.received - before.stats.received}, nodes ${s.nodes}, ` +
                        `backlog ${s.writer.backlog}, in flight ${s.writer.inFlight}, deleted ${s.writer.objectsDeleted}, ` +
                        `RSS ${s.memory?.rssMB} MB`,
                );
            }
        },
    });
    const pub = await publishPaced(clients, packets, { rate: FLOOD_RATE, abort: adapterGone });
    if (adapterGone()) {
        await monitor.stop();
        report('flood', {
            crashed: true,
            adapterExit: adapterExitCode(),
            sent: pub.sent,
            rssMaxMB: monitor.rssMax,
            heapUsedMaxMB: monitor.heapMax,
        });
        assertAlive('the flood');
    }
    const floodEnd = Date.now();
    await sleep(Math.max(0, floodEnd + FLOOD_SETTLE_MS - Date.now()));
    await monitor.stop();
    const settled = await getStats(harness);
    const notCounted = Math.max(0, pub.acked - (settled.stats.received - before.stats.received));
    const floodBacklog = settled.writer.backlog + notCounted;
    const devicesSettled = await countNodeDevices(harness);
    // Then: how long until everything is written, and the object count once deletions are done.
    const drained = await waitForStats(
        harness,
        s => s.stats.received - before.stats.received >= pub.acked && idle(s),
        45000,
        200,
        adapterGone,
    );
    const drainedAt = Date.now();
    let devices = await countNodeDevices(harness);
    const settleEnd = Date.now() + 15000;
    while (devices > FLOOD_MAX_NODES && Date.now() < settleEnd) {
        await sleep(500);
        devices = await countNodeDevices(harness);
    }
    run.devicesAfterFlood = devices;
    const end = drained.stats || settled;
    const result = {
        floodBacklog,
        floodBacklogWriter: settled.writer.backlog,
        floodNotCounted: notCounted,
        floodInFlight: settled.writer.inFlight,
        sent: pub.acked,
        achievedRate: Math.round(pub.sent / pub.seconds),
        floodSeconds: round(pub.seconds, 1),
        settleSeconds: FLOOD_SETTLE_MS / 1000,
        drainSecondsAfterFlood: drained.ok ? round((drainedAt - floodEnd) / 1000, 1) : null,
        drained: drained.ok,
        nodes: end.nodes,
        nodeObjectsAfterSettle: devicesSettled,
        floodNodeObjects: devices,
        maxNodes: FLOOD_MAX_NODES,
        objectsCreated: end.writer.objectsCreated,
        objectsDeleted: end.writer.objectsDeleted,
        writes: end.writer.writes,
        writeErrors: end.writer.errors,
        backlogMax: monitor.backlogMax,
        rssMB: settled.memory?.rssMB,
        rssMaxMB: Math.max(monitor.rssMax, settled.memory?.rssMB ?? 0),
        heapUsedMaxMB: monitor.heapMax,
        heapUsedMB: settled.memory?.heapUsedMB,
        heapTotalMB: settled.memory?.heapTotalMB,
        externalMB: settled.memory?.externalMB,
    };
    say(
        `flood: ${pub.acked} packets of ${FLOOD_NODES} new nodes in ${result.floodSeconds} s (${fmt(result.achievedRate)}/s); ` +
            `${FLOOD_SETTLE_MS / 1000} s later: writer backlog ${settled.writer.backlog} + ${notCounted} not yet counted = ` +
            `floodBacklog ${floodBacklog}, ${devicesSettled} node objects`,
    );
    say(
        `flood: ${result.drained ? `drained ${result.drainSecondsAfterFlood} s after the flood` : 'NOT drained within 45 s'}; ` +
            `${devices} node device objects (maxNodes ${FLOOD_MAX_NODES}), ${result.objectsCreated} objects created, ` +
            `${result.objectsDeleted} node trees deleted, ${result.writeErrors} errors; adapter RSS ${result.rssMB} MB ` +
            `(max ${result.rssMaxMB} MB), heap used ${result.heapUsedMB} MB (max ${result.heapUsedMaxMB} MB) of ` +
            `${result.heapTotalMB} MB reserved, ${result.externalMB} MB outside the heap`,
    );
    report('flood', result);
    await profilePhase(harness, 'flood');
}

module.exports = { measureFlood };
