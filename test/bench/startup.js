'use strict';
// Phase "start-up": the adapter restarted in the same DB with maxNodes nodes in it; how long until getStats answers
// with all of them restored.
const { NS, sleep, getStats, countNodeDevices } = require('../support/bench-harness');
const { FLOOD_MAX_NODES, round, say, report } = require('./settings');
const { adapterEnv, watchAdapter, adapterGone } = require('./adapter-run');
const { closeAll } = require('./feed');

/** Runs after the flood phase: `run.clients` (closed here), `run.devicesAfterFlood`. */
async function measureStartup(harness, run) {
    await closeAll(run.clients);
    run.clients = [];
    const devices = await countNodeDevices(harness);
    const objectCount = (await harness.objects.getKeysAsync(`${NS}.*`)).length;
    await Promise.race([harness.stopAdapter(), sleep(20000)]);
    if (harness.isAdapterRunning()) {
        harness.adapterProcess?.kill('SIGKILL');
        await sleep(500);
    }
    // @iobroker/testing allows one adapter start per harness; the bench restarts in the same DB on purpose.
    harness._adapterExit = undefined;
    harness._adapterProcess = undefined;
    // What js-controller's host does when an instance process ended (else the new one refuses to run:
    // "already running").
    await harness.states.setStateAsync(`system.adapter.${NS}.alive`, {
        val: false,
        ack: true,
        from: 'system.host.testing',
    });
    const startEnv = await adapterEnv(harness);
    let aliveAt = 0;
    const t0 = Date.now();
    const onAlive = (id, state) => {
        if (id === `system.adapter.${NS}.alive` && state?.val === true && !aliveAt) {
            aliveAt = Date.now();
        }
    };
    harness.on('stateChange', onAlive);
    watchAdapter(harness);
    await harness.startAdapter(startEnv);
    const expected = Math.min(devices, FLOOD_MAX_NODES);
    // Fire a getStats every 100 ms (the messagebox is not queued before the adapter subscribed to it).
    let answered = 0;
    let firstAnswerAt = 0;
    let readyAt = 0;
    let last;
    const deadline = t0 + 60000;
    const pending = new Set();
    while (!readyAt && Date.now() < deadline && !adapterGone()) {
        const p = getStats(harness, 3000)
            .then(s => {
                answered++;
                firstAnswerAt ||= Date.now();
                last = s;
                if (s.nodes >= expected && !readyAt) {
                    readyAt = Date.now();
                }
            })
            .catch(() => {})
            .finally(() => pending.delete(p));
        pending.add(p);
        await sleep(100);
    }
    await Promise.all(pending);
    harness.removeListener('stateChange', onAlive);
    const result = {
        startupSeconds: readyAt ? round((readyAt - t0) / 1000, 2) : null,
        nodesInDb: devices,
        objectsInDb: objectCount,
        restoredNodes: last?.nodes ?? null,
        aliveSeconds: aliveAt ? round((aliveAt - t0) / 1000, 2) : null,
        firstAnswerSeconds: firstAnswerAt ? round((firstAnswerAt - t0) / 1000, 2) : null,
        rssMB: last?.memory?.rssMB ?? null,
        knownObjects: last?.writer?.knownObjects ?? null,
        cachedValues: last?.writer?.cachedValues ?? null,
    };
    say(
        `start-up: ${devices} nodes (${objectCount} objects) in the DB → getStats answers with ` +
            `${result.restoredNodes} nodes after ${result.startupSeconds ?? 'NEVER (60 s)'} s ` +
            `(alive after ${result.aliveSeconds} s, first answer after ${result.firstAnswerSeconds} s, ` +
            `${answered} answers), adapter RSS ${result.rssMB} MB`,
    );
    report('startup', { ...result, devicesAfterFlood: run.devicesAfterFlood });
}

module.exports = { measureStartup };
