/**
 * Bad input arrives per packet; logs must not. `LogOnce` lets each distinct problem through once (bounded memory),
 * and counts what it swallowed so a later summary can say how often it happened.
 */
export class LogOnce {
    private readonly seen = new Map<string, number>();

    constructor(private readonly maxKeys = 1000) {}

    /** True the first time `key` is seen (then the caller logs); false afterwards. */
    first(key: string): boolean {
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

    count(key: string): number {
        return this.seen.get(key) ?? 0;
    }

    clear(): void {
        this.seen.clear();
    }
}

/** Text from the network shown in a log line: printable, short, never able to forge extra log lines. */
export function printable(text: string, max = 80): string {
    // eslint-disable-next-line no-control-regex
    const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
