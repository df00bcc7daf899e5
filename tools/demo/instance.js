'use strict';
// The databases of the demo, prepared while no controller runs: snapshots of the set-up DBs (so every run starts
// without the mesh data of earlier runs), the instances admin.0 and meshtastic.0, and their settings.
const fs = require('node:fs');
const path = require('node:path');
const { log, warn, DemoError } = require('./log');
const { ADAPTER, INSTANCE, ROOT_TOPIC, CHANNELS } = require('./options');
const { HOST } = require('./ports');
const { readJson, writeJson } = require('./files');
const { iobroker } = require('./processes');
const { offlineObjects } = require('./db');

const DB_FILES = ['objects.jsonl', 'states.jsonl'];

/** A DB logger that shows errors (and warnings with --verbose) of js-controller's DB libraries. */
const dbLogger = (opts, prefix) => ({
    silly: () => {},
    debug: () => {},
    info: () => {},
    warn: msg => opts.verbose && warn(`${prefix}: ${msg}`),
    error: msg => warn(`${prefix}: ${msg}`),
});

const withObjects = ({ opts, dir }, config, fn) =>
    offlineObjects(dir, config, fn, {
        logger: dbLogger(opts, 'objects client'),
        serverLogger: dbLogger(opts, 'objects DB'),
    });

function snapshot({ dirs }, name) {
    const target = path.join(dirs.snapshots, name);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    for (const f of DB_FILES) {
        if (fs.existsSync(path.join(dirs.data, f))) {
            fs.copyFileSync(path.join(dirs.data, f), path.join(target, f));
        }
    }
}

function restore({ dirs }, name) {
    const source = path.join(dirs.snapshots, name);
    if (!fs.existsSync(path.join(source, 'objects.jsonl'))) {
        return false;
    }
    for (const f of DB_FILES) {
        fs.rmSync(path.join(dirs.data, f), { force: true });
        if (fs.existsSync(path.join(source, f))) {
            fs.copyFileSync(path.join(source, f), path.join(dirs.data, f));
        }
    }
    return true;
}

/**
 * The databases with admin.0 and meshtastic.0 created, from snapshots: `base` (after js-controller's setup, with
 * admin) and `ready` (base + the adapter instance of the installed package). Every run starts from `ready`, so the
 * mesh data of an earlier run is gone.
 */
async function prepareDatabases(ctx, config, freshInstall, adapterSha) {
    const { files, dirs } = ctx;
    const state = readJson(files.state, {});
    if (freshInstall) {
        const hasAdmin = await withObjects(ctx, config, o => o.getObjectAsync('system.adapter.admin.0'));
        if (!hasAdmin) {
            // js-controller's install script normally does this (`setup first` creates admin.0).
            log('creating the admin instance (iobroker add admin)');
            await iobroker(dirs.controller, ['add', 'admin', '--timeout', '1500']);
        }
        snapshot(ctx, 'base');
        state.ready = undefined;
    }
    if (state.ready === adapterSha && restore(ctx, 'ready')) {
        log('databases reset to the configured snapshot (no mesh data from earlier runs)');
        return;
    }
    if (!freshInstall) {
        restore(ctx, 'base');
    }
    log(`creating the ${ADAPTER} instance (iobroker add ${ADAPTER})`);
    await iobroker(dirs.controller, ['add', ADAPTER, '--enabled', 'false', '--timeout', '1500']);
    snapshot(ctx, 'ready');
    writeJson(files.state, { ...readJson(files.state, {}), ready: adapterSha });
}

/** Native settings the demo sets; everything else in the instance's native is the adapter's (or its defaults). */
const demoNative = opts => ({
    mode: 'broker',
    bind: HOST,
    port: opts.mqttPort,
    rootTopic: ROOT_TOPIC,
    channels: CHANNELS,
    webSocket: false,
    ssl: false,
    user: '',
    pass: '',
    ...(opts.maxNodes === undefined ? {} : { maxNodes: opts.maxNodes }),
});

/**
 * Writes the settings: ports, 127.0.0.1, the adapter's broker settings; no setup wizard in admin, no diagnostics
 * upload. Returns the instance's native as configured. `carry` = native values the adapter wrote
 * itself in an earlier run of the same package (e.g. the identity of its virtual node), so it does not have to
 * create them (and restart) again.
 */
async function configure(ctx, config, carry = {}) {
    const { opts } = ctx;
    return withObjects(ctx, config, async objects => {
        const sys = await objects.getObjectAsync('system.config');
        if (sys) {
            sys.common.licenseConfirmed = true;
            sys.common.language = sys.common.language || 'en';
            sys.common.diag = 'none';
            sys.common.activeRepo = Array.isArray(sys.common.activeRepo) ? sys.common.activeRepo : [];
            await objects.setObjectAsync('system.config', sys);
        }
        const admin = await objects.getObjectAsync('system.adapter.admin.0');
        if (!admin) {
            throw new DemoError('system.adapter.admin.0 is missing');
        }
        admin.common.enabled = true;
        Object.assign(admin.native, { port: opts.adminPort, bind: HOST, secure: false, auth: false });
        await objects.setObjectAsync('system.adapter.admin.0', admin);

        const inst = await objects.getObjectAsync(`system.adapter.${INSTANCE}`);
        if (!inst) {
            throw new DemoError(`system.adapter.${INSTANCE} is missing`);
        }
        inst.common.enabled = true;
        inst.common.loglevel = 'info';
        Object.assign(inst.native, carry, demoNative(opts));
        await objects.setObjectAsync(`system.adapter.${INSTANCE}`, inst);
        return JSON.parse(JSON.stringify(inst.native));
    });
}

/** Remembers the native values the adapter generated itself during this run (see `configure`). */
async function saveCarry({ opts, files }, objects, configured, adapterSha) {
    const inst = await objects.getObjectAsync(`system.adapter.${INSTANCE}`);
    if (!inst || !inst.native) {
        return;
    }
    const managed = demoNative(opts);
    const carry = {};
    for (const [k, v] of Object.entries(inst.native)) {
        // Only values the adapter filled in where the settings were empty (generated ids and keys), not edits.
        const wasEmpty = configured[k] === undefined || configured[k] === null || configured[k] === '';
        if (!(k in managed) && wasEmpty && v !== undefined && v !== null && v !== '') {
            carry[k] = v;
        }
    }
    const state = readJson(files.state, {});
    const previous = state.carrySha === adapterSha ? state.carry || {} : {};
    writeJson(files.state, { ...state, carrySha: adapterSha, carry: { ...previous, ...carry } });
}

module.exports = { dbLogger, prepareDatabases, configure, saveCarry };
