/**
 * A node record's shape and bounds, shared by the payload handlers (fresh data) and the restore (persisted data):
 * both clean what they take the same way.
 */
import type { PositionInfo } from '../codec/types';
import type { NodeRecord, NodeUser } from './types';
import { finite, hexOf, MAX_LABEL, MAX_LONG_NAME, MAX_SHORT_NAME, nodeIdOf, sanitizeLabel } from './util';

export const MAX_NEIGHBORS = 32;
/** Metrics kept per telemetry variant (the schema has fewer; this guards against odd input). */
export const MAX_METRICS_PER_VARIANT = 64;
/** A metric name as produced by protobuf-es (camelCase); excludes `__proto__` and friends. */
export const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** An empty record of a node first heard at `nowMs`. */
export function newNodeRecord(num: number, nowMs: number): NodeRecord {
    return {
        num,
        id: nodeIdOf(num),
        hex: hexOf(num),
        telemetry: {},
        lastHeard: nowMs,
        lastMqtt: 0,
        presence: 'offline',
        history: [],
        packets: 0,
    };
}

/** Appends and drops from the front beyond `max` (newest last). */
export function pushBounded<T>(list: T[], item: T, max: number): void {
    list.push(item);
    if (list.length > max) {
        list.splice(0, list.length - max);
    }
}

/** The first `MAX_NEIGHBORS` entries with a finite node id (SNR 0 when unknown). */
export function neighborsOf(list: readonly unknown[]): { nodeId: number; id: string; snr: number }[] {
    const neighbors: { nodeId: number; id: string; snr: number }[] = [];
    for (const n of list.slice(0, MAX_NEIGHBORS)) {
        if (typeof n === 'object' && n !== null) {
            const entry = n as { nodeId?: unknown; snr?: unknown };
            const nodeId = finite(entry.nodeId);
            if (nodeId !== undefined) {
                neighbors.push({ nodeId: nodeId >>> 0, id: nodeIdOf(nodeId), snr: finite(entry.snr) ?? 0 });
            }
        }
    }
    return neighbors;
}

const POSITION_EXTRAS = ['altitude', 'time', 'groundSpeed', 'groundTrack', 'satsInView'] as const;

/** Copies the optional numeric fields of a position that are finite. */
export function addPositionExtras(
    target: PositionInfo,
    source: Readonly<Partial<Record<(typeof POSITION_EXTRAS)[number], unknown>>>,
): void {
    for (const key of POSITION_EXTRAS) {
        const n = finite(source[key]);
        if (n !== undefined) {
            target[key] = n;
        }
    }
}

/** Names, hardware and role cleaned and capped, the flags as booleans (no public key: each source checks its own). */
export function userOf(raw: Readonly<Partial<Record<keyof NodeUser, unknown>>>): NodeUser {
    return {
        longName: sanitizeLabel(raw.longName, MAX_LONG_NAME),
        shortName: sanitizeLabel(raw.shortName, MAX_SHORT_NAME),
        hwModel: sanitizeLabel(raw.hwModel, MAX_LABEL),
        role: sanitizeLabel(raw.role, MAX_LABEL),
        isLicensed: raw.isLicensed === true,
        isUnmessagable: raw.isUnmessagable === true,
    };
}
