"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.waypointBaseId = waypointBaseId;
exports.waypointBatch = waypointBatch;
exports.waypointIds = waypointIds;
const table_1 = require("../table");
const values_1 = require("../table/values");
const entries_1 = require("./entries");
/** `waypoints.<id>` (the decimal waypoint id; ids are uint32, so always a valid id level). */
function waypointBaseId(id) {
    return `${table_1.ROOT.waypoints}.${id >>> 0}`;
}
/** The container (named after the waypoint) and its states. */
function waypointBatch(waypoint) {
    const base = waypointBaseId(waypoint.id);
    const states = [];
    for (const spec of table_1.WAYPOINT_STATES) {
        const value = spec.get(waypoint);
        if ((0, values_1.usable)(value)) {
            states.push({ id: `${base}.${spec.id}`, common: spec.common, value });
        }
    }
    return {
        objects: [
            (0, entries_1.rootContainer)(table_1.ROOT.waypoints),
            {
                id: base,
                type: table_1.WAYPOINT_CONTAINER_TYPE,
                common: { name: (0, values_1.displayText)(waypoint.name) || `Waypoint ${waypoint.id >>> 0}` },
            },
        ],
        states,
    };
}
/** Every id below and including `waypoints.<id>` that the writer may have cached. */
function waypointIds(id) {
    const base = waypointBaseId(id);
    return [base, ...table_1.WAYPOINT_STATES.map(spec => `${base}.${spec.id}`)];
}
