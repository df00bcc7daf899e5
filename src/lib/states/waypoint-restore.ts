/**
 * Stored waypoint states → waypoint records at start (inverse of `batches/waypoints.ts`), so a waypoint from before a
 * restart still expires and is deleted. The mesh model cleans and bounds what it takes.
 */
import type { WaypointRecord } from '../mesh/types';
import { ROOT, WAYPOINT_STATES } from './table';

export interface StoredWaypointSource {
    knownChildren(parent: string): string[];
    cachedValue(id: string): ioBroker.StateValue | undefined;
}

const WAYPOINT_LEVEL = /^[1-9][0-9]{0,9}$/;

/** The waypoints whose `waypoints.<id>` object exists, with their stored values (time 0: unknown). */
export function storedWaypoints(source: StoredWaypointSource): WaypointRecord[] {
    const out: WaypointRecord[] = [];
    for (const base of source.knownChildren(ROOT.waypoints)) {
        const level = base.slice(ROOT.waypoints.length + 1);
        if (!WAYPOINT_LEVEL.test(level) || Number(level) > 0xffffffff) {
            continue;
        }
        const values: Record<string, ioBroker.StateValue | undefined> = {};
        for (const spec of WAYPOINT_STATES) {
            values[spec.id] = source.cachedValue(`${base}.${spec.id}`);
        }
        const text = (key: string): string => {
            const value = values[key];
            return typeof value === 'string' ? value : '';
        };
        const record: WaypointRecord = {
            id: Number(level),
            name: text('name'),
            description: text('description'),
            expire: typeof values.expire === 'number' ? values.expire : 0,
            lockedTo: text('lockedTo'),
            icon: text('icon'),
            from: text('from'),
            time: 0,
        };
        if (typeof values.latitude === 'number' && typeof values.longitude === 'number') {
            record.latitude = values.latitude;
            record.longitude = values.longitude;
        }
        out.push(record);
    }
    return out;
}
