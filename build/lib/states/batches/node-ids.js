"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.metricCommon = metricCommon;
exports.nodeIds = nodeIds;
exports.containerEntry = containerEntry;
exports.specId = specId;
exports.metricId = metricId;
exports.nodeHead = nodeHead;
const ids_1 = require("../ids");
const table_1 = require("../table");
const values_1 = require("../table/values");
const entries_1 = require("./entries");
function telemetryCommon(variant, key) {
    const spec = table_1.TELEMETRY_METRICS[variant][key];
    if (!spec) {
        return { name: key, type: 'number', role: table_1.UNKNOWN_METRIC_ROLE, read: true, write: false };
    }
    const c = { name: spec.name, type: 'number', role: spec.role, read: true, write: false };
    if (spec.unit !== undefined) {
        c.unit = spec.unit;
    }
    return c;
}
const commonCache = new Map();
/** Cached `common` of a telemetry metric (objects are compared and created from it; keep one instance per key). */
function metricCommon(variant, key) {
    const cacheKey = `${variant}.${key}`;
    let c = commonCache.get(cacheKey);
    if (!c) {
        c = telemetryCommon(variant, key);
        if (commonCache.size < 1000) {
            commonCache.set(cacheKey, c);
        }
    }
    return c;
}
/** Most distinct telemetry keys per variant whose ids are kept per node (unknown keys from the mesh are bounded). */
const MAX_CACHED_METRIC_IDS = 64;
const NODE_IDS = new WeakMap();
function headEntries(node, base) {
    return [
        { id: table_1.ROOT.nodes, type: table_1.ROOT_CONTAINERS.nodes.type, common: { name: table_1.ROOT_CONTAINERS.nodes.name } },
        { id: base, type: table_1.NODE_CONTAINER_TYPE, common: { name: (0, values_1.nodeDisplayName)(node) } },
        ...(0, entries_1.nodeCommandObjects)(base),
    ];
}
/** The node's cached ids (undefined for an invalid hex); the device entry follows the node's current name. */
function nodeIds(node) {
    let ids = NODE_IDS.get(node);
    if (ids === undefined || ids.hex !== node.hex) {
        if (!(0, ids_1.isNodeHex)(node.hex)) {
            return undefined;
        }
        const base = (0, ids_1.nodeBaseId)(node.hex);
        ids = {
            hex: node.hex,
            base,
            nameSource: node.user?.longName,
            head: headEntries(node, base),
            containers: new Map(),
            specIds: new Map(),
            metricIds: new Map(),
        };
        NODE_IDS.set(node, ids);
    }
    else if (ids.nameSource !== node.user?.longName) {
        ids.nameSource = node.user?.longName;
        ids.head = headEntries(node, ids.base);
    }
    return ids;
}
function containerEntry(ids, rel) {
    let entry = ids.containers.get(rel);
    if (entry === undefined) {
        const spec = table_1.NODE_CONTAINERS[rel];
        if (!spec) {
            return undefined;
        }
        entry = { id: `${ids.base}.${rel}`, type: spec.type, common: { name: spec.name } };
        ids.containers.set(rel, entry);
    }
    return entry;
}
function specId(ids, spec) {
    let id = ids.specIds.get(spec);
    if (id === undefined) {
        id = `${ids.base}.${spec.id}`;
        ids.specIds.set(spec, id);
    }
    return id;
}
function metricId(ids, variant, key) {
    let byKey = ids.metricIds.get(variant);
    if (byKey === undefined) {
        byKey = new Map();
        ids.metricIds.set(variant, byKey);
    }
    let id = byKey.get(key);
    if (id === undefined) {
        id = `${ids.base}.${table_1.TELEMETRY_FOLDER}.${variant}.${(0, ids_1.sanitizeIdPart)(key)}`;
        if (byKey.size < MAX_CACHED_METRIC_IDS) {
            byKey.set(key, id);
        }
    }
    return id;
}
/**
 * The node's first object entries (`nodes` folder, device, `send`/`sendStatus`): the same array until the node's
 * name changes, so a caller can tell "nothing new to create" by identity. Undefined for an invalid hex.
 */
function nodeHead(node) {
    return nodeIds(node)?.head;
}
