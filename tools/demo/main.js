'use strict';
/**
 * `npm run demo`: a real ioBroker (js-controller + admin) with this adapter in broker mode, fed the shared real
 * Meshtastic captures over MQTT, until Ctrl-C.
 *
 *   npm run demo                 interactive: prints the admin URL and the decoded nodes, replays a capture every
 *                                few seconds (as a new packet) until Ctrl-C
 *   npm run demo -- --once       replay once, print the summary, exit 0 if decoded nodes exist (1 otherwise)
 *
 * How: a work dir outside the repo (DEMO_DIR, default <tmp>/iobroker.meshtastic-demo-<hash>, so no repo tool sees
 * it) gets a package.json with iobroker.js-controller, iobroker.admin and the `npm pack` of this repo (built first if
 * build/main.js is missing), installed with `npm install --omit=dev`; `iobroker setup first` creates the databases
 * and admin.0, `iobroker add meshtastic` the instance. The settings (ports, 127.0.0.1, broker mode, channel) are
 * written offline with js-controller's own DB libraries (the recipe of `@iobroker/testing`), then `controller.js` runs
 * as a child process. Snapshots of the configured databases make later runs fast and fresh (no mesh data of earlier
 * runs). Ctrl-C (SIGINT/SIGTERM) stops the controller, which stops admin and the adapter.
 *
 * Environment: DEMO_PORT (MQTT broker, 18830), DEMO_ADMIN_PORT (18081), DEMO_OBJECTS_PORT (29001),
 * DEMO_STATES_PORT (29000), DEMO_DIR, DEMO_ONCE=1, DEMO_INTERVAL_MS (4000), DEMO_VECTORS (captures file),
 * DEMO_CONTROLLER_VERSION (7.1.1), DEMO_ADMIN_VERSION (7.8.20), DEMO_TIMEOUT_S (start-up timeout, 120),
 * DEMO_VERBOSE=1 (echo the whole ioBroker log), DEMO_REBUILD=1 / --rebuild (run `npm run build` even if build/ exists),
 * DEMO_REINSTALL=1 / --reinstall (wipe the work dir first), DEMO_MAX_NODES (the instance's maxNodes setting; default:
 * the adapter's default).
 *
 * The parts: options.js, files.js (work dir layout), install.js + system-config.js (the installation), instance.js
 * (DB snapshots and settings), db.js (js-controller's DB clients, shared with test/ui), controller.js, traffic.js
 * (the replay), mesh-summary.js (what is printed), replay.js (the captures as packets; also a CLI of its own).
 */
const fs = require('node:fs');
const path = require('node:path');
const { stamp, log, warn, sleep, DemoError } = require('./log');
const { REPO, INSTANCE, ROOT_TOPIC, CHANNELS, parseOptions } = require('./options');
const { layout, readJson } = require('./files');
const { HOST, portOpen, checkPorts } = require('./ports');
const { running, stopStaleController } = require('./processes');
const { buildAndPack, assertDemoDir, install } = require('./install');
const { systemConfig } = require('./system-config');
const { dbLogger, prepareDatabases, configure, saveCarry } = require('./instance');
const { connectDb } = require('./db');
const { Controller, tailLog, httpStatus, waitFor } = require('./controller');
const { printSummary, printUrls } = require('./mesh-summary');
const { connectMqtt, replayAll, waitForMesh, startReplayLoop } = require('./traffic');
const { loadCaptures, findVectors } = require('./replay');

const rel = p => (p.startsWith(REPO + path.sep) ? path.relative(REPO, p) : p);

const opts = parseOptions();
if (opts.help) {
    const doc = fs.readFileSync(__filename, 'utf8').split('\n');
    console.log(
        doc
            .slice(
                2,
                doc.findIndex(l => l.startsWith(' */')),
            )
            .map(l => l.replace(/^ \* ?/, ''))
            .join('\n'),
    );
    process.exit(0);
}

let stopping = false;
let exitCode = 0;
const cleanups = [];
const isStopping = () => stopping;
/** What the demo works on: its options and the layout of its work dir. */
const ctx = { opts, ...layout(opts.dir) };
const controller = new Controller(ctx, { isStopping, onUnexpectedExit: () => void shutdown(1) });

async function shutdown(code = 0) {
    if (stopping) {
        return;
    }
    stopping = true;
    exitCode = exitCode || code;
    for (const fn of cleanups.reverse()) {
        try {
            await Promise.race([fn(), sleep(3000)]);
        } catch {
            // best effort
        }
    }
    for (const child of running) {
        child.kill('SIGTERM');
    }
    await controller.stop();
    log(`stopped${exitCode ? ` (exit code ${exitCode})` : ''}`);
    process.exit(exitCode);
}

let firstSignalAt = 0;

function onSignal(signal) {
    if (stopping) {
        // `npm run` forwards the terminal's Ctrl-C, so one key press can arrive twice: only a later one forces.
        if (Date.now() - firstSignalAt < 1500) {
            return;
        }
        log(`${signal} again: killing everything now`);
        controller.kill();
        process.exit(130);
    }
    firstSignalAt = Date.now();
    log(`${signal}: shutting down (press Ctrl-C again to force)`);
    void shutdown(0);
}

/** Waits for the adapter instance, failing early when the log shows it crashing. */
async function waitForAdapter(states, health) {
    const wait = (what, probe) => waitFor(what, probe, opts.timeoutMs, isStopping);
    const assertNotCrashing = () => {
        if (health.crashes >= 2) {
            throw new DemoError(`${INSTANCE} keeps exiting with an error (see the log lines above)`);
        }
    };
    await wait(`${INSTANCE} to start`, async () => {
        assertNotCrashing();
        const alive = await states.getState(`system.adapter.${INSTANCE}.alive`);
        return alive && alive.val === true;
    });
    log(`${INSTANCE} is running`);
    await wait(`${INSTANCE} broker to listen (info.connection)`, async () => {
        assertNotCrashing();
        if (health.firstErrorAt && Date.now() - health.firstErrorAt > 10_000) {
            throw new DemoError(
                `${INSTANCE} logged errors (above) and its broker does not listen on ${HOST}:${opts.mqttPort}`,
            );
        }
        const c = await states.getState(`${INSTANCE}.info.connection`);
        return (c && c.val === true) || (await portOpen(opts.mqttPort));
    });

    // When the adapter stores secrets it found in plain text in its settings, js-controller restarts it once (code
    // 11): captures replayed into the instance that is about to go would be lost. Wait until it has settled. (The
    // virtual node's identity is kept in the object meshtastic.0.identity and needs no restart.)
    await sleep(1500);
    await wait(`${INSTANCE} to settle after a planned restart`, async () => {
        assertNotCrashing();
        return Date.now() - health.lastStopAt > 2000 && (await portOpen(opts.mqttPort));
    });
}

async function main() {
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGHUP', () => onSignal('SIGHUP'));
    const crash = e => {
        console.error(`[${stamp()}] ERROR (unexpected): ${e && e.stack ? e.stack : e}`);
        void shutdown(1);
    };
    process.on('uncaughtException', crash);
    process.on('unhandledRejection', crash);

    log(
        `ioBroker.meshtastic demo: js-controller ${opts.controllerVersion}, admin ${opts.adminVersion}, ` +
            `node ${process.version}${opts.once ? ', --once' : ''}`,
    );
    const vectors = findVectors(REPO);
    const captures = loadCaptures({ file: vectors, root: ROOT_TOPIC, channels: CHANNELS });
    log(`captures: ${captures.length} from ${rel(vectors)}`);

    assertDemoDir(ctx);
    fs.mkdirSync(opts.dir, { recursive: true });
    await stopStaleController(ctx.files.pid);
    await checkPorts(opts);

    const adapterTgz = await buildAndPack(ctx);
    log(`adapter package: ${adapterTgz.name} (sha256 ${adapterTgz.sha.slice(0, 12)})`);
    const freshInstall = await install(ctx, adapterTgz);
    const config = systemConfig(ctx);
    await prepareDatabases(ctx, config, freshInstall, adapterTgz.sha);
    const state = readJson(ctx.files.state, {});
    const configured = await configure(ctx, config, state.carrySha === adapterTgz.sha ? state.carry : {});
    log(
        `configured: admin on ${HOST}:${opts.adminPort}, ${INSTANCE} in broker mode on ${HOST}:${opts.mqttPort}` +
            `${opts.maxNodes === undefined ? '' : ` (maxNodes ${opts.maxNodes})`}, ` +
            `DBs on ${opts.objectsPort}/${opts.statesPort}`,
    );

    if (stopping) {
        return;
    }
    /** What the log says about the adapter while we wait for it. */
    const health = { crashes: 0, firstErrorAt: 0, lastStopAt: 0 };
    cleanups.push(tailLog(ctx.dirs.log, { verbose: opts.verbose, health }));
    controller.start();

    await waitFor('the states DB', () => portOpen(opts.statesPort), 60_000, isStopping);
    const connect = kind => connectDb(opts.dir, kind, { config, logger: dbLogger(opts, `${kind} client`) });
    const states = await connect('states');
    cleanups.push(() => states.destroy());
    const objects = await connect('objects');
    cleanups.push(() => objects.destroy());
    cleanups.push(() => saveCarry(ctx, objects, configured, adapterTgz.sha));
    log('connected to the states and objects DBs');

    const adminUrl = `http://${HOST}:${opts.adminPort}/`;
    const adminReady = waitFor('admin', async () => (await httpStatus(adminUrl)) === 200, opts.timeoutMs, isStopping)
        .then(() => log(`admin is up: ${adminUrl}`))
        .catch(e => {
            warn(`admin: ${e.message}`);
            return Promise.reject(e);
        });
    adminReady.catch(() => {});

    await waitForAdapter(states, health);

    const client = connectMqtt(opts, isStopping);
    cleanups.push(() => client.endAsync(true));
    await waitFor(`the MQTT connection to ${HOST}:${opts.mqttPort}`, async () => client.connected, 30_000, isStopping);
    log(`connected to the adapter's MQTT broker as a demo gateway (mqtt://${HOST}:${opts.mqttPort})`);

    await replayAll(client, captures, opts);
    const mesh = await waitForMesh(states, 30_000, isStopping);
    try {
        await adminReady;
    } catch {
        exitCode = opts.once ? 1 : exitCode;
    }
    printUrls(opts);
    printSummary(mesh);
    console.log('');

    const named = mesh.nodes.filter(n => n.longName).length;
    if (opts.once) {
        if (mesh.nodes.length > 0 && named > 0) {
            log(`OK: ${mesh.nodes.length} decoded nodes (${named} with names) in ${INSTANCE}`);
        } else {
            warn(`no decoded nodes in ${INSTANCE} (nodes: ${mesh.nodes.length}, named: ${named}); see the log above`);
            exitCode = 1;
        }
        await shutdown(exitCode);
        return;
    }
    if (!named) {
        warn('no decoded nodes yet: the adapter may not decode (see the log lines above); replaying anyway');
    }
    cleanups.push(startReplayLoop({ client, captures, states, opts, isStopping, adminUrl }));
}

main().catch(async e => {
    if (stopping) {
        return;
    }
    const unexpected = !(e instanceof DemoError) && !/not found|ENOENT/.test(String(e && e.message));
    console.error(`[${stamp()}] ERROR: ${unexpected || opts.verbose ? e.stack || e : e.message}`);
    await shutdown(1);
});
