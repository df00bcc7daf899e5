"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.storedWaypoints = storedWaypoints;
const table_1 = require("./table");
const WAYPOINT_LEVEL = /^[1-9][0-9]{0,9}$/;
/** The waypoints whose `waypoints.<id>` object exists, with their stored values (time 0: unknown). */
function storedWaypoints(source) {
    const out = [];
    for (const base of source.knownChildren(table_1.ROOT.waypoints)) {
        const level = base.slice(table_1.ROOT.waypoints.length + 1);
        if (!WAYPOINT_LEVEL.test(level) || Number(level) > 0xffffffff) {
            continue;
        }
        const values = {};
        for (const spec of table_1.WAYPOINT_STATES) {
            values[spec.id] = source.cachedValue(`${base}.${spec.id}`);
        }
        const text = (key) => {
            const value = values[key];
            return typeof value === 'string' ? value : '';
        };
        const record = {
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
