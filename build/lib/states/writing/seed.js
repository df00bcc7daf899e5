"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.seedFromDb = seedFromDb;
/**
 * Seeding at start: the registry learns every existing object and the value cache every stored value (one DB call
 * each), so that nothing is created twice and unchanged values are not written again after a restart.
 */
const ids_1 = require("../ids");
/**
 * Seeds the registry and the cache; returns the stored values of nodes whose device object exists (for restoring
 * node records). `send`/`sendStatus` values are skipped: a pending user command is no data. Never throws.
 */
async function seedFromDb(adapter, { registry, cache, nodes, db }) {
    const prefix = `${adapter.namespace}.`;
    const rel = (id) => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
    try {
        const objects = await adapter.getAdapterObjectsAsync();
        for (const [fullId, obj] of Object.entries(objects)) {
            registry.seed(rel(fullId), obj);
        }
    }
    catch (e) {
        db.fail('seedObjects', '*', e);
    }
    const nodeValues = [];
    try {
        const states = await adapter.getStatesAsync('*');
        for (const [fullId, state] of Object.entries(states)) {
            const id = rel(fullId);
            if (!state || (0, ids_1.isSendStateId)(id)) {
                continue;
            }
            const hex = (0, ids_1.nodeHexOf)(id);
            if (hex !== undefined && registry.exists((0, ids_1.nodeBaseId)(hex))) {
                nodeValues.push([id, state.val]);
            }
            if (cache.hasRoom()) {
                if (cache.remember(id, state.val)) {
                    nodes.track(id);
                }
                cache.markStored(id, state.val);
            }
        }
    }
    catch (e) {
        db.fail('seedStates', '*', e);
    }
    return nodeValues;
}
