import { writeToStream } from 'mqtt-packet';
import type { TransportLogger } from './types';

/**
 * mqtt-packet (under aedes and MQTT.js) by default builds a cache of 65,536 two-byte Buffers on its first write: about
 * 6 MB of heap for saving one tiny allocation per packet id it writes. Switched off before the first packet (a
 * documented mqtt-packet option; it only changes how packet ids are encoded, not what goes on the wire).
 */
export function useLeanMqttEncoding(): void {
    writeToStream.cacheNumbers = false;
}

/**
 * Subscribers of one transport event. A throwing subscriber is logged and skipped: it must not break the
 * broker's or the MQTT client's own event processing (which would drop connections or messages).
 * The same error repeated per message is logged once per window, then at debug level.
 */
export class HandlerList<T> {
    private readonly handlers: ((value: T) => void)[] = [];
    private readonly errors = new LogLimiter(10 * 60_000, 100);

    constructor(
        private readonly what: string,
        private readonly log: TransportLogger,
    ) {}

    add(handler: (value: T) => void): void {
        this.handlers.push(handler);
    }

    emit(value: T): void {
        for (const handler of this.handlers) {
            try {
                handler(value);
            } catch (e) {
                const text = `Error in a ${this.what} handler: ${errorText(e)}`;
                const suppressed = this.errors.allow(text);
                if (suppressed === undefined) {
                    this.log.debug(text);
                } else {
                    this.log.error(suppressed ? `${text} (${suppressed} more times since the last report)` : text);
                }
            }
        }
    }
}

/**
 * Per-key log rate limit for events a remote party can repeat at will (refused logins, oversized packets):
 * the first event of a key in a window is logged, the rest are counted and reported with the next line.
 * Bounded: the oldest keys are forgotten first.
 */
export class LogLimiter {
    private readonly entries = new Map<string, { since: number; suppressed: number }>();

    constructor(
        private readonly windowMs = 10 * 60_000,
        private readonly maxKeys = 1000,
        private readonly now: () => number = Date.now,
    ) {}

    /** undefined: stay quiet (log at debug at most). A number: log now; it is how many events were suppressed before. */
    allow(key: string): number | undefined {
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

export function errorText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
