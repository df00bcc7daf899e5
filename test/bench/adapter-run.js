'use strict';
// The adapter process of the benchmark: started as js-controller would start it (memory limit, node options),
// bounded, watched for an unexpected end, and asked for a CPU profile per phase (BENCH_PROFILE=1).
const fs = require('node:fs');
const path = require('node:path');
const { NS, sleep } = require('../support/bench-harness');
const { BENCH_MEMORY_LIMIT_MB, say, report } = require('./settings');

/**
 * Node options of the adapter process as js-controller would start it: the instance's `common.memoryLimitMB`
 * (BENCH_MEMORY_LIMIT_MB when unset) becomes --max-old-space-size and `common.nodeProcessParams` are added
 * (@iobroker/testing's harness ignores both; they are passed through NODE_OPTIONS, so only flags Node allows there).
 * BENCH_ADAPTER_NODE_OPTIONS adds more (profiling).
 */
async function adapterEnv(harness) {
    const options = [];
    // The instance object as a fresh install creates it from io-package.json; a test installation cached from an
    // older io-package.json may lack the newer fields, so those come from io-package.json itself.
    const ioCommon = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'io-package.json'), 'utf8')).common;
    const common = { ...ioCommon, ...(await harness.objects.getObjectAsync(`system.adapter.${NS}`))?.common };
    const memoryLimitMB = Number(common.memoryLimitMB) > 0 ? Number(common.memoryLimitMB) : BENCH_MEMORY_LIMIT_MB;
    options.push(`--max-old-space-size=${Math.round(memoryLimitMB)}`);
    for (const param of Array.isArray(common.nodeProcessParams) ? common.nodeProcessParams : []) {
        if (process.allowedNodeEnvironmentFlags.has(String(param).split('=')[0])) {
            options.push(String(param));
        } else {
            say(`note: nodeProcessParams "${param}" cannot be passed through NODE_OPTIONS; the bench runs without it`);
        }
    }
    if (options.length && !adapterEnv.told) {
        adapterEnv.told = true;
        say(`adapter node options (from io-package common, as js-controller applies them): ${options.join(' ')}`);
    }
    if (process.env.BENCH_ADAPTER_NODE_OPTIONS) {
        options.push(process.env.BENCH_ADAPTER_NODE_OPTIONS);
    }
    return options.length ? { NODE_OPTIONS: [process.env.NODE_OPTIONS, ...options].filter(Boolean).join(' ') } : {};
}

/** Exit code/signal of the adapter process when it ended unexpectedly during a phase (crash, OOM); else undefined. */
let adapterExit;
const watched = new WeakSet();
const adapterGone = () => adapterExit !== undefined;
function watchAdapter(harness) {
    adapterExit = undefined;
    if (!watched.has(harness)) {
        watched.add(harness);
        harness.on('failed', code => {
            adapterExit = code;
            say(`the adapter process ended unexpectedly (exit ${code}); see the log`);
        });
    }
}
function assertAlive(phase) {
    if (adapterGone()) {
        throw new Error(`the adapter process ended (exit ${adapterExit}) during ${phase}`);
    }
}

/** With BENCH_PROFILE=1: the adapter writes the CPU profile of the phase that just ended (test/bench/profile-preload.js). */
const profileParts = new Map();
async function profilePhase(harness, phase) {
    const pid = harness.adapterProcess?.pid;
    if (!process.env.BENCH_PROFILE_DIR || !pid) {
        return;
    }
    const part = (profileParts.get(pid) || 0) + 1;
    profileParts.set(pid, part);
    const file = path.join(process.env.BENCH_PROFILE_DIR, `adapter-${pid}-${part}.cpuprofile`);
    process.kill(pid, 'SIGUSR2');
    const end = Date.now() + 5000;
    while (!fs.existsSync(file) && Date.now() < end) {
        await sleep(100);
    }
    await sleep(200);
    report('profiles', { [phase]: file });
}

/**
 * startAdapterAndWait (alive = true), bounded: a hang is reported instead of running into the bench's time limit.
 * `env`: the adapter's environment (default `adapterEnv`).
 */
async function startAdapterBounded(harness, timeoutMs = 60000, env = undefined) {
    watchAdapter(harness);
    const t0 = Date.now();
    let timer;
    try {
        await Promise.race([
            harness.startAdapterAndWait(false, env ?? (await adapterEnv(harness))),
            new Promise((_, reject) => {
                timer = setTimeout(
                    () =>
                        reject(
                            new Error(
                                `the adapter did not report alive within ${timeoutMs / 1000} s ` +
                                    `(process ${harness.isAdapterRunning() ? 'running' : 'not running'}, exit ${harness.adapterExit})`,
                            ),
                        ),
                    timeoutMs,
                );
            }),
        ]);
    } finally {
        clearTimeout(timer);
    }
    return (Date.now() - t0) / 1000;
}

/** The exit code of the adapter process when it ended unexpectedly, else undefined. */
const adapterExitCode = () => adapterExit;

module.exports = {
    adapterEnv,
    watchAdapter,
    adapterGone,
    adapterExitCode,
    assertAlive,
    profilePhase,
    startAdapterBounded,
};
