'use strict';
// js-controller's own objects/states DB libraries, loaded from a demo installation: clients of the running
// controller's DBs (the demo's summary, the UI tests' independent reads) and an in-process objects DB for writing
// settings while no controller runs (the recipe of `@iobroker/testing`).
const { createRequire } = require('node:module');
const { DemoError } = require('./log');
const { HOST } = require('./ports');
const { layout, readJson } = require('./files');

const quietLogger = { silly() {}, debug() {}, info() {}, warn() {}, error() {} };

function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new DemoError(`timed out after ${ms / 1000} s: ${what}`)), ms);
        }),
    ]).finally(() => clearTimeout(timer));
}

/** The DB library of `kind` ('objects' | 'states') the installation in `dir` uses, and its connection settings. */
function dbLibrary(dir, config, kind) {
    const lib = createRequire(layout(dir).files.packageJson)(`@iobroker/db-${kind}-${config[kind].type}`);
    const connection = { ...config[kind], dataDir: layout(dir).dirs.data, host: HOST };
    return { lib, connection };
}

/** An objects (or states) DB client; `config` is the installation's iobroker.json (read from `dir` if omitted). */
function connectDb(dir, kind, { config = readSystemConfig(dir), logger = quietLogger } = {}) {
    const { lib, connection } = dbLibrary(dir, config, kind);
    return withTimeout(
        new Promise(resolve => {
            const client = new lib.Client({ connection, logger, connected: () => resolve(client) });
        }),
        30_000,
        `connecting to the ${kind} DB`,
    );
}

/** Both DB clients of a running installation, with one `close()`. */
async function connectDbs(dir, options = {}) {
    const objects = await connectDb(dir, 'objects', options);
    const states = await connectDb(dir, 'states', options);
    return {
        objects,
        states,
        async close() {
            await Promise.allSettled([objects.destroy(), states.destroy()]);
        },
    };
}

/** Runs `fn(objects)` against the objects DB with no controller running (in-process server). */
async function offlineObjects(dir, config, fn, { logger = quietLogger, serverLogger = logger } = {}) {
    const { lib, connection } = dbLibrary(dir, config, 'objects');
    const server = await withTimeout(
        new Promise(resolve => {
            const s = new lib.Server({ connection, logger: serverLogger, connected: () => resolve(s) });
        }),
        30_000,
        'starting the objects DB',
    );
    let client;
    try {
        client = await connectDb(dir, 'objects', { config, logger });
        return await fn(client);
    } finally {
        await client?.destroy();
        await server.destroy();
    }
}

function readSystemConfig(dir) {
    const file = layout(dir).files.config;
    const config = readJson(file, undefined);
    if (!config) {
        throw new DemoError(`${file} is missing or not JSON: is ${dir} a demo installation?`);
    }
    return config;
}

module.exports = { quietLogger, withTimeout, connectDb, connectDbs, offlineObjects, readSystemConfig };
