'use strict';
// A fresh js-controller + admin for the install test, in a work dir under os.tmpdir(). The npm install of both is
// cached (reused while the versions match); every run starts from the databases as `iobroker setup first` left them,
// with no meshtastic package or objects.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { createRequire } = require('node:module');

const HOST = '127.0.0.1';
const PORTS = { objects: 37001, states: 37000, admin: 37081, mqtt: 37883 };
const CONTROLLER = process.env.IOB_CONTROLLER_VERSION || '7.1.1';
const ADMIN = process.env.IOB_ADMIN_VERSION || '7.8.20';
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** The environment for npm and ioBroker children: without the `npm run` variables of this repo. */
function childEnv(extra = {}) {
    const out = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (/^npm_(package|lifecycle|config)_/i.test(k) || /^(npm_command|INIT_CWD)$/i.test(k)) {
            continue;
        }
        out[k] = v;
    }
    return { ...out, ...extra };
}

function run(cmd, args, { cwd, env, timeoutMs = 300_000 } = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, env: env || childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', d => (out += d));
        child.stderr.on('data', d => (out += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', reject);
        child.on('close', code => {
            clearTimeout(timer);
            if (code === 0) {
                resolve(out);
            } else {
                reject(new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${code}):\n${out.slice(-4000)}`));
            }
        });
    });
}

const readJson = (f, def) => {
    try {
        return JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch {
        return def;
    }
};
const writeJson = (f, v) => fs.writeFileSync(f, `${JSON.stringify(v, null, 2)}\n`);

function iobrokerJson(dataDir) {
    const db = port => ({
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
    });
    return {
        system: {
            memoryLimitMB: 0,
            hostname: '',
            statisticsInterval: 15000,
            checkDiskInterval: 300000,
            compact: false,
        },
        multihostService: { enabled: false, secure: true, password: '', persist: false },
        objects: { ...db(PORTS.objects), noFileCache: false },
        states: { ...db(PORTS.states), maxQueue: 1000 },
        log: {
            level: 'info',
            maxDays: 2,
            noStdout: true,
            transport: { file1: { type: 'file', enabled: true, filename: 'log/iobroker', fileext: '.log' } },
        },
        plugins: {},
        dnsResolution: 'ipv4first',
        dataDir: path.relative(path.join(dataDir, '..', 'node_modules', 'iobroker.js-controller'), dataDir) + '/',
    };
}

function portFree(port) {
    return new Promise(resolve => {
        const srv = net.createServer();
        srv.once('error', () => resolve(false));
        srv.listen(port, HOST, () => srv.close(() => resolve(true)));
    });
}

async function prepare({ dir, registryUrl, repoUrl, log }) {
    for (const p of Object.values(PORTS)) {
        if (!(await portFree(p))) {
            throw new Error(`port ${HOST}:${p} is in use (another ioBroker?): the install test needs it`);
        }
    }
    const data = path.join(dir, 'iobroker-data');
    const snap = path.join(dir, 'snapshot');
    const controllerDir = path.join(dir, 'node_modules', 'iobroker.js-controller');
    const key = JSON.stringify({ CONTROLLER, ADMIN, node: process.versions.modules });
    const pkg = {
        name: 'iobroker-meshtastic-install-test',
        version: '1.0.0',
        private: true,
        dependencies: { 'iobroker.js-controller': CONTROLLER, 'iobroker.admin': ADMIN },
    };
    const ready = readJson(path.join(dir, 'base.json'), {}).key === key && fs.existsSync(snap);
    // Every run: no meshtastic left from the last one, and npm pointed at the default registry for the base.
    fs.rmSync(path.join(dir, '.npmrc'), { force: true });
    fs.rmSync(path.join(dir, 'node_modules', 'iobroker.meshtastic'), { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    writeJson(path.join(dir, 'package.json'), pkg);
    if (!ready) {
        log(`installing js-controller ${CONTROLLER} and admin ${ADMIN} into ${dir} (cached for later runs)`);
        fs.rmSync(data, { recursive: true, force: true });
        fs.mkdirSync(data, { recursive: true });
        writeJson(path.join(data, 'iobroker.json'), iobrokerJson(data));
        // --ignore-scripts: js-controller's install script is `setup first`, run below; the rest build optional
        // native modules js-controller loads only if present.
        await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir });
        await run(process.execPath, ['iobroker.js', 'setup', 'first', '--timeout', '1000'], { cwd: controllerDir });
        fs.rmSync(snap, { recursive: true, force: true });
        fs.cpSync(data, snap, { recursive: true });
        writeJson(path.join(dir, 'base.json'), { key });
    }
    fs.rmSync(data, { recursive: true, force: true });
    fs.cpSync(snap, data, { recursive: true });
    writeJson(path.join(data, 'iobroker.json'), iobrokerJson(data));
    fs.rmSync(path.join(dir, 'log'), { recursive: true, force: true });
    // What a user does to install from another registry; js-controller runs npm in this directory.
    fs.writeFileSync(path.join(dir, '.npmrc'), `registry=${registryUrl}\nprefer-online=true\n`);

    const req = createRequire(path.join(dir, 'package.json'));
    const config = readJson(path.join(data, 'iobroker.json'));
    const connection = kind => ({ ...config[kind], dataDir: data, host: HOST });
    const logger = { silly() {}, debug() {}, info() {}, warn() {}, error: m => log(`DB: ${m}`) };
    const env = childEnv({ npm_config_registry: registryUrl, npm_config_prefer_online: 'true' });

    // Repository, admin and host settings, written offline (no controller yet) with js-controller's DB libraries.
    {
        const ObjLib = req('@iobroker/db-objects-jsonl');
        const server = await new Promise(resolve => {
            const s = new ObjLib.Server({ connection: connection('objects'), logger, connected: () => resolve(s) });
        });
        const o = await new Promise(resolve => {
            const c = new ObjLib.Client({ connection: connection('objects'), logger, connected: () => resolve(c) });
        });
        const sys = await o.getObjectAsync('system.config');
        Object.assign(sys.common, { licenseConfirmed: true, language: 'en', diag: 'none', activeRepo: ['local'] });
        await o.setObjectAsync('system.config', sys);
        const repos = (await o.getObjectAsync('system.repositories')) || {
            _id: 'system.repositories',
            type: 'config',
            common: { name: 'System repositories' },
            native: { repositories: {} },
        };
        repos.native.repositories = { local: { link: repoUrl, json: null } };
        await o.setObjectAsync('system.repositories', repos);
        let admin = await o.getObjectAsync('system.adapter.admin.0');
        if (!admin) {
            await o.destroy();
            await server.destroy();
            await run(process.execPath, ['iobroker.js', 'add', 'admin', '--timeout', '1500'], {
                cwd: controllerDir,
                env,
            });
            return prepare({ dir, registryUrl, repoUrl, log });
        }
        admin.common.enabled = true;
        Object.assign(admin.native, { port: PORTS.admin, bind: HOST, secure: false, auth: false });
        await o.setObjectAsync('system.adapter.admin.0', admin);
        await o.destroy();
        await server.destroy();
    }

    let controller;
    const api = {
        objects: undefined,
        states: undefined,
        adminUrl: `http://${HOST}:${PORTS.admin}/`,
        cli: args => run(process.execPath, ['iobroker.js', ...args], { cwd: controllerDir, env, timeoutMs: 240_000 }),
        installedVersion: () =>
            readJson(path.join(dir, 'node_modules', 'iobroker.meshtastic', 'package.json'), {}).version,
        async startController() {
            fs.mkdirSync(path.join(dir, 'log'), { recursive: true });
            const out = fs.openSync(path.join(dir, 'log', 'controller-stdout.log'), 'a');
            controller = spawn(process.execPath, ['controller.js'], {
                cwd: controllerDir,
                env,
                stdio: ['ignore', out, out],
                detached: true,
            });
            fs.closeSync(out);
            const messages = new Map();
            const StatesLib = req('@iobroker/db-states-jsonl');
            for (let i = 0; i < 120 && (await portFree(PORTS.states)); i++) {
                await sleep(500);
            }
            api.states = await new Promise(resolve => {
                const c = new StatesLib.Client({
                    connection: connection('states'),
                    logger,
                    connected: () => resolve(c),
                    // sendTo replies arrive in our messagebox.
                    change: (id, msg) => {
                        if (id.startsWith('messagebox.') && msg && msg.callback && messages.has(msg.callback.id)) {
                            messages.get(msg.callback.id)(msg.message);
                        }
                    },
                });
            });
            await api.states.subscribeMessage('system.adapter.installtest.0');
            const ObjLib = req('@iobroker/db-objects-jsonl');
            api.objects = await new Promise(resolve => {
                const c = new ObjLib.Client({ connection: connection('objects'), logger, connected: () => resolve(c) });
            });
            let seq = 0;
            api.sendTo = (instance, command, message, timeoutMs = 15_000) => {
                const id = ++seq + Math.floor(Math.random() * 1e6);
                return new Promise((resolve, reject) => {
                    const timer = setTimeout(
                        () => reject(new Error(`no answer from ${instance} to ${command}`)),
                        timeoutMs,
                    );
                    messages.set(id, m => {
                        clearTimeout(timer);
                        resolve(m);
                    });
                    void api.states.pushMessage(`system.adapter.${instance}`, {
                        command,
                        message,
                        from: 'system.adapter.installtest.0',
                        callback: { message, id, ack: false, time: Date.now() },
                        _id: id,
                    });
                });
            };
        },
        /** Until the instance of `version` is alive with its broker listening, steady for 3 s (the first start of a
         * new identity restarts once). */
        async waitRunning(instance, version, timeoutMs = 120_000) {
            const end = Date.now() + timeoutMs;
            let since = 0;
            let last = '';
            while (Date.now() < end) {
                const obj = await api.objects.getObjectAsync(`system.adapter.${instance}`);
                const alive = await api.states.getStateAsync(`system.adapter.${instance}.alive`);
                const listening = !(await portFree(PORTS.mqtt));
                last = `version ${obj && obj.common.version}, alive ${alive && alive.val}, broker listening ${listening}`;
                const ok = obj && obj.common.version === version && alive && alive.val && listening;
                since = ok ? since || Date.now() : 0;
                if (since && Date.now() - since > 3000) {
                    return;
                }
                await sleep(500);
            }
            const logs = fs.existsSync(path.join(dir, 'log'))
                ? fs
                      .readdirSync(path.join(dir, 'log'))
                      .filter(f => /^iobroker\.\d.*\.log$/.test(f))
                      .map(f => fs.readFileSync(path.join(dir, 'log', f), 'utf8'))
                      .join('')
                      .split('\n')
                      .filter(l => /meshtastic|error/i.test(l))
                      .slice(-30)
                      .join('\n')
                : '';
            throw new Error(`${instance} ${version} not running after ${timeoutMs / 1000} s (${last})\n${logs}`);
        },
        /** Until `id` has the value `val` (e.g. info.connection true once a gateway is connected). */
        async waitState(id, val, timeoutMs = 20_000) {
            const end = Date.now() + timeoutMs;
            let st;
            while (Date.now() < end) {
                st = await api.states.getStateAsync(id);
                if (st && st.val === val) {
                    return st;
                }
                await sleep(300);
            }
            throw new Error(`${id} is ${JSON.stringify(st && st.val)}, not ${JSON.stringify(val)}`);
        },
        async stop() {
            await api.states?.destroy();
            await api.objects?.destroy();
            if (controller && controller.exitCode === null) {
                const exited = new Promise(resolve => controller.on('exit', resolve));
                controller.kill('SIGTERM');
                await Promise.race([exited, sleep(20_000)]);
                try {
                    process.kill(-controller.pid, 'SIGKILL');
                } catch {
                    // gone
                }
            }
        },
    };
    return api;
}

module.exports = { prepare, childEnv, PORTS };
