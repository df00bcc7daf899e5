"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RateLog = exports.LogOnce = void 0;
exports.suppressedNote = suppressedNote;
exports.printable = printable;
/**
 * Bad input arrives per packet; logs must not. `LogOnce` lets each distinct problem through once (bounded memory),
 * and counts what it swallowed so a later summary can say how often it happened.
 */
class LogOnce {
    maxKeys;
    seen = new Map();
    constructor(maxKeys = 1000) {
        this.maxKeys = maxKeys;
    }
    /** True the first time `key` is seen (then the caller logs); false afterwards. */
    first(key) {
        const count = this.seen.get(key);
        if (count !== undefined) {
            this.seen.set(key, count + 1);
            return false;
        }
        if (this.seen.size >= this.maxKeys) {
            // Forget the oldest problem rather than growing without bound.
            const oldest = this.seen.keys().next().value;
            if (oldest !== undefined) {
                this.seen.delete(oldest);
            }
        }
        this.seen.set(key, 1);
        return true;
    }
    count(key) {
        return this.seen.get(key) ?? 0;
    }
    clear() {
        this.seen.clear();
    }
}
exports.LogOnce = LogOnce;
/**
 * Log lines keyed by a fixed kind (never by anything a client chooses: gateway id, channel, topic, client id), at most
 * one per kind per window. `allow()` returns how many lines of that kind were swallowed since the last one, so the
 * next line can say so, or `undefined` when this one is swallowed too. Memory: one entry per kind the code names.
 */
class RateLog {
    windowMs;
    now;
    kinds = new Map();
    constructor(windowMs = 60_000, now = Date.now) {
        this.windowMs = windowMs;
        this.now = now;
    }
    allow(kind) {
        const t = this.now();
        const entry = this.kinds.get(kind);
        if (entry === undefined) {
            this.kinds.set(kind, { last: t, suppressed: 0 });
            return 0;
        }
        if (t - entry.last < this.windowMs) {
            entry.suppressed++;
            return undefined;
        }
        const suppressed = entry.suppressed;
        entry.last = t;
        entry.suppressed = 0;
        return suppressed;
    }
    /** Lines of this kind swallowed since the last one let through. */
    suppressed(kind) {
        return this.kinds.get(kind)?.suppressed ?? 0;
    }
}
exports.RateLog = RateLog;
/** " (N similar lines suppressed in the last minute)" or nothing. */
function suppressedNote(count) {
    return count > 0 ? ` (${count} more like this since the last such line, logged at debug level)` : '';
}
/** Text from the network shown in a log line: printable, short, never able to forge extra log lines. */
function printable(text, max = 80) {
    // eslint-disable-next-line no-control-regex
    const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
