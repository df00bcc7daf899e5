'use strict';
// Child processes of the demo: npm, the js-controller CLI, and stopping what an earlier demo left behind.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { log, sleep, DemoError } = require('./log');
const { readPid } = require('./files');

/** Children running now (stopped on shutdown). */
const running = new Set();

/** The environment for npm and ioBroker children: without the `npm run` variables of this repo. */
function childEnv(extra = {}) {
    const out = {};
    for (const [k, v] of Object.entries(process.env)) {
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
    const execPath = process.env.npm_execpath;
    if (execPath && /npm-cli\.[cm]?js$/.test(execPath)) {
        return [process.execPath, [execPath, ...args]];
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

const npm = (args, o) => {
    const [cmd, a] = npmCommand(args);
    return run(cmd, a, { what: `npm ${args.join(' ')}`, ...o });
};

/**
 * The js-controller CLI (`iobroker …`) of the installation in `controllerDir`; `--timeout` shortens its wait for a
 * running controller (there is none).
 */
const iobroker = (controllerDir, args, o) =>
    run(process.execPath, [path.join(controllerDir, 'iobroker.js'), ...args], {
        cwd: controllerDir,
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
async function stopStaleController(pidFile) {
    const pid = readPid(pidFile);
    if (!pid || !isAlive(pid)) {
        fs.rmSync(pidFile, { force: true });
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
        fs.rmSync(pidFile, { force: true });
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
    fs.rmSync(pidFile, { force: true });
}

module.exports = { running, childEnv, run, npm, iobroker, isAlive, killGroup, stopStaleController };
