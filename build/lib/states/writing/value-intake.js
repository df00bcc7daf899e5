"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ValueIntake = void 0;
class ValueIntake {
    parts;
    /** Values whose object is being created (id → newest value). */
    parked = new Map();
    skipped = 0;
    constructor(parts) {
        this.parts = parts;
    }
    /** Values skipped because they did not change (or went back to what the DB holds). */
    get unchanged() {
        return this.skipped;
    }
    /** Values parked until their object exists. */
    get parkedCount() {
        return this.parked.size;
    }
    /** Creates missing objects of the batch, then takes its values, and lets the DB queue run. */
    applyBatch(batch) {
        for (const obj of batch.objects) {
            this.parts.registry.ensure(obj);
        }
        for (const state of batch.states) {
            this.take(state);
        }
        this.parts.db.pump();
    }
    /** Skips, queues or parks one value (see the file header). */
    take(entry) {
        const { registry, cache, nodes, db } = this.parts;
        const { id, value } = entry;
        // Only existing objects are unverified: no existence check needed first (most values arrive unchanged).
        registry.verify(id, entry.common);
        if (!entry.event && cache.get(id) === value) {
            this.skipped++;
            return;
        }
        const exists = registry.exists(id);
        if (cache.remember(id, value)) {
            nodes.track(id);
        }
        if (exists) {
            if (!entry.event && cache.isStored(id, value)) {
                // The value went back to what the DB already holds before its change was written: nothing to write.
                db.dropValue(id);
                this.skipped++;
                return;
            }
            db.queueValue(id, value);
            return;
        }
        this.parked.set(id, value);
        registry.ensureState(id, entry.common);
    }
    /** A creation settled: its parked value is queued, or (failed) forgotten so that the next update retries. */
    unpark(id, ok) {
        if (this.parked.has(id)) {
            const value = this.parked.get(id);
            this.parked.delete(id);
            if (ok) {
                this.parts.db.queueValue(id, value);
            }
            else {
                this.parts.cache.dropIfRequested(id, value);
            }
        }
        this.parts.db.pump();
    }
    /** Drops the parked value of an id (its node was removed). */
    forget(id) {
        this.parked.delete(id);
    }
    clear() {
        this.parked.clear();
    }
}
exports.ValueIntake = ValueIntake;
