'use strict';
// A real Mosquitto (Debian package "mosquitto") for client-mode tests: own config, own port on 127.0.0.1,
// optional user/password, no persistence. CI installs the package; tests must fail (not skip) without it.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const CANDIDATES = [
    '/usr/sbin/mosquitto',
    '/usr/local/sbin/mosquitto',
    '/opt/homebrew/sbin/mosquitto',
    '/usr/bin/mosquitto',
];
const START_TIMEOUT_MS = 10000;

function inPath(name) {
    for (const dir of (process.env.PATH || '').split(path.delimiter)) {
        const file = path.join(dir, name);
        if (dir && fs.existsSync(file)) {
            return file;
        }
    }
    return undefined;
}

function mosquittoBinary() {
    return CANDIDATES.find(file => fs.existsSync(file)) || inPath('mosquitto');
}

function mosquittoPasswdBinary() {
    const beside = mosquittoBinary() && path.join(path.dirname(mosquittoBinary()), '..', 'bin', 'mosquitto_passwd');
    return inPath('mosquitto_passwd') || (beside && fs.existsSync(beside) ? beside : undefined);
}

/** True when both mosquitto and mosquitto_passwd are installed. */
function mosquittoAvailable() {
    return Boolean(mosquittoBinary() && mosquittoPasswdBinary());
}

function portAccepts(port) {
    return new Promise(resolve => {
        const socket = net.connect({ port, host: '127.0.0.1' });
        socket.once('connect', () => {
            socket.destroy();
            resolve(true);
        });
        socket.once('error', () => resolve(false));
    });
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Starts Mosquitto on 127.0.0.1:`port`. With `user`, anonymous access is off and only user/pass may log in.
 * With `persistent`, sessions, subscriptions and queued messages (QoS 0 too) are saved after every change, so an
 * observer's persistent session survives a SIGKILL and gets what was published while it reconnected.
 * Returns { port, stop(): Promise (SIGTERM, files removed), kill(): void (SIGKILL, a crash), restart(): Promise }.
 */
async function startMosquitto({ port, user, pass, persistent = false } = {}) {
    const binary = mosquittoBinary();
    if (!binary) {
        throw new Error('mosquitto is not installed (Debian/Ubuntu: apt-get install -y mosquitto)');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshtastic-mosquitto-'));
    const confFile = path.join(dir, 'mosquitto.conf');
    const passwordFile = path.join(dir, 'passwd');

    function writeFiles() {
        const lines = [
            'per_listener_settings false',
            `listener ${port} 127.0.0.1`,
            ...(persistent
                ? [
                      'persistence true',
                      `persistence_location ${dir}/`,
                      'autosave_on_changes true',
                      'autosave_interval 1',
                      'queue_qos0_messages true',
                  ]
                : ['persistence false']),
            'log_dest stderr',
            'log_type error',
            'log_type warning',
            'log_type notice',
            'log_type information',
        ];
        if (user) {
            const passwd = mosquittoPasswdBinary();
            if (!passwd) {
                throw new Error('mosquitto_passwd is not installed (Debian/Ubuntu: apt-get install -y mosquitto)');
            }
            execFileSync(passwd, ['-b', '-c', passwordFile, user, pass || ''], { stdio: 'pipe' });
            lines.push('allow_anonymous false', `password_file ${passwordFile}`);
        } else {
            lines.push('allow_anonymous true');
        }
        if (typeof process.getuid === 'function' && process.getuid() === 0) {
            // As root Mosquitto drops to the "mosquitto" user, which cannot read our private temp directory.
            lines.push('user root');
        }
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(confFile, `${lines.join('\n')}\n`);
    }

    let child;
    let exited;
    let output = '';
    const killOnExit = () => child && child.exitCode === null && child.kill('SIGKILL');
    process.once('exit', killOnExit);

    async function launch() {
        if (await portAccepts(port)) {
            throw new Error(`port ${port} is already in use: cannot start Mosquitto there`);
        }
        writeFiles();
        output = '';
        child = spawn(binary, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
        child.stderr.on('data', chunk => {
            output = (output + chunk.toString()).slice(-4000);
        });
        exited = new Promise(resolve => child.once('exit', (code, signal) => resolve({ code, signal })));
        const spawned = child;
        const deadline = Date.now() + START_TIMEOUT_MS;
        for (;;) {
            if (spawned.exitCode !== null || spawned.signalCode !== null) {
                throw new Error(`mosquitto exited at start (${spawned.exitCode ?? spawned.signalCode}):\n${output}`);
            }
            if (await portAccepts(port)) {
                return;
            }
            if (Date.now() > deadline) {
                spawned.kill('SIGKILL');
                throw new Error(`mosquitto did not listen on ${port} within ${START_TIMEOUT_MS} ms:\n${output}`);
            }
            await sleep(50);
        }
    }

    async function terminate(signal) {
        if (!child || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
    }

    await launch();
    return {
        port,
        /** Everything Mosquitto logged since the last (re)start (for diagnostics). */
        output: () => output,
        async stop() {
            await terminate('SIGTERM');
            process.removeListener('exit', killOnExit);
            fs.rmSync(dir, { recursive: true, force: true });
        },
        /** A crash: SIGKILL, no goodbye to the clients. */
        kill() {
            if (child && child.exitCode === null && child.signalCode === null) {
                child.kill('SIGKILL');
            }
        },
        async restart() {
            await terminate('SIGTERM');
            await launch();
        },
    };
}

module.exports = { startMosquitto, mosquittoAvailable };
