"use strict";
/**
 * The MQTT client's reconnect policy, pure (no I/O; randomness injected): capped exponential backoff with jitter,
 * where sessions that break soon after CONNACK count as failed attempts (flapping never becomes a reconnect storm),
 * and the diagnosis of such quick drops: the broker went away, or another client takes the session over.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DropDiagnosis = exports.TAKEOVER_DROPS = exports.ReconnectBackoff = void 0;
class ReconnectBackoff {
    options;
    minMs;
    maxMs;
    random;
    /** Attempts since the last stable session (or the start), the first connection excluded. */
    attemptCount = 0;
    /** Consecutive sessions that broke before `stableAfterMs`: they, not the refused attempts, grow the delay. */
    quickDrops = 0;
    constructor(options) {
        this.options = options;
        this.minMs = Math.max(1, options.minMs);
        this.maxMs = Math.max(this.minMs, options.maxMs);
        this.random = options.random ?? Math.random;
    }
    /** Reconnect attempts so far in this outage. */
    get attempts() {
        return this.attemptCount;
    }
    /** A session ended after `lastedMs`: 'stable' (a fresh outage) or 'quick' (it counts as a failed attempt). */
    sessionEnded(lastedMs) {
        if (lastedMs >= this.options.stableAfterMs) {
            this.attemptCount = 0;
            this.quickDrops = 0;
            return 'stable';
        }
        // A session was made: the refused attempts before it no longer count (a restarted broker comes back at
        // once), but each quick drop in a row still doubles the first delay (protection against a takeover storm).
        this.attemptCount = this.quickDrops;
        this.quickDrops++;
        return 'quick';
    }
    /** Counts the next attempt and returns its number and the delay before it. */
    next() {
        this.attemptCount++;
        return { attempt: this.attemptCount, delayMs: this.delay(this.attemptCount) };
    }
    /** min · 2^(attempt−1), capped at max, minus up to 10 % jitter so many instances do not reconnect in step. */
    delay(attempt) {
        const base = Math.min(this.maxMs, this.minMs * 2 ** Math.min(attempt - 1, 30));
        return Math.max(1, Math.round(base * (1 - this.random() * 0.1)));
    }
}
exports.ReconnectBackoff = ReconnectBackoff;
/** Quick drops in a row, each with the broker reachable right after, before another client with our id is named. */
exports.TAKEOVER_DROPS = 3;
/**
 * A session that breaks soon after CONNACK looks the same on the wire whether the broker was stopped or restarted
 * or another client with the same id took the session over (MQTT 3.1.1 just closes the socket). The difference:
 * after a takeover the broker is still there. So a client id clash is only suspected after several quick drops in a
 * row, each followed by a broker that accepted a TCP connection at once, with no failed attempt in between.
 */
class DropDiagnosis {
    reachableDrops = 0;
    /** `reachable`: whether the broker accepted a TCP connection right after the drop. */
    quickDrop(reachable) {
        if (!reachable) {
            this.reachableDrops = 0;
            return 'went-away';
        }
        this.reachableDrops++;
        return this.reachableDrops >= exports.TAKEOVER_DROPS ? 'taken-over' : 'unclear';
    }
    /** An attempt failed (refused, unreachable, …): the broker was not there, whatever dropped us before. */
    attemptFailed() {
        this.reachableDrops = 0;
    }
    reset() {
        this.reachableDrops = 0;
    }
}
exports.DropDiagnosis = DropDiagnosis;
