"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LogOnce = void 0;
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
/** Text from the network shown in a log line: printable, short, never able to forge extra log lines. */
function printable(text, max = 80) {
    // eslint-disable-next-line no-control-regex
    const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
