/** Objects and values of a waypoint (`waypoints.<id>.*`), and the ids to forget when it is deleted. */
import type { WaypointRecord } from '../../mesh/types';
import { ROOT, WAYPOINT_CONTAINER_TYPE, WAYPOINT_STATES } from '../table';
import { displayText, usable } from '../table/values';
import { type Batch, rootContainer, type StateEntry } from './entries';

/** `waypoints.<id>` (the decimal waypoint id; ids are uint32, so always a valid id level). */
export function waypointBaseId(id: number): string {
    return `${ROOT.waypoints}.${id >>> 0}`;
}

/** The container (named after the waypoint) and its states. */
export function waypointBatch(waypoint: Readonly<WaypointRecord>): Batch {
    const base = waypointBaseId(waypoint.id);
    const states: StateEntry[] = [];
    for (const spec of WAYPOINT_STATES) {
        const value = spec.get(waypoint);
        if (usable(value)) {
            states.push({ id: `${base}.${spec.id}`, common: spec.common, value });
        }
    }
    return {
        objects: [
            rootContainer(ROOT.waypoints),
            {
                id: base,
                type: WAYPOINT_CONTAINER_TYPE,
                common: { name: displayText(waypoint.name) || `Waypoint ${waypoint.id >>> 0}` },
            },
        ],
        states,
    };
}

/** Every id below and including `waypoints.<id>` that the writer may have cached. */
export function waypointIds(id: number): string[] {
    const base = waypointBaseId(id);
    return [base, ...WAYPOINT_STATES.map(spec => `${base}.${spec.id}`)];
}
