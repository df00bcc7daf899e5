/** Shared rules for the state table tests: the official roles, their types and units, valid ids. */
import { expect } from 'chai';
import {
    allNodeSections,
    CHANNEL_SEND_STATES,
    CHANNEL_STATES,
    FORBIDDEN_CHARS,
    INFO_CLIENTS,
    INFO_CONNECTION,
    MESSAGE_DIRECT,
    MESSAGE_LAST,
    MESSAGE_LAST_SENT,
    STATS_STATES,
    NODE_SEND_STATES,
    NODE_TRACEROUTE_REQUEST,
    NODE_STATES,
    type StateCommonSpec,
    type StateEntry,
    TELEMETRY_METRICS,
    TELEMETRY_VARIANTS,
    WAYPOINT_STATES,
} from './index';

/**
 * Roles of the official list (ioBroker.docs stateroles.md / repochecker config_StateRoles.js) with the checker's
 * type and read/write rules. Everything the table uses must be in here.
 */
export const ROLE_RULES: Record<string, { types: string[]; read?: boolean; write?: boolean }> = {
    value: { types: ['number'], read: true, write: false },
    'value.temperature': { types: ['number'], read: true, write: false },
    'value.humidity': { types: ['number'], read: true, write: false },
    'value.pressure': { types: ['number'], read: true, write: false },
    'value.battery': { types: ['number'], read: true, write: false },
    'value.voltage': { types: ['number'], read: true, write: false },
    'value.current': { types: ['number'], read: true, write: false },
    'value.power': { types: ['number'], read: true, write: false },
    'value.gps': { types: ['string'], read: true, write: false },
    'value.gps.latitude': { types: ['number'], read: true, write: false },
    'value.gps.longitude': { types: ['number'], read: true, write: false },
    'value.gps.elevation': { types: ['number'], read: true, write: false },
    'value.gps.accuracy': { types: ['number'], read: true, write: false },
    'value.speed': { types: ['number'], read: true, write: false },
    'value.speed.wind': { types: ['number'], read: true, write: false },
    'value.speed.wind.gust': { types: ['number'], read: true, write: false },
    'value.direction.wind': { types: ['number'], read: true, write: false },
    'value.rain': { types: ['number'], read: true, write: false },
    'value.rain.hour': { types: ['number'], read: true, write: false },
    'value.rssi': { types: ['number'], read: true, write: false },
    'value.interval': { types: ['number'], read: true, write: false },
    'value.brightness': { types: ['number'], read: true, write: false },
    'value.distance': { types: ['number'], read: true, write: false },
    'value.airquality': { types: ['number'], read: true, write: false },
    'value.co2': { types: ['number'], read: true, write: false },
    'value.ch2o': { types: ['number'], read: true, write: false },
    'value.pm1': { types: ['number'], read: true, write: false },
    'value.pm25': { types: ['number'], read: true, write: false },
    'value.pm10': { types: ['number'], read: true, write: false },
    'value.uv': { types: ['number'], read: true, write: false },
    'value.health.bpm': { types: ['number'], read: true, write: false },
    'value.time': { types: ['number'], read: true, write: false },
    date: { types: ['string', 'number'], read: true },
    indicator: { types: ['boolean'], read: true, write: false },
    'indicator.reachable': { types: ['boolean'], read: true, write: false },
    'indicator.connected': { types: ['boolean'], read: true, write: false },
    'sensor.alarm': { types: ['boolean'], read: true, write: false },
    'info.name': { types: ['string'], read: true },
    'info.address': { types: ['string'], read: true, write: false },
    'info.hardware': { types: ['string'], read: true, write: false },
    'info.firmware': { types: ['string', 'number'], read: true, write: false },
    text: { types: ['string'] },
    json: { types: ['string'] },
    button: { types: ['boolean'], read: false, write: true },
};

/** Units the role doc prescribes (where it does). */
export const ROLE_UNITS: Record<string, (string | undefined)[]> = {
    'value.temperature': ['°C'],
    'value.humidity': ['%'],
    'value.pressure': ['hPa'],
    'value.battery': ['%'],
    'value.voltage': ['V'],
    'value.current': ['A', 'mA'],
    'value.gps.latitude': ['°'],
    'value.gps.longitude': ['°'],
    'value.gps.elevation': ['m'],
    'value.gps.accuracy': ['m'],
    'value.rssi': ['dBm'],
    'value.interval': ['s'],
    'value.brightness': ['lux'],
    'value.co2': ['ppm'],
    'value.pm1': ['µg/m³'],
    'value.pm25': ['µg/m³'],
    'value.pm10': ['µg/m³'],
    'value.rain': ['mm'],
    'value.rain.hour': ['mm'],
    'value.direction.wind': ['°'],
    date: [undefined],
};

/** Keys the checker accepts in a state's common (STATE_SCHEMA). */
export const COMMON_KEYS = new Set([
    'name',
    'type',
    'role',
    'unit',
    'read',
    'write',
    'states',
    'min',
    'max',
    'step',
    'def',
    'desc',
]);

export const VALID_LEVEL = /^[\p{Ll}\p{Lu}\p{Nd}_-]+$/u;

export interface NamedCommon {
    where: string;
    id: string;
    common: StateCommonSpec;
    /** Command state the user writes (the `send` states and the traceroute button). */
    writable?: boolean;
}

export function allCommons(): NamedCommon[] {
    const out: NamedCommon[] = [];
    for (const spec of NODE_STATES) {
        out.push({ where: 'node', id: `nodes.x.${spec.id}`, common: spec.common });
    }
    for (const variant of TELEMETRY_VARIANTS) {
        for (const [key, metric] of Object.entries(TELEMETRY_METRICS[variant])) {
            const common: StateCommonSpec = {
                name: metric.name,
                type: 'number',
                role: metric.role,
                read: true,
                write: false,
            };
            if (metric.unit !== undefined) {
                common.unit = metric.unit;
            }
            out.push({ where: 'metric', id: `nodes.x.telemetry.${variant}.${key}`, common });
        }
    }
    for (const spec of CHANNEL_STATES) {
        out.push({ where: 'channel', id: `channels.x.${spec.id}`, common: spec.common });
    }
    for (const spec of WAYPOINT_STATES) {
        out.push({ where: 'waypoint', id: `waypoints.1.${spec.id}`, common: spec.common });
    }
    for (const spec of [...STATS_STATES, MESSAGE_LAST, MESSAGE_DIRECT, INFO_CONNECTION, INFO_CLIENTS]) {
        out.push({ where: 'fixed', id: spec.id, common: spec.common });
    }
    out.push({ where: 'fixed', id: MESSAGE_LAST_SENT.id, common: MESSAGE_LAST_SENT.common });
    for (const [base, specs] of [
        ['channels.x', CHANNEL_SEND_STATES],
        ['nodes.x', NODE_SEND_STATES],
    ] as const) {
        out.push({ where: 'send', id: `${base}.${specs.send.id}`, common: specs.send.common, writable: true });
        out.push({ where: 'send', id: `${base}.${specs.status.id}`, common: specs.status.common });
    }
    const request = NODE_TRACEROUTE_REQUEST;
    out.push({ where: 'button', id: `nodes.x.${request.id}`, common: request.common, writable: true });
    return out;
}

export function valueType(value: ioBroker.StateValue): string {
    return value === null ? 'null' : typeof value;
}

export function expectValidId(id: string): void {
    expect(id.length, id).to.be.at.most(240);
    for (const level of id.split('.')) {
        expect(level, `level of ${id}`).to.match(VALID_LEVEL);
    }
    expect(id.replace(FORBIDDEN_CHARS, ''), id).to.equal(id);
}

export function expectEntryValid(entry: StateEntry): void {
    expectValidId(entry.id);
    expect(valueType(entry.value), entry.id).to.equal(entry.common.type);
    if (typeof entry.value === 'number') {
        expect(Number.isFinite(entry.value), entry.id).to.equal(true);
    }
    if (entry.common.role === 'json') {
        expect(() => JSON.parse(entry.value as string), entry.id).not.to.throw();
    }
}

export const ALL = allNodeSections();
