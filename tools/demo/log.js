'use strict';
// Console output of the demo: every line stamped with the wall clock and the seconds since start.
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

/** An expected failure: printed as its message alone (no stack). */
class DemoError extends Error {}

module.exports = { stamp, log, warn, fail, sleep, DemoError };
