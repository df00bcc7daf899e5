/**
 * Client mode subscribes to what it publishes, so the remote broker sends our own publications back; the embedded
 * broker does not report them. This filter remembers exact own publications for a short time and drops their echo.
 */

/** How long an own publish is remembered to drop its echo from the broker. */
const ECHO_WINDOW_MS = 30_000;
const ECHO_MAX_ENTRIES = 500;

export class EchoFilter {
    /** key → pending echoes and when they are forgotten. Map order = insertion order = expiry order. */
    private readonly recent = new Map<string, { count: number; expires: number }>();

    constructor(private readonly now: () => number = Date.now) {}

    remember(topic: string, payload: Buffer): void {
        this.expire();
        const key = EchoFilter.key(topic, payload);
        const count = (this.recent.get(key)?.count ?? 0) + 1;
        this.recent.delete(key);
        if (this.recent.size >= ECHO_MAX_ENTRIES) {
            const oldest = this.recent.keys().next().value;
            if (oldest !== undefined) {
                this.recent.delete(oldest);
            }
        }
        this.recent.set(key, { count, expires: this.now() + ECHO_WINDOW_MS });
    }

    /** True when this message is the echo of an own publication (each publication is matched once). */
    isEcho(topic: string, payload: Buffer): boolean {
        if (this.recent.size === 0) {
            return false;
        }
        this.expire();
        const key = EchoFilter.key(topic, payload);
        const entry = this.recent.get(key);
        if (!entry) {
            return false;
        }
        if (--entry.count === 0) {
            this.recent.delete(key);
        }
        return true;
    }

    private expire(): void {
        const now = this.now();
        for (const [key, entry] of this.recent) {
            if (entry.expires > now) {
                break;
            }
            this.recent.delete(key);
        }
    }

    private static key(topic: string, payload: Buffer): string {
        return `${topic}\n${payload.toString('base64')}`;
    }
}
