/** WAYPOINT_APP: a waypoint created, changed or deleted (by its expiry) in the mesh's bounded waypoint set. */
import type { WaypointPayload } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import type { NodeRecord } from '../types';
import type { WaypointStore } from '../waypoints';

export function applyWaypoint(
    node: NodeRecord,
    waypoint: WaypointPayload,
    nowMs: number,
    changes: ChangeSet,
    waypoints: WaypointStore,
): void {
    for (const event of waypoints.apply(waypoint, node.num, nowMs)) {
        changes.push(event);
    }
}
