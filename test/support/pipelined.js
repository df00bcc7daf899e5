'use strict';

/**
 * Runs `op(0..n-1)` with at most `limit` calls in flight, stopping at `timeLimitMs`; returns how many completed and
 * the rate. Shared by the bench and its ceiling adapter so both measure the same way.
 */
async function pipelined(n, limit, timeLimitMs, op) {
    const start = process.hrtime.bigint();
    const deadline = Date.now() + timeLimitMs;
    let next = 0;
    let done = 0;
    const worker = async () => {
        while (next < n && Date.now() < deadline) {
            await op(next++);
            done++;
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, n)) }, worker));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { count: done, seconds, perSecond: done / seconds };
}

/** The run with the median rate. */
const median = runs => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)];

module.exports = { pipelined, median };
