'use strict';
// The running js-controller: started as a child in its own process group, its log echoed (the adapter's lines and
// problems), what the log says about the adapter's health, and waiting for things to come up.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { log, warn, sleep, DemoError } = require('./log');
const { INSTANCE } = require('./options');
const { childEnv, killGroup } = require('./processes');

class Controller {
    /** `onUnexpectedExit({ code, signal })` is called when it exits while `isStopping()` is false. */
    constructor({ dirs, files }, { isStopping, onUnexpectedExit }) {
        this.dirs = dirs;
        this.files = files;
        this.isStopping = isStopping;
        this.onUnexpectedExit = onUnexpectedExit;
        this.child = undefined;
        this.exit = undefined;
    }

    start() {
        const { dirs, files } = this;
        fs.mkdirSync(dirs.log, { recursive: true });
        const out = fs.openSync(files.controllerOut, 'a');
        const child = spawn(process.execPath, [path.join(dirs.controller, 'controller.js')], {
            cwd: dirs.controller,
            env: childEnv(),
            stdio: ['ignore', out, out],
            // Own process group: Ctrl-C reaches only us, and we stop the controller (and its adapters) in order.
            detached: process.platform !== 'win32',
        });
        this.child = child;
        fs.closeSync(out);
        fs.writeFileSync(files.pid, String(child.pid));
        this.exit = new Promise(resolve =>
            child.on('exit', (code, signal) => {
                fs.rmSync(files.pid, { force: true });
                resolve({ code, signal });
            }),
        );
        this.exit.then(({ code, signal }) => {
            if (!this.isStopping()) {
                warn(`js-controller exited unexpectedly (code ${code}, signal ${signal}); see ${files.controllerOut}`);
                this.onUnexpectedExit();
            }
        });
        log(`js-controller started (pid ${child.pid}); log: ${path.join(dirs.log, 'iobroker.<date>.log')}`);
    }

    /** SIGTERM (the controller stops its adapters), bounded; then whatever is left in its process group is killed. */
    async stop() {
        const child = this.child;
        if (!child) {
            return;
        }
        if (child.exitCode === null && child.signalCode === null) {
            log('stopping js-controller and its adapters');
            child.kill('SIGTERM');
            const done = await Promise.race([this.exit, sleep(20_000).then(() => undefined)]);
            if (!done) {
                warn('js-controller did not stop within 20 s: killing it');
            }
        }
        this.kill();
    }

    /** Adapters the controller may have left behind are in its process group. */
    kill() {
        if (this.child) {
            killGroup(this.child.pid, 'SIGKILL');
        }
    }
}

const INSTANCE_RE = new RegExp(`\\b${INSTANCE.replace('.', '\\.')}\\b`);

/** Warnings of js-controller and admin that only say this machine is offline or not set up for production. */
const OFFLINE_NOISE =
    /getaddrinfo|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|socket hang up|[Rr]epository|setcap|sudo|news|rating|node\.js versions/;

/**
 * Echoes the ioBroker log (the adapter's lines and errors; everything with `verbose`) and counts in `health` what it
 * says about the adapter. Returns the function that stops it.
 */
function tailLog(logDir, { verbose, health }) {
    // iobroker.<date>.log; iobroker.current.log is a symlink to it. Earlier runs' lines are skipped.
    const logFiles = () => {
        try {
            return fs.readdirSync(logDir).filter(f => /^iobroker\.\d.*\.log$/.test(f));
        } catch {
            return [];
        }
    };
    const offsets = new Map();
    for (const f of logFiles()) {
        try {
            offsets.set(f, fs.statSync(path.join(logDir, f)).size);
        } catch {
            // gone
        }
    }
    const onLine = line => {
        const ours = INSTANCE_RE.test(line);
        // 11 = ADAPTER_REQUESTED_TERMINATION: a planned restart (e.g. after the adapter saved its settings).
        if (ours && /terminated with code (?!11\b)[1-9]/.test(line)) {
            health.crashes++;
        }
        if (ours && /startInstance .*cannot|cannot find start file/i.test(line)) {
            health.crashes += 2;
        }
        if (ours && /- error:/.test(line)) {
            health.firstErrorAt = health.firstErrorAt || Date.now();
        }
        if (ours && /Got terminate signal|\) terminating$|terminated with code/.test(line)) {
            health.lastStopAt = Date.now();
        }
        const problem = /- (error|warn):/.test(line) && !OFFLINE_NOISE.test(line);
        if (verbose || ours || problem) {
            const short = line.replace(/^\d{4}-\d\d-\d\d /, '');
            console.log(`    log| ${short.length > 300 ? `${short.slice(0, 300)}…` : short}`);
        }
    };
    const timer = setInterval(() => {
        for (const f of logFiles()) {
            const file = path.join(logDir, f);
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
                if (line) {
                    onLine(line);
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

/** Polls `probe` until it returns a truthy value; a DemoError from it ends the wait, other errors count as "not yet". */
async function waitFor(what, probe, timeoutMs, isStopping) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        if (isStopping()) {
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

module.exports = { Controller, tailLog, httpStatus, waitFor };
