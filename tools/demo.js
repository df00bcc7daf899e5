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
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { loadCaptures, freshCopy, findVectors } = require('./demo-replay');

const REPO = path.resolve(__dirname, '..');
const ADAPTER = 'meshtastic';
const INSTANCE = `${ADAPTER}.0`;
const HOST = '127.0.0.1';
const ROOT_TOPIC = 'msh/EU_868';
const CHANNELS = [{ name: 'LongFast', psk: 'AQ==', downlink: true }];

// ---- logging -------------------------------------------------------------------------------------------------------

const t0 = Date.now();
const stamp = () => {
    const d = new Date();
    const p = (n, w = 2) => String(n).padStart(w, '0');
    const secs = ((Date.now() - t0) / 1000).toFixed(1).padStart(5);
    return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)} +${secs}s`;
};
const log = msg => console.log(`[${stamp()}] ${msg}`);
const warn = msg => console.warn(`[${stamp()}] WARNING: ${msg}`);
function fail(msg) {
    console.error(`[${stamp()}] ERROR: ${msg}`);
    process.exit(1);
}
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const rel = p => (p.startsWith(REPO + path.sep) ? path.relative(REPO, p) : p);

// ---- options -------------------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const env = process.env;
const flag = (name, envName) => argv.includes(`--${name}`) || /^(1|true|yes)$/i.test(env[envName] || '');
function intOpt(envName, def) {
    const raw = env[envName];
    if (raw === undefined || raw === '') {
        return def;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0 || n > 65535 * 1000) {
        fail(`${envName}=${raw} is not a valid number`);
    }
    return n;
}

function portOpt(envName, def) {
    const n = intOpt(envName, def);
    if (n > 65535) {
        fail(`${envName}=${n} is not a TCP port`);
    }
    return n;
}

if (argv.includes('--help') || argv.includes('-h')) {
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

const opts = {
    once: flag('once', 'DEMO_ONCE'),
    verbose: flag('verbose', 'DEMO_VERBOSE'),
    rebuild: flag('rebuild', 'DEMO_REBUILD'),
    reinstall: flag('reinstall', 'DEMO_REINSTALL'),
    mqttPort: portOpt('DEMO_PORT', 18830),
    adminPort: portOpt('DEMO_ADMIN_PORT', 18081),
    objectsPort: portOpt('DEMO_OBJECTS_PORT', 29001),
    statesPort: portOpt('DEMO_STATES_PORT', 29000),
    intervalMs: intOpt('DEMO_INTERVAL_MS', 4000),
    maxNodes: intOpt('DEMO_MAX_NODES', undefined),
    timeoutMs: intOpt('DEMO_TIMEOUT_S', 120) * 1000,
    controllerVersion: env.DEMO_CONTROLLER_VERSION || '7.1.1',
    adminVersion: env.DEMO_ADMIN_VERSION || '7.8.20',
    dir: path.resolve(
        env.DEMO_DIR ||
            path.join(
                os.tmpdir(),
                `iobroker.meshtastic-demo-${crypto.createHash('sha1').update(REPO).digest('hex').slice(0, 8)}`,
            ),
    ),
};

const DIRS = {
    data: path.join(opts.dir, 'iobroker-data'),
    log: path.join(opts.dir, 'log'),
    snapshots: path.join(opts.dir, 'snapshots'),
    pack: path.join(opts.dir, 'pack'),
    controller: path.join(opts.dir, 'node_modules', 'iobroker.js-controller'),
};
const FILES = {
    config: path.join(DIRS.data, 'iobroker.json'),
    state: path.join(opts.dir, 'demo-state.json'),
    pid: path.join(opts.dir, 'controller.pid'),
    controllerOut: path.join(DIRS.log, 'controller-stdout.log'),
};

class DemoError extends Error {}

// ---- processes -----------------------------------------------------------------------------------------------------

/** The environment for npm and ioBroker children: without the `npm run` variables of this repo. */
function childEnv(extra = {}) {
    const out = {};
    for (const [k, v] of Object.entries(env)) {
        if (
            /^npm_(package|lifecycle)_/i.test(k) ||
            /^(npm_config_local_prefix|npm_command|npm_config_call|INIT_CWD)$/i.test(k)
        ) {
            continue;
        }
        out[k] = v;
    }
    return { ...out, ...extra };
}

/** npm itself: the one running us when started by `npm run`, else `npm` on the PATH. */
function npmCommand(args) {
    if (env.npm_execpath && /npm-cli\.[cm]?js$/.test(env.npm_execpath)) {
        return [process.execPath, [env.npm_execpath, ...args]];
    }
    return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}

/**
 * Runs a command; resolves with its output. `echo` streams it (prefixed) to the console, otherwise it is shown
 * only on failure. A heartbeat line is printed while it runs long.
 */
function run(
    cmd,
    args,
    { cwd, echo = false, what = `${path.basename(cmd)} ${args.join(' ')}`, allowFail = false } = {},
) {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(cmd, args, {
            cwd,
            env: childEnv(),
            stdio: ['ignore', 'pipe', 'pipe'],
            shell: process.platform === 'win32' && !path.isAbsolute(cmd),
        });
        running.add(child);
        let output = '';
        let stdout = '';
        child.stdout.on('data', chunk => {
            if (stdout.length < 5_000_000) {
                stdout += chunk.toString();
            }
        });
        const onData = chunk => {
            const text = chunk.toString();
            output += text;
            if (output.length > 2_000_000) {
                output = output.slice(-1_000_000);
            }
            if (echo) {
                for (const line of text.split(/\r?\n/)) {
                    if (line.trim() && !/^npm warn Unknown (env|user|project) config/.test(line)) {
                        console.log(`    | ${line}`);
                    }
                }
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        const beat = setInterval(
            () => log(`  ... still running: ${what} (${Math.round((Date.now() - started) / 1000)} s)`),
            20_000,
        );
        child.on('error', e => {
            clearInterval(beat);
            running.delete(child);
            reject(new DemoError(`${what}: ${e.message}`));
        });
        child.on('close', code => {
            clearInterval(beat);
            running.delete(child);
            if (code === 0 || allowFail) {
                resolve({ code, output, stdout });
                return;
            }
            if (!echo) {
                const tail = output.trim().split(/\r?\n/).slice(-40);
                for (const line of tail) {
                    console.error(`    | ${line}`);
                }
            }
            reject(new DemoError(`${what} failed (exit code ${code})`));
        });
    });
}
const running = new Set();

const npm = (args, o) => {
    const [cmd, a] = npmCommand(args);
    return run(cmd, a, { what: `npm ${args.join(' ')}`, ...o });
};
/** The js-controller CLI (`iobroker …`); `--timeout` shortens its wait for a running controller (there is none). */
const iob = (args, o) =>
    run(process.execPath, [path.join(DIRS.controller, 'iobroker.js'), ...args], {
        cwd: DIRS.controller,
        what: `iobroker ${args.join(' ')}`,
        ...o,
    });

function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === 'EPERM';
    }
}

function killGroup(pid, signal) {
    try {
        process.kill(process.platform === 'win32' ? pid : -pid, signal);
    } catch {
        try {
            process.kill(pid, signal);
        } catch {
            // gone
        }
    }
}

/** A controller left running by an earlier demo that was killed hard: stop it (only if it is ours). */
async function stopStaleController() {
    let pid;
    try {
        pid = Number(fs.readFileSync(FILES.pid, 'utf8').trim());
    } catch {
        return;
    }
    if (!pid || !isAlive(pid)) {
        fs.rmSync(FILES.pid, { force: true });
        return;
    }
    let cmdline = '';
    try {
        cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
        // not Linux: trust the pid file
        cmdline = 'controller.js';
    }
    // js-controller renames its process to "iobroker.js-controller".
    if (!/controller\.js|js-controller/.test(cmdline)) {
        fs.rmSync(FILES.pid, { force: true });
        return;
    }
    log(`stopping the controller an earlier demo left running (pid ${pid})`);
    killGroup(pid, 'SIGTERM');
    for (let i = 0; i < 100 && isAlive(pid); i++) {
        await sleep(200);
    }
    if (isAlive(pid)) {
        killGroup(pid, 'SIGKILL');
        await sleep(500);
    }
    fs.rmSync(FILES.pid, { force: true });
}

function portFree(port) {
    return new Promise(resolve => {
        const srv = net.createServer();
        srv.once('error', () => resolve(false));
        srv.listen(port, HOST, () => srv.close(() => resolve(true)));
    });
}

function portOpen(port) {
    return new Promise(resolve => {
        const sock = net.connect({ port, host: HOST });
        const done = ok => {
            sock.destroy();
            resolve(ok);
        };
        sock.setTimeout(1000, () => done(false));
        sock.once('connect', () => done(true));
        sock.once('error', () => done(false));
    });
}

async function checkPorts() {
    const ports = [
        ['DEMO_PORT', opts.mqttPort, 'MQTT broker (adapter)'],
        ['DEMO_ADMIN_PORT', opts.adminPort, 'admin'],
        ['DEMO_OBJECTS_PORT', opts.objectsPort, 'objects DB'],
        ['DEMO_STATES_PORT', opts.statesPort, 'states DB'],
    ];
    const seen = new Set();
    for (const [name, port, what] of ports) {
        if (seen.has(port)) {
            throw new DemoError(
                `port ${port} is used twice: set DEMO_PORT, DEMO_ADMIN_PORT, DEMO_OBJECTS_PORT, DEMO_STATES_PORT apart`,
            );
        }
        seen.add(port);
        if (!(await portFree(port))) {
            throw new DemoError(`port ${HOST}:${port} (${what}) is in use: free it or choose another with ${name}=...`);
        }
    }
}

// ---- build and pack ------------------------------------------------------------------------------------------------

async function buildAndPack() {
    for (const f of ['package.json', 'io-package.json']) {
        if (!fs.existsSync(path.join(REPO, f))) {
            throw new DemoError(`${f} is missing in ${REPO}: the adapter cannot be installed`);
        }
    }
    if (opts.rebuild || !fs.existsSync(path.join(REPO, 'build', 'main.js'))) {
        log(
            opts.rebuild
                ? 'building the adapter (npm run build)'
                : 'build/main.js is missing: building the adapter (npm run build)',
        );
        await npm(['run', 'build'], { cwd: REPO, echo: true });
    }
    const main = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).main || 'build/main.js';
    let produced;
    for (let attempt = 1; ; attempt++) {
        fs.rmSync(DIRS.pack, { recursive: true, force: true });
        fs.mkdirSync(DIRS.pack, { recursive: true });
        log('packing the adapter (npm pack)');
        const { output, stdout } = await npm(['pack', '--json', '--pack-destination', DIRS.pack], { cwd: REPO });
        produced = fs.readdirSync(DIRS.pack).filter(f => f.endsWith('.tgz'));
        if (produced.length !== 1) {
            throw new DemoError(`npm pack produced ${produced.length} tarballs: ${output.slice(-500)}`);
        }
        // The package must hold its start file: a build running at the same time (rimraf build && tsc) can empty
        // build/ just while npm packs.
        let files = [];
        try {
            const json = JSON.parse(stdout);
            files = (json[0].files || []).map(f => f.path);
        } catch {
            files = [main];
        }
        if (files.includes(path.posix.normalize(main))) {
            break;
        }
        if (attempt >= 3) {
            throw new DemoError(`the packed adapter has no ${main}: run \`npm run build\` (is another build running?)`);
        }
        warn(`the packed adapter has no ${main} (a build running at the same time?): packing again in 5 s`);
        await sleep(5000);
    }
    const tgz = path.join(DIRS.pack, produced[0]);
    const sha = crypto.createHash('sha256').update(fs.readFileSync(tgz)).digest('hex');
    // A stable name in the work dir; the content hash decides whether to reinstall.
    const target = path.join(opts.dir, 'adapter.tgz');
    fs.copyFileSync(tgz, target);
    return { file: target, sha, name: produced[0] };
}

// ---- the ioBroker installation -------------------------------------------------------------------------------------

function readJson(file, def) {
    try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
        return def;
    }
}
const writeJson = (file, data) => fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);

/** js-controller's iobroker.json: jsonl DBs on the demo ports, backups off, log to file only. */
function systemConfig() {
    const existing = readJson(FILES.config, undefined);
    const db = (port, extra) => ({
        type: 'jsonl',
        host: HOST,
        port,
        connectTimeout: 5000,
        writeFileInterval: 5000,
        dataDir: '',
        options: { auth_pass: '', retry_max_delay: 2000, retry_max_count: 19, db: 0, family: 0 },
        backup: { disabled: true, files: 24, hours: 48, period: 120, path: '' },
        jsonlOptions: {
            autoCompress: { sizeFactor: 2, sizeFactorMinimumSize: 25000 },
            ignoreReadErrors: true,
            throttleFS: { intervalMs: 10000, maxBufferedCommands: 1000 },
        },
        ...extra,
    });
    const config = existing || {
        system: {
            memoryLimitMB: 0,
            hostname: '',
            statisticsInterval: 15000,
            checkDiskInterval: 300000,
            instanceStartInterval: 500,
            compact: false,
            allowShellCommands: false,
            memLimitWarn: 100,
            memLimitError: 50,
        },
        multihostService: { enabled: false, secure: true, password: '', persist: false },
        objects: db(opts.objectsPort, { noFileCache: false }),
        states: db(opts.statesPort, { maxQueue: 1000 }),
        log: {
            level: 'info',
            maxDays: 2,
            noStdout: true,
            transport: {
                file1: {
                    type: 'file',
                    enabled: true,
                    filename: 'log/iobroker',
                    fileext: '.log',
                    maxSize: null,
                    maxFiles: null,
                },
            },
        },
        plugins: {},
        dnsResolution: 'ipv4first',
        dataDir: '../../iobroker-data/',
    };
    config.objects.host = HOST;
    config.objects.port = opts.objectsPort;
    config.states.host = HOST;
    config.states.port = opts.statesPort;
    config.multihostService = { ...(config.multihostService || {}), enabled: false };
    fs.mkdirSync(DIRS.data, { recursive: true });
    writeJson(FILES.config, config);
    return config;
}

/** The work dir is wiped on a new installation: never touch a directory that is not ours. */
function assertDemoDir() {
    if (!fs.existsSync(opts.dir)) {
        return;
    }
    const entries = fs.readdirSync(opts.dir);
    const ours =
        entries.length === 0 ||
        fs.existsSync(FILES.state) ||
        readJson(path.join(opts.dir, 'package.json'), {}).name === DEMO_PACKAGE ||
        entries.every(e => ['adapter.tgz', 'pack'].includes(e));
    if (!ours) {
        throw new DemoError(`${opts.dir} is not empty and not a demo work dir: choose another DEMO_DIR`);
    }
}

const DEMO_PACKAGE = 'iobroker-meshtastic-demo';

/** What an installation was made from; a change means reinstalling that part. */
const installKey = () =>
    JSON.stringify({ controller: opts.controllerVersion, admin: opts.adminVersion, node: process.versions.modules });

async function install(adapterTgz) {
    const state = readJson(FILES.state, {});
    const fresh =
        opts.reinstall ||
        state.installKey !== installKey() ||
        !fs.existsSync(DIRS.controller) ||
        !fs.existsSync(path.join(DIRS.snapshots, 'base', 'objects.jsonl'));
    if (fresh) {
        if (fs.existsSync(opts.dir)) {
            log(`new installation: clearing ${opts.dir}`);
            for (const entry of fs.readdirSync(opts.dir)) {
                if (!['adapter.tgz', 'pack'].includes(entry)) {
                    fs.rmSync(path.join(opts.dir, entry), { recursive: true, force: true });
                }
            }
        }
        writeJson(path.join(opts.dir, 'package.json'), {
            name: DEMO_PACKAGE,
            version: '1.0.0',
            private: true,
            description: 'work dir of `npm run demo` (ioBroker.meshtastic); safe to delete',
            dependencies: {
                'iobroker.js-controller': opts.controllerVersion,
                'iobroker.admin': opts.adminVersion,
                'iobroker.meshtastic': 'file:adapter.tgz',
            },
        });
        // As @iobroker/testing and real installations do.
        fs.writeFileSync(path.join(opts.dir, '.npmrc'), 'engine-strict=true\n');
        // Written first: `setup first` keeps an existing config, so the databases use the demo ports from the start.
        systemConfig();
        log(
            `installing js-controller ${opts.controllerVersion}, admin ${opts.adminVersion} and the adapter into ` +
                `${opts.dir} (npm install --omit=dev; about 1 min with a warm npm cache)`,
        );
        // --ignore-scripts: the only install script that matters is js-controller's `setup first`, run below with a
        // short DB timeout; the others build optional native modules (diskusage, unix-dgram, cpu-features) that
        // js-controller and admin load only if present, and would cost a minute of node-gyp.
        await npm(['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
            cwd: opts.dir,
        });
        log('initialising ioBroker (iobroker setup first: databases, host, admin.0, admin files)');
        await iob(['setup', 'first', '--timeout', '1000']);
        writeJson(FILES.state, { installKey: installKey(), adapterSha: adapterTgz.sha });
    } else if (state.adapterSha !== adapterTgz.sha) {
        log('the adapter changed: installing the new package (npm install adapter.tgz)');
        systemConfig();
        await npm(
            [
                'install',
                '--omit=dev',
                '--ignore-scripts',
                '--no-audit',
                '--no-fund',
                '--loglevel=error',
                './adapter.tgz',
            ],
            {
                cwd: opts.dir,
            },
        );
        writeJson(FILES.state, { ...state, adapterSha: adapterTgz.sha, ready: undefined });
    } else {
        systemConfig();
        log(`installation is up to date (${opts.dir})`);
    }
    return fresh;
}

// ---- databases -----------------------------------------------------------------------------------------------------

const demoRequire = () => createRequire(path.join(opts.dir, 'package.json'));

const dbLogger = prefix => ({
    silly: () => {},
    debug: () => {},
    info: () => {},
    warn: msg => opts.verbose && warn(`${prefix}: ${msg}`),
    error: msg => warn(`${prefix}: ${msg}`),
});

function dbSettings(config, kind) {
    return { ...config[kind], dataDir: DIRS.data, host: HOST };
}

function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new DemoError(`timed out after ${ms / 1000} s: ${what}`)), ms);
        }),
    ]).finally(() => clearTimeout(timer));
}

/** An objects (or states) DB client of js-controller's own libraries. */
function connectClient(config, kind) {
    const lib = demoRequire()(`@iobroker/db-${kind}-${config[kind].type}`);
    return withTimeout(
        new Promise(resolve => {
            const client = new lib.Client({
                connection: dbSettings(config, kind),
                logger: dbLogger(`${kind} client`),
                connected: () => resolve(client),
            });
        }),
        30_000,
        `connecting to the ${kind} DB`,
    );
}

/** Runs `fn(objects)` against the objects DB with no controller running (in-process server, as `@iobroker/testing`). */
async function offlineObjects(config, fn) {
    const lib = demoRequire()(`@iobroker/db-objects-${config.objects.type}`);
    const server = await withTimeout(
        new Promise(resolve => {
            const s = new lib.Server({
                connection: dbSettings(config, 'objects'),
                logger: dbLogger('objects DB'),
                connected: () => resolve(s),
            });
        }),
        30_000,
        'starting the objects DB',
    );
    let client;
    try {
        client = await connectClient(config, 'objects');
        return await fn(client);
    } finally {
        await client?.destroy();
        await server.destroy();
    }
}

const DB_FILES = ['objects.jsonl', 'states.jsonl'];

function snapshot(name) {
    const dir = path.join(DIRS.snapshots, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const f of DB_FILES) {
        if (fs.existsSync(path.join(DIRS.data, f))) {
            fs.copyFileSync(path.join(DIRS.data, f), path.join(dir, f));
        }
    }
}

function restore(name) {
    const dir = path.join(DIRS.snapshots, name);
    if (!fs.existsSync(path.join(dir, 'objects.jsonl'))) {
        return false;
    }
    for (const f of DB_FILES) {
        fs.rmSync(path.join(DIRS.data, f), { force: true });
        if (fs.existsSync(path.join(dir, f))) {
            fs.copyFileSync(path.join(dir, f), path.join(DIRS.data, f));
        }
    }
    return true;
}

/**
 * The databases with admin.0 and meshtastic.0 created, from snapshots: `base` (after js-controller's setup, with
 * admin) and `ready` (base + the adapter instance of the installed package). Every run starts from `ready`, so the
 * mesh data of an earlier run is gone.
 */
async function prepareDatabases(config, freshInstall, adapterSha) {
    const state = readJson(FILES.state, {});
    if (freshInstall) {
        const hasAdmin = await offlineObjects(config, o => o.getObjectAsync('system.adapter.admin.0'));
        if (!hasAdmin) {
            // js-controller's install script normally does this (`setup first` creates admin.0).
            log('creating the admin instance (iobroker add admin)');
            await iob(['add', 'admin', '--timeout', '1500']);
        }
        snapshot('base');
        state.ready = undefined;
    }
    if (state.ready === adapterSha && restore('ready')) {
        log('databases reset to the configured snapshot (no mesh data from earlier runs)');
        return;
    }
    if (!freshInstall) {
        restore('base');
    }
    log(`creating the ${ADAPTER} instance (iobroker add ${ADAPTER})`);
    await iob(['add', ADAPTER, '--enabled', 'false', '--timeout', '1500']);
    snapshot('ready');
    writeJson(FILES.state, { ...readJson(FILES.state, {}), ready: adapterSha });
}

/** Native settings the demo sets; everything else in the instance's native is the adapter's (or its defaults). */
const demoNative = () => ({
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
async function configure(config, carry = {}) {
    return offlineObjects(config, async objects => {
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
        Object.assign(inst.native, carry, demoNative());
        await objects.setObjectAsync(`system.adapter.${INSTANCE}`, inst);
        return JSON.parse(JSON.stringify(inst.native));
    });
}

/** Remembers the native values the adapter generated itself during this run (see `configure`). */
async function saveCarry(objects, configured, adapterSha) {
    const inst = await objects.getObjectAsync(`system.adapter.${INSTANCE}`);
    if (!inst || !inst.native) {
        return;
    }
    const managed = demoNative();
    const carry = {};
    for (const [k, v] of Object.entries(inst.native)) {
        // Only values the adapter filled in where the settings were empty (generated ids and keys), not edits.
        const wasEmpty = configured[k] === undefined || configured[k] === null || configured[k] === '';
        if (!(k in managed) && wasEmpty && v !== undefined && v !== null && v !== '') {
            carry[k] = v;
        }
    }
    const state = readJson(FILES.state, {});
    const previous = state.carrySha === adapterSha ? state.carry || {} : {};
    writeJson(FILES.state, { ...state, carrySha: adapterSha, carry: { ...previous, ...carry } });
}

// ---- the running controller ----------------------------------------------------------------------------------------

let controller;
let controllerExit;

function startController() {
    fs.mkdirSync(DIRS.log, { recursive: true });
    const out = fs.openSync(FILES.controllerOut, 'a');
    controller = spawn(process.execPath, [path.join(DIRS.controller, 'controller.js')], {
        cwd: DIRS.controller,
        env: childEnv(),
        stdio: ['ignore', out, out],
        // Own process group: Ctrl-C reaches only us, and we stop the controller (and its adapters) in order.
        detached: process.platform !== 'win32',
    });
    fs.closeSync(out);
    fs.writeFileSync(FILES.pid, String(controller.pid));
    controllerExit = new Promise(resolve =>
        controller.on('exit', (code, signal) => {
            fs.rmSync(FILES.pid, { force: true });
            resolve({ code, signal });
        }),
    );
    controllerExit.then(({ code, signal }) => {
        if (!stopping) {
            warn(`js-controller exited unexpectedly (code ${code}, signal ${signal}); see ${FILES.controllerOut}`);
            void shutdown(1);
        }
    });
    log(`js-controller started (pid ${controller.pid}); log: ${path.join(DIRS.log, 'iobroker.<date>.log')}`);
}

const INSTANCE_RE = new RegExp(`\\b${INSTANCE.replace('.', '\\.')}\\b`);

/** What the log says about the adapter while we wait for it. */
const adapterHealth = { crashes: 0, firstErrorAt: 0, lastStopAt: 0 };

/** Warnings of js-controller and admin that only say this machine is offline or not set up for production. */
const OFFLINE_NOISE =
    /getaddrinfo|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|socket hang up|[Rr]epository|setcap|sudo|news|rating|node\.js versions/;

/** Echoes the ioBroker log: the adapter's lines and errors (everything with DEMO_VERBOSE=1). */
function tailLog() {
    // iobroker.<date>.log; iobroker.current.log is a symlink to it. Earlier runs' lines are skipped.
    const logFiles = () => {
        try {
            return fs.readdirSync(DIRS.log).filter(f => /^iobroker\.\d.*\.log$/.test(f));
        } catch {
            return [];
        }
    };
    const offsets = new Map();
    for (const f of logFiles()) {
        try {
            offsets.set(f, fs.statSync(path.join(DIRS.log, f)).size);
        } catch {
            // gone
        }
    }
    const timer = setInterval(() => {
        const files = logFiles();
        for (const f of files) {
            const file = path.join(DIRS.log, f);
            const from = offsets.get(f) ?? 0;
            let text;
            try {
                const size = fs.statSync(file).size;
                if (size <= from) {
                    continue;
                }
                const fd = fs.openSync(file, 'r');
                const buf = Buffer.alloc(size - from);
                fs.readSync(fd, buf, 0, buf.length, from);
                fs.closeSync(fd);
                text = buf.toString('utf8');
            } catch {
                continue;
            }
            const complete = text.lastIndexOf('\n') + 1;
            offsets.set(f, from + Buffer.byteLength(text.slice(0, complete)));
            for (const raw of text.slice(0, complete).split('\n')) {
                // eslint-disable-next-line no-control-regex
                const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
                if (!line) {
                    continue;
                }
                const ours = INSTANCE_RE.test(line);
                // 11 = ADAPTER_REQUESTED_TERMINATION: a planned restart (e.g. after the adapter saved its settings).
                if (ours && /terminated with code (?!11\b)[1-9]/.test(line)) {
                    adapterHealth.crashes++;
                }
                if (ours && /startInstance .*cannot|cannot find start file/i.test(line)) {
                    adapterHealth.crashes += 2;
                }
                if (ours && /- error:/.test(line)) {
                    adapterHealth.firstErrorAt = adapterHealth.firstErrorAt || Date.now();
                }
                if (ours && /Got terminate signal|\) terminating$|terminated with code/.test(line)) {
                    adapterHealth.lastStopAt = Date.now();
                }
                const problem = /- (error|warn):/.test(line) && !OFFLINE_NOISE.test(line);
                if (opts.verbose || ours || problem) {
                    const short = line.replace(/^\d{4}-\d\d-\d\d /, '');
                    console.log(`    log| ${short.length > 300 ? `${short.slice(0, 300)}…` : short}`);
                }
            }
        }
    }, 500);
    return () => clearInterval(timer);
}

function httpStatus(url) {
    return new Promise(resolve => {
        const req = http.get(url, { timeout: 3000 }, res => {
            res.resume();
            resolve(res.statusCode);
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(0));
    });
}

async function waitFor(what, probe, timeoutMs = opts.timeoutMs) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        if (stopping) {
            throw new DemoError('stopped');
        }
        const v = await probe().catch(e => {
            if (e instanceof DemoError) {
                throw e;
            }
            return undefined;
        });
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new DemoError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
        }
        await sleep(250);
    }
}

// ---- mesh summary from the states DB -------------------------------------------------------------------------------

async function getStates(states, ids) {
    if (!ids.length) {
        return {};
    }
    const vals = await states.getStates(ids);
    const out = {};
    ids.forEach((id, i) => {
        out[id] = vals[i];
    });
    return out;
}

/** Nodes and counters as the adapter wrote them. */
async function readMesh(states) {
    const prefix = `${INSTANCE}.nodes.`;
    const keys = (await states.getKeys(`${prefix}*`)) || [];
    const nodes = new Map();
    for (const key of keys) {
        const hex = key.slice(prefix.length).split('.')[0];
        if (!/^[0-9a-f]{8}$/i.test(hex)) {
            continue;
        }
        if (!nodes.has(hex)) {
            nodes.set(hex, {});
        }
        nodes.get(hex)[key.slice(prefix.length + hex.length + 1)] = key;
    }
    const wanted = [
        'info.longName',
        'info.shortName',
        'info.hwModel',
        'position.latitude',
        'position.longitude',
        'telemetry.device.batteryLevel',
        'telemetry.environment.temperature',
    ];
    const ids = [];
    for (const n of nodes.values()) {
        for (const w of wanted) {
            if (n[w]) {
                ids.push(n[w]);
            }
        }
    }
    const statIds = ['received', 'decoded', 'duplicates', 'undecryptable', 'invalid'].map(
        s => `${INSTANCE}.stats.${s}`,
    );
    const vals = await getStates(states, [
        ...ids,
        ...statIds,
        `${INSTANCE}.messages.last`,
        `${INSTANCE}.info.connection`,
    ]);
    const val = id => (id && vals[id] ? vals[id].val : undefined);
    const list = [...nodes.entries()].map(([hex, n]) => {
        const v = w => val(n[w]);
        return {
            hex,
            longName: v('info.longName'),
            shortName: v('info.shortName'),
            hwModel: v('info.hwModel'),
            lat: v('position.latitude'),
            lon: v('position.longitude'),
            battery: v('telemetry.device.batteryLevel'),
            temperature: v('telemetry.environment.temperature'),
            states: Object.keys(n).length,
        };
    });
    list.sort((a, b) => (b.longName ? 1 : 0) - (a.longName ? 1 : 0) || b.states - a.states);
    const stats = {};
    for (const id of statIds) {
        if (val(id) !== undefined && val(id) !== null) {
            stats[id.split('.').pop()] = val(id);
        }
    }
    let lastText;
    const last = val(`${INSTANCE}.messages.last`);
    if (typeof last === 'string' && last) {
        try {
            const m = JSON.parse(last);
            lastText = `${m.fromName || m.fromId || m.from || '?'}: ${JSON.stringify(m.text)}`;
        } catch {
            lastText = last.slice(0, 120);
        }
    }
    return { nodes: list, stats, lastText, connected: val(`${INSTANCE}.info.connection`) };
}

function fmtNum(v, digits) {
    return typeof v === 'number' ? v.toFixed(digits) : String(v);
}

function printSummary(mesh, max = 12) {
    const named = mesh.nodes.filter(n => n.longName);
    log(`decoded mesh data (read back from the states DB): ${mesh.nodes.length} nodes, ${named.length} with names`);
    for (const n of mesh.nodes.slice(0, max)) {
        const parts = [`!${n.hex}`];
        parts.push(n.longName ? `${n.longName}${n.shortName ? ` (${n.shortName})` : ''}` : '(no name yet)');
        if (n.hwModel) {
            parts.push(String(n.hwModel));
        }
        if (n.lat !== undefined && n.lat !== null && n.lon !== undefined && n.lon !== null) {
            parts.push(`at ${fmtNum(n.lat, 4)}, ${fmtNum(n.lon, 4)}`);
        }
        if (n.battery !== undefined && n.battery !== null) {
            parts.push(`battery ${n.battery} %`);
        }
        if (n.temperature !== undefined && n.temperature !== null) {
            parts.push(`${fmtNum(n.temperature, 1)} °C`);
        }
        console.log(`      ${parts.join('  ')}`);
    }
    if (mesh.nodes.length > max) {
        console.log(`      … and ${mesh.nodes.length - max} more`);
    }
    const stats = Object.entries(mesh.stats).map(([k, v]) => `${k} ${v}`);
    if (stats.length) {
        console.log(`      packets: ${stats.join(', ')}`);
    }
    if (mesh.lastText) {
        console.log(`      last text: ${mesh.lastText}`);
    }
}

function printUrls() {
    const base = `http://${HOST}:${opts.adminPort}`;
    console.log('');
    console.log(`  ioBroker admin:   ${base}/#tab-objects   (objects tab: open ${ADAPTER} → 0 → nodes)`);
    console.log(`  adapter settings: ${base}/#tab-instances/config/system.adapter.${INSTANCE}`);
    console.log(`  mesh tab:         ${base}/adapter/${ADAPTER}/tab.html?0&instance=0&react=light`);
    console.log(
        `  MQTT broker:      mqtt://${HOST}:${opts.mqttPort}  root topic ${ROOT_TOPIC}, channel LongFast (key AQ==): ` +
            'point a Meshtastic gateway or MQTT Explorer here',
    );
    console.log('');
}

// ---- replay ----------------------------------------------------------------------------------------------------

function connectMqtt() {
    const mqtt = require('mqtt');
    const client = mqtt.connect({
        host: HOST,
        port: opts.mqttPort,
        clientId: `demo-gateway-${process.pid}`,
        reconnectPeriod: 1000,
        connectTimeout: 5000,
    });
    let lastError = '';
    client.on('error', e => {
        if (e.message !== lastError) {
            lastError = e.message;
            if (!stopping) {
                warn(`MQTT: ${e.message} (reconnecting)`);
            }
        }
    });
    return client;
}

const portName = c => (typeof c.portnum === 'string' ? c.portnum : c.portnum ? `port ${c.portnum}` : 'undecryptable');

async function replayAll(client, captures) {
    for (const c of captures) {
        await client.publishAsync(c.topic, c.payload, { qos: 1 });
    }
    const gateways = new Set(captures.map(c => (/\/(![0-9a-f]{8})$/.exec(c.topic) || [])[1]).filter(Boolean));
    log(`replayed all ${captures.length} captures (${gateways.size} gateways) to mqtt://${HOST}:${opts.mqttPort}`);
}

/** Until the decoded node count stops changing (and at least one node has a name), or the timeout. */
async function waitForMesh(states, timeoutMs) {
    const end = Date.now() + timeoutMs;
    let last = '';
    let stableSince = Date.now();
    let mesh;
    for (;;) {
        mesh = await readMesh(states);
        const sig = `${mesh.nodes.length}/${mesh.nodes.filter(n => n.longName).length}/${JSON.stringify(mesh.stats)}`;
        if (sig !== last) {
            last = sig;
            stableSince = Date.now();
        }
        const named = mesh.nodes.some(n => n.longName);
        // The adapter writes its counters every few seconds: wait for them too, when it has them.
        const counted = mesh.stats.received === undefined || mesh.stats.received > 0;
        const stable = Date.now() - stableSince;
        if ((named && stable >= (counted ? 2500 : 8000)) || Date.now() > end || stopping) {
            return mesh;
        }
        await sleep(500);
    }
}

// ---- main ----------------------------------------------------------------------------------------------------

let stopping = false;
let exitCode = 0;
const cleanups = [];

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
    if (controller && controller.exitCode === null && controller.signalCode === null) {
        log('stopping js-controller and its adapters');
        controller.kill('SIGTERM');
        const done = await Promise.race([controllerExit, sleep(20_000).then(() => undefined)]);
        if (!done) {
            warn('js-controller did not stop within 20 s: killing it');
        }
    }
    if (controller) {
        // Adapters the controller may have left behind are in its process group.
        killGroup(controller.pid, 'SIGKILL');
    }
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
        if (controller) {
            killGroup(controller.pid, 'SIGKILL');
        }
        process.exit(130);
    }
    firstSignalAt = Date.now();
    log(`${signal}: shutting down (press Ctrl-C again to force)`);
    void shutdown(0);
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

    assertDemoDir();
    fs.mkdirSync(opts.dir, { recursive: true });
    await stopStaleController();
    await checkPorts();

    const adapterTgz = await buildAndPack();
    log(`adapter package: ${adapterTgz.name} (sha256 ${adapterTgz.sha.slice(0, 12)})`);
    const freshInstall = await install(adapterTgz);
    const config = systemConfig();
    await prepareDatabases(config, freshInstall, adapterTgz.sha);
    const state = readJson(FILES.state, {});
    const configured = await configure(config, state.carrySha === adapterTgz.sha ? state.carry : {});
    log(
        `configured: admin on ${HOST}:${opts.adminPort}, ${INSTANCE} in broker mode on ${HOST}:${opts.mqttPort}` +
            `${opts.maxNodes === undefined ? '' : ` (maxNodes ${opts.maxNodes})`}, ` +
            `DBs on ${opts.objectsPort}/${opts.statesPort}`,
    );

    if (stopping) {
        return;
    }
    cleanups.push(tailLog());
    startController();

    await waitFor('the states DB', () => portOpen(opts.statesPort), 60_000);
    const states = await connectClient(config, 'states');
    cleanups.push(() => states.destroy());
    const objects = await connectClient(config, 'objects');
    cleanups.push(() => objects.destroy());
    cleanups.push(() => saveCarry(objects, configured, adapterTgz.sha));
    log('connected to the states and objects DBs');

    const adminUrl = `http://${HOST}:${opts.adminPort}/`;
    const adminReady = waitFor('admin', async () => (await httpStatus(adminUrl)) === 200)
        .then(() => log(`admin is up: ${adminUrl}`))
        .catch(e => {
            warn(`admin: ${e.message}`);
            return Promise.reject(e);
        });
    adminReady.catch(() => {});

    await waitFor(`${INSTANCE} to start`, async () => {
        if (adapterHealth.crashes >= 2) {
            throw new DemoError(`${INSTANCE} keeps exiting with an error (see the log lines above)`);
        }
        const alive = await states.getState(`system.adapter.${INSTANCE}.alive`);
        return alive && alive.val === true;
    });
    log(`${INSTANCE} is running`);
    await waitFor(`${INSTANCE} broker to listen (info.connection)`, async () => {
        if (adapterHealth.crashes >= 2) {
            throw new DemoError(`${INSTANCE} keeps exiting with an error (see the log lines above)`);
        }
        if (adapterHealth.firstErrorAt && Date.now() - adapterHealth.firstErrorAt > 10_000) {
            throw new DemoError(
                `${INSTANCE} logged errors (above) and its broker does not listen on ${HOST}:${opts.mqttPort}`,
            );
        }
        const c = await states.getState(`${INSTANCE}.info.connection`);
        return (c && c.val === true) || (await portOpen(opts.mqttPort));
    });

    // With a new identity (first run of a package) the adapter stores it and js-controller restarts it once (code
    // 11): captures replayed into the instance that is about to go would be lost. Wait until it has settled.
    await sleep(1500);
    await waitFor(`${INSTANCE} to settle after a planned restart`, async () => {
        if (adapterHealth.crashes >= 2) {
            throw new DemoError(`${INSTANCE} keeps exiting with an error (see the log lines above)`);
        }
        return Date.now() - adapterHealth.lastStopAt > 2000 && (await portOpen(opts.mqttPort));
    });

    const client = connectMqtt();
    cleanups.push(() => client.endAsync(true));
    await waitFor(`the MQTT connection to ${HOST}:${opts.mqttPort}`, async () => client.connected, 30_000);
    log(`connected to the adapter's MQTT broker as a demo gateway (mqtt://${HOST}:${opts.mqttPort})`);

    await replayAll(client, captures);
    const mesh = await waitForMesh(states, 30_000);
    try {
        await adminReady;
    } catch {
        exitCode = opts.once ? 1 : exitCode;
    }
    printUrls();
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

    // Alive: a capture as a new packet (new id, re-encrypted) every few seconds; a status line every 30 s.
    const pool = captures.filter(c => c.fresh);
    log(
        `replaying one of ${pool.length} captures as a new packet every ${opts.intervalMs / 1000} s; ` +
            'press Ctrl-C to stop',
    );
    let sent = 0;
    const loop = setInterval(() => {
        if (stopping || !client.connected) {
            return;
        }
        const c = pool[crypto.randomInt(pool.length)];
        const payload = freshCopy(c);
        client.publish(c.topic, payload, { qos: 1 });
        sent++;
        const id = payload.readUInt32LE(c.fresh.id.start).toString(16).padStart(8, '0');
        const from = payload.readUInt32LE(c.fresh.from.start).toString(16).padStart(8, '0');
        log(`→ ${portName(c)} from !${from} via ${c.topic.split('/').pop() || 'map'} (packet id ${id})`);
    }, opts.intervalMs);
    cleanups.push(() => clearInterval(loop));
    const status = setInterval(async () => {
        try {
            const m = await readMesh(states);
            const stats = Object.entries(m.stats)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ');
            log(
                `status: ${m.nodes.length} nodes (${m.nodes.filter(n => n.longName).length} named), ${stats}` +
                    `${m.lastText ? `; last text ${m.lastText}` : ''}; ${sent} replayed; admin ${adminUrl}`,
            );
        } catch (e) {
            warn(`reading the states DB: ${e.message}`);
        }
    }, 30_000);
    cleanups.push(() => clearInterval(status));
}

main().catch(async e => {
    if (stopping) {
        return;
    }
    const unexpected = !(e instanceof DemoError) && !/not found|ENOENT/.test(String(e && e.message));
    console.error(`[${stamp()}] ERROR: ${unexpected || opts.verbose ? e.stack || e : e.message}`);
    await shutdown(1);
});
