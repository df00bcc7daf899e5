"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ValueCache = void 0;
/**
 * The value cache: what was last requested per state, and what the DB holds (or will hold once the write in flight
 * lands), so that only changes are written. Seeded from the DB at start; bounded, the oldest tenth dropped in one
 * sweep (an evicted state is merely written once more on its next change).
 */
class ValueCache {
    max;
    /** Last written or requested value per state. */
    requested = new Map();
    /** Value the DB has (or will have once the write in flight lands) per state. */
    stored = new Map();
    constructor(max) {
        this.max = max;
    }
    get size() {
        return this.requested.size;
    }
    /** Room for seeding (seeding never evicts). */
    hasRoom() {
        return this.requested.size < this.max;
    }
    /** The last requested value (never undefined when cached: one lookup answers "cached?" and "equal?"). */
    get(id) {
        return this.requested.get(id);
    }
    /** Caches a requested value; true when the id was not cached before. */
    remember(id, value) {
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
    isStored(id, value) {
        return this.stored.get(id) === value;
    }
    markStored(id, value) {
        this.stored.set(id, value);
    }
    /** A write failed: the DB value is unknown, and the next update is written again (retry). */
    writeFailed(id, value) {
        this.stored.delete(id);
        this.dropIfRequested(id, value);
    }
    /** Forgets `value` if it is still the requested one, so that the next update is written (retry). */
    dropIfRequested(id, value) {
        if (this.requested.get(id) === value) {
            this.requested.delete(id);
        }
    }
    forget(id) {
        this.requested.delete(id);
        this.stored.delete(id);
    }
}
exports.ValueCache = ValueCache;
