/**
 * Seeding at start: the registry learns every existing object and the value cache every stored value (one DB call
 * each), so that nothing is created twice and unchanged values are not written again after a restart.
 */
import { isSendStateId, nodeBaseId, nodeHexOf } from '../ids';
import type { StatesAdapter } from './adapter';
import type { DbQueue } from './db-queue';
import type { NodeIndex } from './node-index';
import type { ObjectRegistry } from './object-registry';
import type { ValueCache } from './value-cache';

export interface SeedTargets {
    registry: ObjectRegistry;
    cache: ValueCache;
    nodes: NodeIndex;
    /** Failures are counted and logged there. */
    db: DbQueue;
}

/**
 * Seeds the registry and the cache; returns the stored values of nodes whose device object exists (for restoring
 * node records). `send`/`sendStatus` values are skipped: a pending user command is no data. Never throws.
 */
export async function seedFromDb(
    adapter: Pick<StatesAdapter, 'namespace' | 'getAdapterObjectsAsync' | 'getStatesAsync'>,
    { registry, cache, nodes, db }: SeedTargets,
): Promise<[string, ioBroker.StateValue][]> {
    const prefix = `${adapter.namespace}.`;
    const rel = (id: string): string => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
    try {
        const objects = await adapter.getAdapterObjectsAsync();
        for (const [fullId, obj] of Object.entries(objects)) {
            registry.seed(rel(fullId), obj);
        }
    } catch (e) {
        db.fail('seedObjects', '*', e);
    }
    const nodeValues: [string, ioBroker.StateValue][] = [];
    try {
        const states = await adapter.getStatesAsync('*');
        for (const [fullId, state] of Object.entries(states)) {
            const id = rel(fullId);
            if (!state || isSendStateId(id)) {
                continue;
            }
            const hex = nodeHexOf(id);
            if (hex !== undefined && registry.exists(nodeBaseId(hex))) {
                nodeValues.push([id, state.val]);
            }
            if (cache.hasRoom()) {
                if (cache.remember(id, state.val)) {
                    nodes.track(id);
                }
                cache.markStored(id, state.val);
            }
        }
    } catch (e) {
        db.fail('seedStates', '*', e);
    }
    return nodeValues;
}
