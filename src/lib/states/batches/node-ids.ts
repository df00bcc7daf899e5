/**
 * The per-node id cache: ids and object entries of one node, built on its first update and reused by every later one.
 */
import type { TelemetryVariant } from '../../codec/types';
import type { NodeRecord } from '../../mesh/types';
import { isNodeHex, nodeBaseId, sanitizeIdPart } from '../ids';
import {
    NODE_CONTAINER_TYPE,
    NODE_CONTAINERS,
    type NodeStateSpec,
    ROOT,
    ROOT_CONTAINERS,
    type StateCommonSpec,
    TELEMETRY_FOLDER,
    TELEMETRY_METRICS,
    UNKNOWN_METRIC_ROLE,
} from '../table';
import { nodeDisplayName } from '../table/values';
import { type ContainerEntry, nodeCommandObjects, type ObjectEntry } from './entries';

function telemetryCommon(variant: TelemetryVariant, key: string): StateCommonSpec {
    const spec = TELEMETRY_METRICS[variant][key];
    if (!spec) {
        return { name: key, type: 'number', role: UNKNOWN_METRIC_ROLE, read: true, write: false };
    }
    const c: StateCommonSpec = { name: spec.name, type: 'number', role: spec.role, read: true, write: false };
    if (spec.unit !== undefined) {
        c.unit = spec.unit;
    }
    return c;
}

const commonCache = new Map<string, StateCommonSpec>();

/** Cached `common` of a telemetry metric (objects are compared and created from it; keep one instance per key). */
export function metricCommon(variant: TelemetryVariant, key: string): StateCommonSpec {
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

/**
 * The ids and object entries of one node, built on its first update and reused by every later one: a busy mesh
 * updates the same few states of the same nodes thousands of times a second, and reusing the strings saves building
 * and hashing them again in every cache lookup. Held in a WeakMap keyed by the node record, so it lives exactly as
 * long as the mesh model keeps the node.
 */
export interface NodeIds {
    readonly hex: string;
    readonly base: string;
    /** `user.longName` the device entry was named from; a new name gives a new device entry. */
    nameSource: string | undefined;
    /** `nodes` folder, the device and its command state objects (`send`, `sendStatus`, `traceroute.request`). */
    head: ObjectEntry[];
    /** Container entries by id relative to the device. */
    readonly containers: Map<string, ContainerEntry>;
    readonly specIds: Map<NodeStateSpec, string>;
    readonly metricIds: Map<TelemetryVariant, Map<string, string>>;
}

const NODE_IDS = new WeakMap<Readonly<NodeRecord>, NodeIds>();

function headEntries(node: Readonly<NodeRecord>, base: string): ObjectEntry[] {
    return [
        { id: ROOT.nodes, type: ROOT_CONTAINERS.nodes.type, common: { name: ROOT_CONTAINERS.nodes.name } },
        { id: base, type: NODE_CONTAINER_TYPE, common: { name: nodeDisplayName(node) } },
        ...nodeCommandObjects(base),
    ];
}

/** The node's cached ids (undefined for an invalid hex); the device entry follows the node's current name. */
export function nodeIds(node: Readonly<NodeRecord>): NodeIds | undefined {
    let ids = NODE_IDS.get(node);
    if (ids === undefined || ids.hex !== node.hex) {
        if (!isNodeHex(node.hex)) {
            return undefined;
        }
        const base = nodeBaseId(node.hex);
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
    } else if (ids.nameSource !== node.user?.longName) {
        ids.nameSource = node.user?.longName;
        ids.head = headEntries(node, ids.base);
    }
    return ids;
}

export function containerEntry(ids: NodeIds, rel: string): ContainerEntry | undefined {
    let entry = ids.containers.get(rel);
    if (entry === undefined) {
        const spec = NODE_CONTAINERS[rel];
        if (!spec) {
            return undefined;
        }
        entry = { id: `${ids.base}.${rel}`, type: spec.type, common: { name: spec.name } };
        ids.containers.set(rel, entry);
    }
    return entry;
}

export function specId(ids: NodeIds, spec: NodeStateSpec): string {
    let id = ids.specIds.get(spec);
    if (id === undefined) {
        id = `${ids.base}.${spec.id}`;
        ids.specIds.set(spec, id);
    }
    return id;
}

export function metricId(ids: NodeIds, variant: TelemetryVariant, key: string): string {
    let byKey = ids.metricIds.get(variant);
    if (byKey === undefined) {
        byKey = new Map();
        ids.metricIds.set(variant, byKey);
    }
    let id = byKey.get(key);
    if (id === undefined) {
        id = `${ids.base}.${TELEMETRY_FOLDER}.${variant}.${sanitizeIdPart(key)}`;
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
export function nodeHead(node: Readonly<NodeRecord>): readonly ObjectEntry[] | undefined {
    return nodeIds(node)?.head;
}
