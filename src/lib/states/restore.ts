/** Rebuilding node records from stored states (adapter restart): the inverse of the node batches. */
import type { NodeRecord } from '../mesh/types';
import { finite } from '../mesh/util';
import { nodeBaseId, nodeHexOf } from './ids';
import { NODE_COMMAND_STATE_IDS, NODE_STATES, TELEMETRY_FOLDER, TELEMETRY_METRICS, TELEMETRY_VARIANTS } from './table';

const SPEC_INDEX = new Map<string, number>(NODE_STATES.map((spec, index) => [spec.id, index]));

function emptyRecord(hex: string): NodeRecord {
    return {
        num: parseInt(hex, 16) >>> 0,
        id: `!${hex}`,
        hex,
        telemetry: {},
        lastHeard: 0,
        lastMqtt: 0,
        presence: 'offline',
        history: [],
        packets: 0,
    };
}

/**
 * Rebuilds node records from stored state values (relative id → value), the inverse of `nodeStateValues`.
 * Only `nodes.<hex>.*` ids are used (`send`/`sendStatus` are ignored: no node data). Counters that have no state (`packets`) start at 0; `lastMqtt` is taken as
 * `lastHeard` when the stored presence is `mqtt`. The mesh model re-validates the records (`MeshModel.restore`).
 */
export function restoreNodes(values: Iterable<readonly [string, ioBroker.StateValue]>): NodeRecord[] {
    const records = new Map<string, NodeRecord>();
    const puts: { node: NodeRecord; index: number; value: ioBroker.StateValue }[] = [];
    const telemetryPrefix = `${TELEMETRY_FOLDER}.`;
    for (const [id, value] of values) {
        const hex = nodeHexOf(id);
        if (hex === undefined || value === null) {
            continue;
        }
        const rel = id.slice(nodeBaseId(hex).length + 1);
        if (rel === '' || NODE_COMMAND_STATE_IDS.has(rel)) {
            continue; // the device itself, or send/sendStatus: no node data
        }
        let node = records.get(hex);
        if (!node) {
            node = emptyRecord(hex);
            records.set(hex, node);
        }
        const index = SPEC_INDEX.get(rel);
        if (index !== undefined) {
            puts.push({ node, index, value });
            continue;
        }
        if (rel.startsWith(telemetryPrefix) && finite(value) !== undefined && typeof value === 'number') {
            const rest = rel.slice(telemetryPrefix.length);
            const dot = rest.indexOf('.');
            const variant = TELEMETRY_VARIANTS.find(v => v === rest.slice(0, dot));
            const key = rest.slice(dot + 1);
            if (dot > 0 && variant && key !== '' && !key.includes('.')) {
                const invert = TELEMETRY_METRICS[variant][key]?.invert;
                node.telemetry[variant] = { ...node.telemetry[variant], [key]: invert ? invert(value) : value };
            }
        }
    }
    // table order: derived extras (e.g. externalPower → batteryLevel 101) come after the plain fields
    puts.sort((a, b) => a.index - b.index);
    for (const { node, index, value } of puts) {
        NODE_STATES[index].put?.(node, value);
    }
    for (const node of records.values()) {
        if (node.presence === 'mqtt') {
            node.lastMqtt = node.lastHeard;
        }
    }
    return [...records.values()];
}
