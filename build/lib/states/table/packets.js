"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WAYPOINT_STATES = exports.PACKET_NODE_STATES = void 0;
const restore_coercion_1 = require("./restore-coercion");
const spec_1 = require("./spec");
const values_1 = require("./values");
/** Setter of a field of `node.detection` / `node.alert` / `node.rangeTest` (re-validated by the model's restore). */
function putPart(part, key, coerce) {
    return (node, v) => {
        const value = coerce(v);
        if (value !== undefined) {
            const target = node;
            target[part] = { ...target[part], [key]: value };
        }
    };
}
function putTraceroute(node, v) {
    const value = (0, restore_coercion_1.asJson)(v);
    if (typeof value === 'object' && value !== null) {
        node.traceroute = value; // re-validated by the mesh model's restore
    }
}
exports.PACKET_NODE_STATES = [
    {
        id: 'traceroute.route',
        section: 'traceroute',
        common: (0, spec_1.str)('Route traced to this node (JSON: towards, back; id, name, snr in dB per hop)', 'json'),
        get: n => (n.traceroute ? (0, values_1.json)(n.traceroute) : undefined),
        put: putTraceroute,
    },
    {
        id: 'detection.text',
        section: 'detection',
        // no event: the alarm falling back rewrites the section, which must not look like a new detection
        common: (0, spec_1.str)('Detection sensor: last text', 'text'),
        get: n => n.detection?.text,
        put: putPart('detection', 'text', restore_coercion_1.asStr),
    },
    {
        id: 'detection.alarm',
        section: 'detection',
        common: (0, spec_1.bool)('Detection sensor: alarm (falls back after the set time)', 'sensor.alarm'),
        get: n => n.detection?.alarm,
        put: putPart('detection', 'alarm', restore_coercion_1.asBool),
    },
    {
        id: 'detection.time',
        section: 'detection',
        common: (0, spec_1.num)('Detection sensor: last detection', 'date'),
        get: n => (n.detection?.time ? n.detection.time : undefined),
        put: putPart('detection', 'time', restore_coercion_1.asNum),
    },
    {
        id: 'alert.text',
        section: 'alert',
        common: (0, spec_1.str)('Last alert text', 'text'),
        event: true,
        get: n => n.alert?.text,
        put: putPart('alert', 'text', restore_coercion_1.asStr),
    },
    {
        id: 'alert.time',
        section: 'alert',
        common: (0, spec_1.num)('Last alert', 'date'),
        get: n => (n.alert?.time ? n.alert.time : undefined),
        put: putPart('alert', 'time', restore_coercion_1.asNum),
    },
    {
        id: 'rangeTest.sequence',
        section: 'rangeTest',
        common: (0, spec_1.num)('Range test: sequence number', 'value'),
        event: true,
        get: n => n.rangeTest?.sequence,
        put: putPart('rangeTest', 'sequence', restore_coercion_1.asNum),
    },
    {
        id: 'rangeTest.snr',
        section: 'rangeTest',
        common: (0, spec_1.num)('Range test: SNR', 'value', 'dB'),
        get: n => (n.rangeTest?.snr === undefined ? undefined : (0, values_1.cleanFloat)(n.rangeTest.snr)),
        put: putPart('rangeTest', 'snr', restore_coercion_1.asNum),
    },
    {
        id: 'rangeTest.rssi',
        section: 'rangeTest',
        common: (0, spec_1.num)('Range test: RSSI', 'value.rssi', 'dBm'),
        get: n => n.rangeTest?.rssi,
        put: putPart('rangeTest', 'rssi', restore_coercion_1.asNum),
    },
    {
        id: 'rangeTest.time',
        section: 'rangeTest',
        common: (0, spec_1.num)('Range test: last packet', 'date'),
        get: n => (n.rangeTest?.time ? n.rangeTest.time : undefined),
        put: putPart('rangeTest', 'time', restore_coercion_1.asNum),
    },
];
/** States of a waypoint, id relative to `waypoints.<id>`. */
exports.WAYPOINT_STATES = [
    { id: 'name', common: (0, spec_1.str)('Name', 'text'), get: w => w.name },
    { id: 'description', common: (0, spec_1.str)('Description', 'text'), get: w => w.description },
    {
        id: 'latitude',
        common: (0, spec_1.num)('Latitude', 'value.gps.latitude', '°'),
        get: w => (0, values_1.cleanDegrees)(w.latitude) ?? null,
    },
    {
        id: 'longitude',
        common: (0, spec_1.num)('Longitude', 'value.gps.longitude', '°'),
        get: w => (0, values_1.cleanDegrees)(w.longitude) ?? null,
    },
    // null: never expires (an update may lift an earlier expiry)
    { id: 'expire', common: (0, spec_1.num)('Expires', 'date'), get: w => (w.expire > 0 ? w.expire : null) },
    { id: 'lockedTo', common: (0, spec_1.str)('Only this node may change it (empty: anyone)', 'text'), get: w => w.lockedTo },
    { id: 'icon', common: (0, spec_1.str)('Icon (emoji)', 'text'), get: w => w.icon },
    { id: 'from', common: (0, spec_1.str)('Sent by', 'text'), get: w => w.from },
];
