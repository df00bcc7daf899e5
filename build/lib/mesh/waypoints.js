"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WaypointStore = exports.DEFAULT_MAX_WAYPOINTS = void 0;
exports.iconText = iconText;
const linked_map_1 = require("./linked-map");
const util_1 = require("./util");
exports.DEFAULT_MAX_WAYPOINTS = 200;
/** Meshtastic's waypoint name is 30 bytes, the description 100; a little more room for multi-byte text. */
const MAX_DESCRIPTION = Math.min(util_1.MAX_TEXT, 200);
/** An emoji code point as text; '' for 0 or anything that is no printable character. */
function iconText(codePoint) {
    if (!Number.isInteger(codePoint) || codePoint < 0x20 || codePoint > 0x10ffff) {
        return '';
    }
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
        return '';
    }
    return String.fromCodePoint(codePoint);
}
function degrees(value, limit) {
    const n = (0, util_1.finite)(value);
    return n !== undefined && Math.abs(n) <= limit ? n : undefined;
}
class WaypointStore {
    max;
    byId = new linked_map_1.LinkedMap();
    constructor(max = exports.DEFAULT_MAX_WAYPOINTS) {
        this.max = max;
    }
    get size() {
        return this.byId.size;
    }
    /** Newest update last. Do not mutate. */
    list() {
        return [...this.byId.values()];
    }
    get(id) {
        return this.byId.get(id);
    }
    /** A waypoint packet from `from`: events for what changed (none for a locked waypoint sent by another node). */
    apply(payload, from, nowMs) {
        const id = (0, util_1.finite)(payload.id);
        if (id === undefined || id <= 0 || id > 0xffffffff) {
            return [];
        }
        const existing = this.byId.get(id);
        const sender = (0, util_1.nodeIdOf)(from);
        if (existing !== undefined && existing.lockedTo !== '' && existing.lockedTo !== sender) {
            return [];
        }
        const expireS = (0, util_1.finite)(payload.expire) ?? 0;
        const expire = expireS > 0 ? expireS * 1000 : 0;
        if (expire !== 0 && expire <= nowMs) {
            if (existing === undefined) {
                return [];
            }
            this.byId.delete(id);
            return [{ type: 'waypointRemoved', id, reason: 'deleted' }];
        }
        const lockedTo = (0, util_1.finite)(payload.lockedTo) ?? 0;
        const record = {
            id,
            name: (0, util_1.sanitizeLabel)(payload.name, util_1.MAX_LONG_NAME),
            description: (0, util_1.sanitizeText)(payload.description).slice(0, MAX_DESCRIPTION),
            expire,
            lockedTo: lockedTo > 0 ? (0, util_1.nodeIdOf)(lockedTo) : '',
            icon: iconText((0, util_1.finite)(payload.icon) ?? 0),
            from: sender,
            time: nowMs,
        };
        const latitude = degrees(payload.latitude, 90);
        const longitude = degrees(payload.longitude, 180);
        if (latitude !== undefined && longitude !== undefined) {
            record.latitude = latitude;
            record.longitude = longitude;
        }
        const events = [];
        this.byId.delete(id);
        this.byId.set(id, record);
        while (this.byId.size > this.max) {
            const dropped = this.byId.shift();
            if (dropped !== undefined) {
                events.push({ type: 'waypointRemoved', id: dropped.id, reason: 'limit' });
            }
        }
        events.push({ type: 'waypoint', waypoint: record });
        return events;
    }
    /**
     * Takes stored waypoints back (cleaned and bounded like fresh ones; none is replaced); returns the ids taken. Expired
     * ones are taken too: the next `expire` removes them with an event, so their objects go as well.
     */
    restore(records) {
        const taken = [];
        for (const raw of records) {
            const id = (0, util_1.finite)(raw?.id);
            if (id === undefined || !Number.isInteger(id) || id <= 0 || id > 0xffffffff || this.byId.has(id)) {
                continue;
            }
            if (this.byId.size >= this.max) {
                break;
            }
            const record = {
                id,
                name: (0, util_1.sanitizeLabel)(raw.name, util_1.MAX_LONG_NAME),
                description: (0, util_1.sanitizeText)(raw.description).slice(0, MAX_DESCRIPTION),
                expire: Math.max(0, (0, util_1.finite)(raw.expire) ?? 0),
                lockedTo: (0, util_1.parseNodeId)(typeof raw.lockedTo === 'string' ? raw.lockedTo : '') === undefined ? '' : raw.lockedTo,
                icon: typeof raw.icon === 'string' ? [...raw.icon].slice(0, 2).join('') : '',
                from: (0, util_1.parseNodeId)(typeof raw.from === 'string' ? raw.from : '') === undefined ? '' : raw.from,
                time: (0, util_1.finite)(raw.time) ?? 0,
            };
            const latitude = degrees(raw.latitude, 90);
            const longitude = degrees(raw.longitude, 180);
            if (latitude !== undefined && longitude !== undefined) {
                record.latitude = latitude;
                record.longitude = longitude;
            }
            this.byId.set(id, record);
            taken.push(id);
        }
        return taken;
    }
    /** Removes the waypoints whose expiry has passed. */
    expire(nowMs) {
        const events = [];
        for (const waypoint of [...this.byId.values()]) {
            if (waypoint.expire !== 0 && waypoint.expire <= nowMs) {
                this.byId.delete(waypoint.id);
                events.push({ type: 'waypointRemoved', id: waypoint.id, reason: 'expired' });
            }
        }
        return events;
    }
}
exports.WaypointStore = WaypointStore;
