'use strict';
// Counts for the reliability suite: the CI default, a named env variable for one figure, RELIABILITY_SCALE for all
// (e.g. RELIABILITY_SCALE=10 for a soak ten times as long). (Read by test/reliability/.)

/** `fallback` × RELIABILITY_SCALE, or the integer in env[name] when set. */
function scaled(name, fallback) {
    const own = Number(process.env[name]);
    if (Number.isInteger(own) && own > 0) {
        return own;
    }
    const scale = Number(process.env.RELIABILITY_SCALE);
    return Number.isFinite(scale) && scale > 0 ? Math.max(1, Math.round(fallback * scale)) : fallback;
}

module.exports = { scaled };
