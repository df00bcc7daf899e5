"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyWaypoint = applyWaypoint;
function applyWaypoint(node, waypoint, nowMs, changes, waypoints) {
    for (const event of waypoints.apply(waypoint, node.num, nowMs)) {
        changes.push(event);
    }
}
