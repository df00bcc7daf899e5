/**
 * The value cache: what was last requested per state, and what the DB holds (or will hold once the write in flight
 * lands), so that only changes are written. Seeded from the DB at start; bounded, the oldest tenth dropped in one
 * sweep (an evicted state is merely written once more on its next change).
 */
export class ValueCache {
    /** Last written or requested value per state. */
    private readonly requested = new Map<string, ioBroker.StateValue>();
    /** Value the DB has (or will have once the write in flight lands) per state. */
    private readonly stored = new Map<string, ioBroker.StateValue>();

    constructor(private readonly max: number) {}

    get size(): number {
        return this.requested.size;
    }

    /** Room for seeding (seeding never evicts). */
    hasRoom(): boolean {
        return this.requested.size < this.max;
    }

    /** The last requested value (never undefined when cached: one lookup answers "cached?" and "equal?"). */
    get(id: string): ioBroker.StateValue | undefined {
        return this.requested.get(id);
    }

    /** Caches a requested value; true when the id was not cached before. */
    remember(id: string, value: ioBroker.StateValue): boolean {
        const size = this.requested.size;
        this.requested.set(id, value);
        if (this.requested.size === size) {
            return false;
        }
        if (this.requested.size > this.max) {
            let drop = Math.max(1, Math.floor(this.max / 10));
            for (const key of this.requested.keys()) {
                this.requested.delete(key);
                this.stored.delete(key);
                if (--drop <= 0) {
                    break;
                }
            }
        }
        return true;
    }

    /** True when the DB holds (or will hold) exactly this value. */
    isStored(id: string, value: ioBroker.StateValue): boolean {
        return this.stored.get(id) === value;
    }

    markStored(id: string, value: ioBroker.StateValue): void {
        this.stored.set(id, value);
    }

    /** A write failed: the DB value is unknown, and the next update is written again (retry). */
    writeFailed(id: string, value: ioBroker.StateValue): void {
        this.stored.delete(id);
        this.dropIfRequested(id, value);
    }

    /** Forgets `value` if it is still the requested one, so that the next update is written (retry). */
    dropIfRequested(id: string, value: ioBroker.StateValue): void {
        if (this.requested.get(id) === value) {
            this.requested.delete(id);
        }
    }

    forget(id: string): void {
        this.requested.delete(id);
        this.stored.delete(id);
    }
}
