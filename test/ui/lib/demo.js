'use strict';
// The environment of the UI test: `npm run demo` (tools/demo/main.js: a real js-controller + admin + this adapter,
// npm-packed from the repo, fed the shared real captures) as a child process on ports of its own, and js-controller's
// own DB clients to read what the adapter wrote, independently of the tab (tools/demo/db.js, as the demo reads them).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { REPO, defaultDir } = require('../../../tools/demo/options');
const { layout, readPid } = require('../../../tools/demo/files');
const { HOST, portFree, demoPorts } = require('../../../tools/demo/ports');
const { connectDbs } = require('../../../tools/demo/db');
const { sleep } = require('../../../tools/demo/log');

const DEMO_MAIN = path.join(REPO, 'tools', 'demo', 'main.js');

/** Ports apart from `npm run demo` (18830/18081/29001/29000) and `@iobroker/testing` (19000/19001). */
const DEFAULTS = {
    mqttPort: 18840,
    adminPort: 18091,
    objectsPort: 29011,
    statesPort: 29010,
    dir: defaultDir('iobroker.meshtastic-ui'),
};

/**
 * Starts the demo and resolves once it replays (everything is up). The demo's output goes to `<dir>.log` beside its
 * work dir (and to the console with UI_VERBOSE=1); its tail is part of every start-up error.
 */
class Demo {
    constructor(options = {}) {
        this.opts = { ...DEFAULTS, intervalMs: 4000, maxNodes: undefined, timeoutMs: 300_000, ...options };
        this.lines = [];
        this.child = undefined;
        this.exited = undefined;
        this.logFile = `${this.opts.dir}.log`;
    }

    get adminUrl() {
        return `http://${HOST}:${this.opts.adminPort}`;
    }

    tail(n = 40) {
        return this.lines.slice(-n).join('\n');
    }

    async start() {
        const o = this.opts;
        // The demo checks its ports too, but a stale `npm run test:ui` would make it fail only after packing.
        for (const [, port, name] of demoPorts(o)) {
            if (!(await portFree(port))) {
                // The demo stops a controller an earlier run of its own left behind (pid file in its dir).
                if (!fs.existsSync(layout(o.dir).files.pid)) {
                    throw new Error(`port ${HOST}:${port} (${name}) is in use: is another UI test running?`);
                }
            }
        }
        const env = {
            ...process.env,
            DEMO_PORT: String(o.mqttPort),
            DEMO_ADMIN_PORT: String(o.adminPort),
            DEMO_OBJECTS_PORT: String(o.objectsPort),
            DEMO_STATES_PORT: String(o.statesPort),
            DEMO_DIR: o.dir,
            DEMO_INTERVAL_MS: String(o.intervalMs),
            DEMO_TIMEOUT_S: String(Math.ceil(o.timeoutMs / 1000)),
        };
        delete env.DEMO_ONCE;
        if (o.maxNodes !== undefined) {
            env.DEMO_MAX_NODES = String(o.maxNodes);
        } else {
            delete env.DEMO_MAX_NODES;
        }
        const out = fs.createWriteStream(this.logFile);
        this.child = spawn(process.execPath, [DEMO_MAIN], {
            cwd: REPO,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        this.exited = new Promise(resolve => this.child.once('exit', (code, signal) => resolve({ code, signal })));
        const started = Date.now();
        return new Promise((resolve, reject) => {
            let done = false;
            let partial = '';
            const onData = chunk => {
                out.write(chunk);
                const text = partial + chunk.toString();
                const parts = text.split(/\r?\n/);
                partial = parts.pop();
                for (const line of parts) {
                    this.lines.push(line);
                    if (this.lines.length > 2000) {
                        this.lines.splice(0, 1000);
                    }
                    if (process.env.UI_VERBOSE) {
                        console.log(`      demo| ${line}`);
                    }
                    if (!done && line.includes('replaying one of')) {
                        done = true;
                        clearTimeout(timer);
                        this.startupMs = Date.now() - started;
                        resolve(this);
                    }
                }
            };
            this.child.stdout.on('data', onData);
            this.child.stderr.on('data', onData);
            const timer = setTimeout(() => {
                if (!done) {
                    done = true;
                    reject(
                        new Error(
                            `the demo (tools/demo/main.js) was not up within ${o.timeoutMs / 1000} s; log ${this.logFile}; ` +
                                `last lines:\n${this.tail()}`,
                        ),
                    );
                }
            }, o.timeoutMs);
            this.exited.then(({ code, signal }) => {
                out.end();
                if (!done) {
                    done = true;
                    clearTimeout(timer);
                    reject(
                        new Error(
                            `the demo (tools/demo/main.js) exited during start-up (code ${code}, signal ${signal}); ` +
                                `last lines:\n${this.tail()}`,
                        ),
                    );
                }
            });
        });
    }

    /** SIGTERM (the demo stops js-controller, admin and the adapter), then waits for the exit. */
    async stop() {
        const child = this.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        child.kill('SIGTERM');
        const result = await Promise.race([this.exited, sleep(45_000).then(() => undefined)]);
        if (!result) {
            child.kill('SIGKILL');
            await this.exited;
        }
    }

    /** The running js-controller's pid (the demo writes it to its work dir). */
    controllerPid() {
        return readPid(layout(this.opts.dir).files.pid);
    }

    /**
     * Pids of a running adapter instance of this demo's controller: js-controller names its adapter processes
     * `io.<instance>` and starts them as its children.
     */
    instancePids(instance) {
        const parent = this.controllerPid();
        if (!parent) {
            return [];
        }
        const pids = [];
        for (const entry of fs.readdirSync('/proc')) {
            if (!/^\d+$/.test(entry)) {
                continue;
            }
            try {
                const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
                const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
                if (ppid !== parent) {
                    continue;
                }
                const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
                const [adapter] = instance.split('.');
                if (
                    cmdline.includes(`io.${instance}`) ||
                    (cmdline.includes(`iobroker.${adapter}`) && cmdline.includes(instance.split('.')[1]))
                ) {
                    pids.push(Number(entry));
                }
            } catch {
                // gone
            }
        }
        return pids;
    }

    /** js-controller's objects and states DB clients (its own libraries from the demo's installation). */
    connectDbs() {
        return connectDbs(this.opts.dir);
    }
}

/** The node devices (`meshtastic.0.nodes.<hex>`) the adapter created in the objects DB: hex → device name. */
async function nodeDevices(objects, instance = 'meshtastic.0') {
    const prefix = `${instance}.nodes.`;
    const res = await objects.getObjectViewAsync('system', 'device', {
        startkey: prefix,
        endkey: `${prefix}\u9999`,
    });
    const out = new Map();
    for (const row of res.rows) {
        const hex = row.id.slice(prefix.length);
        if (/^[0-9a-f]{8}$/.test(hex)) {
            const name = row.value && row.value.common ? row.value.common.name : '';
            out.set(hex, typeof name === 'object' && name ? name.en || Object.values(name)[0] : String(name || ''));
        }
    }
    return out;
}

module.exports = { Demo, nodeDevices, DEFAULTS, HOST, REPO, sleep };
