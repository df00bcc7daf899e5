/**
 * Value intake: what decides whether a state value is written. An unchanged value is skipped, a value that returns to
 * what the DB holds is dropped, a value whose object exists is queued, any other is parked until its object exists.
 */
import type { Batch, StateEntry } from '../batches';
import type { DbQueue } from './db-queue';
import type { NodeIndex } from './node-index';
import type { ObjectRegistry } from './object-registry';
import type { ValueCache } from './value-cache';

export interface ValueIntakeParts {
    registry: Pick<ObjectRegistry, 'ensure' | 'ensureState' | 'exists' | 'verify'>;
    cache: ValueCache;
    nodes: Pick<NodeIndex, 'track'>;
    db: Pick<DbQueue, 'queueValue' | 'dropValue' | 'pump'>;
}

export class ValueIntake {
    /** Values whose object is being created (id → newest value). */
    private readonly parked = new Map<string, ioBroker.StateValue>();
    private skipped = 0;

    constructor(private readonly parts: ValueIntakeParts) {}

    /** Values skipped because they did not change (or went back to what the DB holds). */
    get unchanged(): number {
        return this.skipped;
    }

    /** Values parked until their object exists. */
    get parkedCount(): number {
        return this.parked.size;
    }

    /** Creates missing objects of the batch, then takes its values, and lets the DB queue run. */
    applyBatch(batch: Batch): void {
        for (const obj of batch.objects) {
            this.parts.registry.ensure(obj);
        }
        for (const state of batch.states) {
            this.take(state);
        }
        this.parts.db.pump();
    }

    /** Skips, queues or parks one value (see the file header). */
    take(entry: StateEntry): void {
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
    unpark(id: string, ok: boolean): void {
        if (this.parked.has(id)) {
            const value = this.parked.get(id) as ioBroker.StateValue;
            this.parked.delete(id);
            if (ok) {
                this.parts.db.queueValue(id, value);
            } else {
                this.parts.cache.dropIfRequested(id, value);
            }
        }
        this.parts.db.pump();
    }

    /** Drops the parked value of an id (its node was removed). */
    forget(id: string): void {
        this.parked.delete(id);
    }

    clear(): void {
        this.parked.clear();
    }
}
