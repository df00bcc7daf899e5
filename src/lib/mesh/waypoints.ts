/**
 * The waypoints of the mesh, bounded (the least recently updated goes first). A waypoint ends when its expiry passes
 * (checked on arrival and on every tick), or when a delete (an update whose expiry is in the past, as the apps send
 * it) arrives. A waypoint locked to a node only changes through that node.
 */
import type { WaypointPayload } from '../codec/types';
import { LinkedMap } from './linked-map';
import type { MeshEvent, WaypointRecord } from './types';
import { finite, MAX_LONG_NAME, MAX_TEXT, nodeIdOf, parseNodeId, sanitizeLabel, sanitizeText } from './util';

export const DEFAULT_MAX_WAYPOINTS = 200;
/** Meshtastic's waypoint name is 30 bytes, the description 100; a little more room for multi-byte text. */
const MAX_DESCRIPTION = Math.min(MAX_TEXT, 200);

/** An emoji code point as text; '' for 0 or anything that is no printable character. */
export function iconText(codePoint: number): string {
    if (!Number.isInteger(codePoint) || codePoint < 0x20 || codePoint > 0x10ffff) {
        return '';
    }
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
        return '';
    }
    return String.fromCodePoint(codePoint);
}

function degrees(value: number | undefined, limit: number): number | undefined {
    const n = finite(value);
    return n !== undefined && Math.abs(n) <= limit ? n : undefined;
}

export class WaypointStore {
    private readonly byId = new LinkedMap<number, WaypointRecord>();

    constructor(private readonly max: number = DEFAULT_MAX_WAYPOINTS) {}

    get size(): number {
        return this.byId.size;
    }

    /** Newest update last. Do not mutate. */
    list(): Readonly<WaypointRecord>[] {
        return [...this.byId.values()];
    }

    get(id: number): Readonly<WaypointRecord> | undefined {
        return this.byId.get(id);
    }

    /** A waypoint packet from `from`: events for what changed (none for a locked waypoint sent by another node). */
    apply(payload: WaypointPayload, from: number, nowMs: number): MeshEvent[] {
        const id = finite(payload.id);
        if (id === undefined || id <= 0 || id > 0xffffffff) {
            return [];
        }
        const existing = this.byId.get(id);
        const sender = nodeIdOf(from);
        if (existing !== undefined && existing.lockedTo !== '' && existing.lockedTo !== sender) {
            return [];
        }
        const expireS = finite(payload.expire) ?? 0;
        const expire = expireS > 0 ? expireS * 1000 : 0;
        if (expire !== 0 && expire <= nowMs) {
            if (existing === undefined) {
                return [];
            }
            this.byId.delete(id);
            return [{ type: 'waypointRemoved', id, reason: 'deleted' }];
        }
        const lockedTo = finite(payload.lockedTo) ?? 0;
        const record: WaypointRecord = {
            id,
            name: sanitizeLabel(payload.name, MAX_LONG_NAME),
            description: sanitizeText(payload.description).slice(0, MAX_DESCRIPTION),
            expire,
            lockedTo: lockedTo > 0 ? nodeIdOf(lockedTo) : '',
            icon: iconText(finite(payload.icon) ?? 0),
            from: sender,
            time: nowMs,
        };
        const latitude = degrees(payload.latitude, 90);
        const longitude = degrees(payload.longitude, 180);
        if (latitude !== undefined && longitude !== undefined) {
            record.latitude = latitude;
            record.longitude = longitude;
        }
        const events: MeshEvent[] = [];
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
    restore(records: readonly Readonly<WaypointRecord>[]): number[] {
        const taken: number[] = [];
        for (const raw of records) {
            const id = finite(raw?.id);
            if (id === undefined || !Number.isInteger(id) || id <= 0 || id > 0xffffffff || this.byId.has(id)) {
                continue;
            }
            if (this.byId.size >= this.max) {
                break;
            }
            const record: WaypointRecord = {
                id,
                name: sanitizeLabel(raw.name, MAX_LONG_NAME),
                description: sanitizeText(raw.description).slice(0, MAX_DESCRIPTION),
                expire: Math.max(0, finite(raw.expire) ?? 0),
                lockedTo:
                    parseNodeId(typeof raw.lockedTo === 'string' ? raw.lockedTo : '') === undefined ? '' : raw.lockedTo,
                icon: typeof raw.icon === 'string' ? [...raw.icon].slice(0, 2).join('') : '',
                from: parseNodeId(typeof raw.from === 'string' ? raw.from : '') === undefined ? '' : raw.from,
                time: finite(raw.time) ?? 0,
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
    expire(nowMs: number): MeshEvent[] {
        const events: MeshEvent[] = [];
        for (const waypoint of [...this.byId.values()]) {
            if (waypoint.expire !== 0 && waypoint.expire <= nowMs) {
                this.byId.delete(waypoint.id);
                events.push({ type: 'waypointRemoved', id: waypoint.id, reason: 'expired' });
            }
        }
        return events;
    }
}
