'use strict';
// The ceiling the adapter is compared with: a bare adapter without logic (test/support/ceiling-adapter.js) writing
// through the same adapter API into the same js-controller, and the states DB client alone for reference.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { pipelined, median } = require('../support/pipelined');
const { CEILING_WRITES, CEILING_ROUNDS, CEILING_IN_FLIGHT, SERIAL_WRITES, fmt, say, report } = require('./settings');

/**
 * Runs test/support/ceiling-adapter.js, a bare adapter without logic, in the test installation (beside the adapter
 * under test, same adapter-core and js-controller) and returns its `CEILING` result.
 */
function runCeilingAdapter(harness) {
    const script = path.join(__dirname, '..', 'support', 'ceiling-adapter.js');
    const args = [script, harness.testAdapterDir, CEILING_WRITES, CEILING_ROUNDS, CEILING_IN_FLIGHT, SERIAL_WRITES];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args.map(String), {
            cwd: harness.testAdapterDir,
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', chunk => (out += chunk));
        child.on('error', reject);
        child.on('close', code => {
            const line = out.split('\n').find(l => l.startsWith('CEILING '));
            const result = line ? JSON.parse(line.slice('CEILING '.length)) : null;
            if (!result || result.error || code !== 0) {
                reject(new Error(`the ceiling adapter failed (exit ${code}): ${result?.error || out.slice(-2000)}`));
            } else {
                resolve(result);
            }
        });
    });
}

/**
 * Starts the ceiling adapter in its interactive mode (see test/support/ceiling-adapter.js) and resolves once its states
 * exist: `round()` runs one timed round (→ { perSecond, cpuPercent }), `end()` returns its `CEILING` result.
 */
function startCeilingAdapter(harness) {
    const script = path.join(__dirname, '..', 'support', 'ceiling-adapter.js');
    const args = [script, harness.testAdapterDir, CEILING_WRITES, 0, CEILING_IN_FLIGHT, SERIAL_WRITES, 'interactive'];
    const child = spawn(process.execPath, args.map(String), {
        cwd: harness.testAdapterDir,
        stdio: ['pipe', 'pipe', 'inherit'],
    });
    const waiting = [];
    let out = '';
    let exited = null;
    const settle = (line, error) => {
        const next = waiting.shift();
        if (next) {
            error ? next.reject(error) : next.resolve(line);
        }
    };
    child.stdout.on('data', chunk => {
        out += chunk;
        let nl;
        while ((nl = out.indexOf('\n')) >= 0) {
            const line = out.slice(0, nl);
            out = out.slice(nl + 1);
            if (/^(READY|ROUND |CEILING )/.test(line)) {
                settle(line);
            }
        }
    });
    child.on('close', code => {
        exited = code;
        while (waiting.length) {
            settle(null, new Error(`the ceiling adapter ended (exit ${code})`));
        }
    });
    const next = () =>
        exited !== null
            ? Promise.reject(new Error(`the ceiling adapter ended (exit ${exited})`))
            : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    const parse = (line, prefix) => {
        const result = JSON.parse(line.slice(prefix.length));
        if (result.error) {
            throw new Error(`the ceiling adapter failed: ${result.error}`);
        }
        return result;
    };
    const ready = next();
    return ready.then(() => ({
        async round() {
            const answer = next();
            child.stdin.write('round\n');
            return parse(await answer, 'ROUND ');
        },
        async end() {
            const answer = next();
            child.stdin.end('end\n');
            return parse(await answer, 'CEILING ');
        },
    }));
}

/** Phase "ceiling" before the adapter runs (a DB without its data): the bare adapter, then the DB client alone. */
async function measureCeiling(harness) {
    // The ceiling the issue names: the same js-controller's plain setState, bounded pipelining, no adapter
    // logic. Measured through a bare adapter (same adapter-core, same DB, state objects existing), as
    // every ioBroker adapter writes: adapter.setState reads the object (alias check) before each write.
    const bare = await runCeilingAdapter(harness);
    // For reference: the states DB client alone (no adapter library, no object read) — an upper bound
    // no adapter can reach. Each rate is the median of CEILING_ROUNDS rounds with fresh ids.
    const states = harness.states;
    await pipelined(500, CEILING_IN_FLIGHT, 5000, i =>
        states.setStateAsync(`bench.0.warm.s${i}`, { val: i, ack: true }),
    );
    const rawRuns = [];
    for (let r = 0; r < CEILING_ROUNDS; r++) {
        rawRuns.push(
            await pipelined(CEILING_WRITES, CEILING_IN_FLIGHT, 10000, i =>
                states.setStateAsync(`bench.0.ceiling.r${r}.s${i}`, { val: i, ack: true }),
            ),
        );
    }
    const raw = median(rawRuns);
    const result = {
        // Before the adapter started: a DB without its objects and states. Printed for reference; the
        // ratio uses the ceiling measured beside the steady phase (same DB contents as it writes to).
        ceilingWritesPerSecond: bare.perSecond,
        ceilingEmptyDbWritesPerSecond: bare.perSecond,
        ceilingWrites: bare.writes,
        ceilingEmptyDbRounds: bare.rounds.map(fmt).join(' / '),
        ceilingInFlight: bare.inFlight,
        ceilingCpuPercent: bare.cpuPercent,
        ceilingSerialWritesPerSecond: bare.serialPerSecond,
        ceilingObjectWritesPerSecond: bare.objectsPerSecond,
        rawDbWritesPerSecond: Math.round(raw.perSecond),
        rawDbRounds: rawRuns.map(x => fmt(x.perSecond)).join(' / '),
    };
    say(
        `ceiling (DB without the adapter's data): bare adapter setState ${fmt(result.ceilingWritesPerSecond)}/s with ${result.ceilingInFlight} in flight ` +
            `(median of ${result.ceilingEmptyDbRounds}; ${fmt(bare.writes)} existing states, ack true; ` +
            `bare adapter process ${result.ceilingCpuPercent} % CPU), ` +
            `${fmt(result.ceilingSerialWritesPerSecond)}/s awaited one by one, ` +
            `setObject ${fmt(result.ceilingObjectWritesPerSecond)}/s`,
    );
    say(
        `ceiling: for reference, the states DB client alone (no adapter library, no object read) ` +
            `${fmt(result.rawDbWritesPerSecond)}/s (median of ${result.rawDbRounds})`,
    );
    report('ceiling', result);
    // Leave the DB as the adapter would find it: remove the bench ids (not timed).
    const ids = [];
    for (let i = 0; i < 500; i++) {
        ids.push(`bench.0.warm.s${i}`);
    }
    rawRuns.forEach((run, r) => {
        for (let i = 0; i < run.count; i++) {
            ids.push(`bench.0.ceiling.r${r}.s${i}`);
        }
    });
    await pipelined(ids.length, CEILING_IN_FLIGHT, 15000, i => harness.dbConnection.delState(ids[i]).catch(() => {}));
}

module.exports = { measureCeiling, startCeilingAdapter };
