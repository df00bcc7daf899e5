"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LogLimiter = exports.HandlerList = void 0;
exports.useLeanMqttEncoding = useLeanMqttEncoding;
exports.errorText = errorText;
const mqtt_packet_1 = require("mqtt-packet");
/**
 * mqtt-packet (under aedes and MQTT.js) by default builds a cache of 65,536 two-byte Buffers on its first write: about
 * 6 MB of heap for saving one tiny allocation per packet id it writes. Switched off before the first packet (a
 * documented mqtt-packet option; it only changes how packet ids are encoded, not what goes on the wire).
 */
function useLeanMqttEncoding() {
    mqtt_packet_1.writeToStream.cacheNumbers = false;
}
/**
 * Subscribers of one transport event. A throwing subscriber is logged and skipped: it must not break the
 * broker's or the MQTT client's own event processing (which would drop connections or messages).
 * The same error repeated per message is logged once per window, then at debug level.
 */
class HandlerList {
    what;
    log;
    handlers = [];
    errors = new LogLimiter(10 * 60_000, 100);
    constructor(what, log) {
        this.what = what;
        this.log = log;
    }
    add(handler) {
        this.handlers.push(handler);
    }
    emit(value) {
        for (const handler of this.handlers) {
            try {
                handler(value);
            }
            catch (e) {
                const text = `Error in a ${this.what} handler: ${errorText(e)}`;
                const suppressed = this.errors.allow(text);
                if (suppressed === undefined) {
                    this.log.debug(text);
                }
                else {
                    this.log.error(suppressed ? `${text} (${suppressed} more times since the last report)` : text);
                }
            }
        }
    }
}
exports.HandlerList = HandlerList;
/**
 * Per-key log rate limit for events a remote party can repeat at will (refused logins, oversized packets):
 * the first event of a key in a window is logged, the rest are counted and reported with the next line.
 * Bounded: the oldest keys are forgotten first.
 */
class LogLimiter {
    windowMs;
    maxKeys;
    now;
    entries = new Map();
    constructor(windowMs = 10 * 60_000, maxKeys = 1000, now = Date.now) {
        this.windowMs = windowMs;
        this.maxKeys = maxKeys;
        this.now = now;
    }
    /** undefined: stay quiet (log at debug at most). A number: log now; it is how many events were suppressed before. */
    allow(key) {
        const now = this.now();
        const entry = this.entries.get(key);
        if (entry && now - entry.since < this.windowMs) {
            entry.suppressed++;
            return undefined;
        }
        const suppressed = entry?.suppressed ?? 0;
        this.entries.delete(key); // re-inserted below, so Map order stays oldest-first
        if (this.entries.size >= this.maxKeys) {
            const oldest = this.entries.keys().next().value;
            if (oldest !== undefined) {
                this.entries.delete(oldest);
            }
        }
        this.entries.set(key, { since: now, suppressed: 0 });
        return suppressed;
    }
}
exports.LogLimiter = LogLimiter;
function errorText(e) {
    return e instanceof Error ? e.message : String(e);
}
