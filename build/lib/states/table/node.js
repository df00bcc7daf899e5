"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NODE_STATES = exports.PRESENCE_STATES = void 0;
const restore_coercion_1 = require("./restore-coercion");
const packets_1 = require("./packets");
const spec_1 = require("./spec");
const tree_1 = require("./tree");
const values_1 = require("./values");
/** Presence values (MESS.HOST-style) shown as `common.states`. */
exports.PRESENCE_STATES = { mqtt: 'mqtt', rf: 'rf', offline: 'offline' };
/** `value.gps` text: "latitude;longitude". */
function gpsText(node) {
    const lat = (0, values_1.cleanDegrees)(node.position?.latitude);
    const lon = (0, values_1.cleanDegrees)(node.position?.longitude);
    return lat === undefined || lon === undefined ? undefined : `${lat};${lon}`;
}
function putPresence(node, v) {
    const s = (0, restore_coercion_1.asStr)(v);
    if (s !== undefined && Object.prototype.hasOwnProperty.call(exports.PRESENCE_STATES, s)) {
        node.presence = s;
    }
}
/** Battery level > 100 means "powered" in DeviceMetrics. */
function externalPower(node) {
    const level = node.telemetry.device?.batteryLevel;
    return level === undefined ? undefined : level > 100;
}
function putExternalPower(node, v) {
    if (v === true) {
        node.telemetry.device = { ...node.telemetry.device, batteryLevel: 101 };
    }
}
/** Fixed (non-telemetry-metric) states of a node. Telemetry metrics are in TELEMETRY_METRICS. */
exports.NODE_STATES = [
    // info
    { id: 'info.id', section: 'info', common: (0, spec_1.str)('Node id', 'info.address'), get: n => `!${n.hex}` },
    { id: 'info.num', section: 'info', common: (0, spec_1.num)('Node number', 'value'), get: n => n.num },
    {
        id: 'info.longName',
        section: 'info',
        common: (0, spec_1.str)('Long name', 'info.name'),
        get: n => n.user?.longName,
        put: (0, restore_coercion_1.putUser)('longName'),
    },
    {
        id: 'info.shortName',
        section: 'info',
        common: (0, spec_1.str)('Short name', 'text'),
        get: n => n.user?.shortName,
        put: (0, restore_coercion_1.putUser)('shortName'),
    },
    {
        id: 'info.hwModel',
        section: 'info',
        common: (0, spec_1.str)('Hardware model', 'info.hardware'),
        get: n => n.user?.hwModel,
        put: (0, restore_coercion_1.putUser)('hwModel'),
    },
    {
        id: 'info.role',
        section: 'info',
        common: (0, spec_1.str)('Device role', 'text'),
        get: n => n.user?.role,
        put: (0, restore_coercion_1.putUser)('role'),
    },
    {
        id: 'info.firmware',
        section: 'info',
        common: (0, spec_1.str)('Firmware version', 'info.firmware'),
        get: n => n.firmware,
        put: (0, restore_coercion_1.putNodeLabel)('firmware'),
    },
    {
        id: 'info.publicKey',
        section: 'info',
        common: (0, spec_1.str)('Public key (base64)', 'text'),
        get: n => n.user?.publicKey || undefined,
        put: (0, restore_coercion_1.putUser)('publicKey'),
    },
    {
        id: 'info.region',
        section: 'info',
        common: (0, spec_1.str)('LoRa region', 'text'),
        get: n => n.region,
        put: (0, restore_coercion_1.putNodeLabel)('region'),
    },
    {
        id: 'info.modemPreset',
        section: 'info',
        common: (0, spec_1.str)('Modem preset', 'text'),
        get: n => n.modemPreset,
        put: (0, restore_coercion_1.putNodeLabel)('modemPreset'),
    },
    {
        id: 'info.licensed',
        section: 'info',
        common: (0, spec_1.bool)('Licensed operator (unencrypted)', 'indicator'),
        get: n => n.user?.isLicensed,
        put: (0, restore_coercion_1.putUserFlag)('isLicensed'),
    },
    {
        id: 'info.unmessagable',
        section: 'info',
        common: (0, spec_1.bool)('Does not accept messages', 'indicator'),
        get: n => n.user?.isUnmessagable,
        put: (0, restore_coercion_1.putUserFlag)('isUnmessagable'),
    },
    {
        id: 'info.onlineLocalNodes',
        section: 'info',
        common: (0, spec_1.num)('Online nodes around it (map report)', 'value'),
        get: n => n.numOnlineLocalNodes,
        put: restore_coercion_1.putOnlineLocalNodes,
    },
    // position
    {
        id: 'position.latitude',
        section: 'position',
        common: (0, spec_1.num)('Latitude', 'value.gps.latitude', '°'),
        get: n => (0, values_1.cleanDegrees)(n.position?.latitude),
        put: (0, restore_coercion_1.putPosition)('latitude'),
    },
    {
        id: 'position.longitude',
        section: 'position',
        common: (0, spec_1.num)('Longitude', 'value.gps.longitude', '°'),
        get: n => (0, values_1.cleanDegrees)(n.position?.longitude),
        put: (0, restore_coercion_1.putPosition)('longitude'),
    },
    {
        id: 'position.altitude',
        section: 'position',
        common: (0, spec_1.num)('Altitude above sea level', 'value.gps.elevation', 'm'),
        get: n => n.position?.altitude,
        put: (0, restore_coercion_1.putPosition)('altitude'),
    },
    {
        id: 'position.gps',
        section: 'position',
        common: (0, spec_1.str)('Position "latitude;longitude"', 'value.gps'),
        get: gpsText,
    },
    {
        id: 'position.precisionBits',
        section: 'position',
        common: (0, spec_1.num)('Position precision (bits, 32 = exact)', 'value'),
        get: n => n.position?.precisionBits,
        put: (0, restore_coercion_1.putPosition)('precisionBits'),
    },
    {
        id: 'position.accuracy',
        section: 'position',
        common: (0, spec_1.num)('Position accuracy (radius)', 'value.gps.accuracy', 'm'),
        get: n => n.position?.accuracyMeters,
        put: (0, restore_coercion_1.putPosition)('accuracyMeters'),
    },
    {
        id: 'position.time',
        section: 'position',
        common: (0, spec_1.num)('Time of the fix', 'date'),
        get: n => (n.position?.time ? n.position.time * 1000 : undefined),
        put: restore_coercion_1.putFixTime,
    },
    {
        id: 'position.groundSpeed',
        section: 'position',
        common: (0, spec_1.num)('Ground speed', 'value.speed', 'm/s'),
        get: n => n.position?.groundSpeed,
        put: (0, restore_coercion_1.putPosition)('groundSpeed'),
    },
    {
        id: 'position.groundTrack',
        section: 'position',
        common: (0, spec_1.num)('Heading', 'value', '°'),
        get: n => n.position?.groundTrack,
        put: (0, restore_coercion_1.putPosition)('groundTrack'),
    },
    {
        id: 'position.satsInView',
        section: 'position',
        common: (0, spec_1.num)('Satellites in view', 'value'),
        get: n => n.position?.satsInView,
        put: (0, restore_coercion_1.putPosition)('satsInView'),
    },
    // radio
    {
        id: 'radio.snr',
        section: 'radio',
        common: (0, spec_1.num)('SNR of the last packet', 'value', 'dB'),
        get: n => (n.radio?.snr === undefined ? undefined : (0, values_1.cleanFloat)(n.radio.snr)),
        put: (0, restore_coercion_1.putRadioNumber)('snr'),
    },
    {
        id: 'radio.rssi',
        section: 'radio',
        common: (0, spec_1.num)('RSSI of the last packet', 'value.rssi', 'dBm'),
        get: n => n.radio?.rssi,
        put: (0, restore_coercion_1.putRadioNumber)('rssi'),
    },
    {
        id: 'radio.hopsAway',
        section: 'radio',
        common: (0, spec_1.num)('Hops away', 'value'),
        get: n => n.radio?.hopsAway,
        put: (0, restore_coercion_1.putRadioNumber)('hopsAway'),
    },
    {
        id: 'radio.viaMqtt',
        section: 'radio',
        common: (0, spec_1.bool)('Last packet came via MQTT', 'indicator'),
        get: n => n.radio?.viaMqtt,
        put: restore_coercion_1.putViaMqtt,
    },
    {
        id: 'radio.gateway',
        section: 'radio',
        common: (0, spec_1.str)('Gateway that delivered the last packet first', 'text'),
        get: n => n.radio?.gateway || undefined,
        put: restore_coercion_1.putGateway,
    },
    {
        id: 'radio.gatewayCount',
        section: 'radio',
        common: (0, spec_1.num)('Gateways that uplinked the last packet', 'value'),
        get: n => n.radio?.gatewayCount,
        put: (0, restore_coercion_1.putRadioNumber)('gatewayCount'),
    },
    {
        id: 'radio.gateways',
        section: 'radio',
        common: (0, spec_1.str)('Gateways that uplinked the last packet (JSON, first 16)', 'json'),
        get: n => (n.radio?.gateways ? (0, values_1.json)(n.radio.gateways) : undefined),
        put: restore_coercion_1.putGateways,
    },
    // status
    {
        id: 'status.lastHeard',
        section: 'status',
        common: (0, spec_1.num)('Last heard', 'date'),
        get: n => (n.lastHeard > 0 ? n.lastHeard : undefined),
        put: restore_coercion_1.putLastHeard,
    },
    {
        id: 'status.online',
        section: 'status',
        common: (0, spec_1.bool)('Online', 'indicator.reachable'),
        get: n => n.presence !== 'offline',
    },
    {
        id: 'status.presence',
        section: 'status',
        common: (0, spec_1.common)('Presence (mqtt = uplinks itself, rf = heard via others)', 'string', 'text', undefined, {
            ...exports.PRESENCE_STATES,
        }),
        get: n => n.presence,
        put: putPresence,
    },
    // neighbors (directly under the device)
    {
        id: 'neighbors',
        section: 'neighbors',
        common: (0, spec_1.str)('Neighbours (JSON: nodeId, id, snr)', 'json'),
        get: n => (n.neighbors ? (0, values_1.json)(n.neighbors) : undefined),
        put: restore_coercion_1.putNeighbors,
    },
    // messages
    {
        id: 'messages.lastText',
        section: 'messages',
        common: (0, spec_1.str)('Last text from this node', 'text'),
        event: true,
        get: n => n.lastText?.text,
    },
    {
        id: 'messages.history',
        section: 'messages',
        common: (0, spec_1.str)('Recent texts from this node (JSON, newest last)', 'json'),
        // appears with the node's first text: most nodes never send one, and an empty list is no data
        get: n => (n.history.length > 0 ? (0, values_1.json)(n.history) : undefined),
        put: restore_coercion_1.putHistory,
    },
    // telemetry extras (derived from metrics)
    {
        id: `${tree_1.TELEMETRY_FOLDER}.device.externalPower`,
        section: 'telemetry.device',
        common: (0, spec_1.bool)('Externally powered (battery level > 100)', 'indicator'),
        get: externalPower,
        put: putExternalPower,
    },
    // traceroute, detection sensor, alert, range test
    ...packets_1.PACKET_NODE_STATES,
];
