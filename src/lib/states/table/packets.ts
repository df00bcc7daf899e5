/**
 * States of the less common packet types: per node (`traceroute`, `detection`, `alert`, `rangeTest`; the paxcounter is
 * a telemetry variant, see `telemetry.ts`) and the waypoints (`waypoints.<id>.*`).
 */
import type { NodeRecord, WaypointRecord } from '../../mesh/types';
import { asBool, asJson, asNum, asStr } from './restore-coercion';
import { bool, type FixedStateSpec, type NodeStateSpec, num, str } from './spec';
import { cleanDegrees, cleanFloat, json } from './values';

/** Setter of a field of `node.detection` / `node.alert` / `node.rangeTest` (re-validated by the model's restore). */
function putPart<P extends 'detection' | 'alert' | 'rangeTest'>(
    part: P,
    key: string,
    coerce: (v: ioBroker.StateValue) => unknown,
): (node: NodeRecord, v: ioBroker.StateValue) => void {
    return (node, v) => {
        const value = coerce(v);
        if (value !== undefined) {
            const target = node as unknown as Record<string, Record<string, unknown> | undefined>;
            target[part] = { ...target[part], [key]: value };
        }
    };
}

function putTraceroute(node: NodeRecord, v: ioBroker.StateValue): void {
    const value = asJson(v);
    if (typeof value === 'object' && value !== null) {
        node.traceroute = value as NodeRecord['traceroute']; // re-validated by the mesh model's restore
    }
}

export const PACKET_NODE_STATES: readonly NodeStateSpec[] = [
    {
        id: 'traceroute.route',
        section: 'traceroute',
        common: str('Route traced to this node (JSON: towards, back; id, name, snr in dB per hop)', 'json'),
        get: n => (n.traceroute ? json(n.traceroute) : undefined),
        put: putTraceroute,
    },
    {
        id: 'detection.text',
        section: 'detection',
        // no event: the alarm falling back rewrites the section, which must not look like a new detection
        common: str('Detection sensor: last text', 'text'),
        get: n => n.detection?.text,
        put: putPart('detection', 'text', asStr),
    },
    {
        id: 'detection.alarm',
        section: 'detection',
        common: bool('Detection sensor: alarm (falls back after the set time)', 'sensor.alarm'),
        get: n => n.detection?.alarm,
        put: putPart('detection', 'alarm', asBool),
    },
    {
        id: 'detection.time',
        section: 'detection',
        common: num('Detection sensor: last detection', 'date'),
        get: n => (n.detection?.time ? n.detection.time : undefined),
        put: putPart('detection', 'time', asNum),
    },
    {
        id: 'alert.text',
        section: 'alert',
        common: str('Last alert text', 'text'),
        event: true,
        get: n => n.alert?.text,
        put: putPart('alert', 'text', asStr),
    },
    {
        id: 'alert.time',
        section: 'alert',
        common: num('Last alert', 'date'),
        get: n => (n.alert?.time ? n.alert.time : undefined),
        put: putPart('alert', 'time', asNum),
    },
    {
        id: 'rangeTest.sequence',
        section: 'rangeTest',
        common: num('Range test: sequence number', 'value'),
        event: true,
        get: n => n.rangeTest?.sequence,
        put: putPart('rangeTest', 'sequence', asNum),
    },
    {
        id: 'rangeTest.snr',
        section: 'rangeTest',
        common: num('Range test: SNR', 'value', 'dB'),
        get: n => (n.rangeTest?.snr === undefined ? undefined : cleanFloat(n.rangeTest.snr)),
        put: putPart('rangeTest', 'snr', asNum),
    },
    {
        id: 'rangeTest.rssi',
        section: 'rangeTest',
        common: num('Range test: RSSI', 'value.rssi', 'dBm'),
        get: n => n.rangeTest?.rssi,
        put: putPart('rangeTest', 'rssi', asNum),
    },
    {
        id: 'rangeTest.time',
        section: 'rangeTest',
        common: num('Range test: last packet', 'date'),
        get: n => (n.rangeTest?.time ? n.rangeTest.time : undefined),
        put: putPart('rangeTest', 'time', asNum),
    },
];

/** States of a waypoint, id relative to `waypoints.<id>`. */
export const WAYPOINT_STATES: readonly FixedStateSpec<Readonly<WaypointRecord>>[] = [
    { id: 'name', common: str('Name', 'text'), get: w => w.name },
    { id: 'description', common: str('Description', 'text'), get: w => w.description },
    {
        id: 'latitude',
        common: num('Latitude', 'value.gps.latitude', '°'),
        get: w => cleanDegrees(w.latitude) ?? null,
    },
    {
        id: 'longitude',
        common: num('Longitude', 'value.gps.longitude', '°'),
        get: w => cleanDegrees(w.longitude) ?? null,
    },
    // null: never expires (an update may lift an earlier expiry)
    { id: 'expire', common: num('Expires', 'date'), get: w => (w.expire > 0 ? w.expire : null) },
    { id: 'lockedTo', common: str('Only this node may change it (empty: anyone)', 'text'), get: w => w.lockedTo },
    { id: 'icon', common: str('Icon (emoji)', 'text'), get: w => w.icon },
    { id: 'from', common: str('Sent by', 'text'), get: w => w.from },
];
