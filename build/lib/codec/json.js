"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodeLegacyJson = decodeLegacyJson;
/**
 * Legacy JSON uplink (`<root>/2/json/<channel>/<gw>`, firmware ≤2.7 with `json_enabled`, spec §5.1) mapped into the
 * same typed model as protobuf packets. Every value is type-checked: the text comes from anyone on the broker.
 */
const protobufs_1 = require("@meshtastic/protobufs");
const envelope_1 = require("./envelope");
const wire_1 = require("./wire");
const payloads_1 = require("./payloads");
const fields_1 = require("./payloads/fields");
const portnums_1 = require("./portnums");
const types_1 = require("./types");
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function num(o, key) {
    const value = o[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
function str(o, key) {
    const value = o[key];
    return typeof value === 'string' ? value : undefined;
}
/** uint32 from a JSON number (firmware < 2.2 printed node numbers signed). */
function u32(value) {
    return value === undefined ? 0 : Math.trunc(value) >>> 0;
}
function jsonError(message) {
    return { ok: false, reason: 'json', message };
}
/** A Map, not an object literal: `type` is attacker-controlled and must not reach `Object.prototype`. */
const PORT_OF_TYPE = new Map([
    ['text', portnums_1.PortNum.TEXT_MESSAGE_APP],
    ['position', portnums_1.PortNum.POSITION_APP],
    ['nodeinfo', portnums_1.PortNum.NODEINFO_APP],
    ['telemetry', portnums_1.PortNum.TELEMETRY_APP],
    ['neighborinfo', portnums_1.PortNum.NEIGHBORINFO_APP],
    ['waypoint', portnums_1.PortNum.WAYPOINT_APP],
    ['traceroute', portnums_1.PortNum.TRACEROUTE_APP],
    ['detection', portnums_1.PortNum.DETECTION_SENSOR_APP],
    ['paxcounter', portnums_1.PortNum.PAXCOUNTER_APP],
    ['gpios_changed', portnums_1.PortNum.REMOTE_HARDWARE_APP],
    ['gpios_read_reply', portnums_1.PortNum.REMOTE_HARDWARE_APP],
]);
/**
 * Parses one JSON uplink. Garbage, non-objects, packets without a numeric `from` and JSON downlink commands
 * (`sendtext`/`sendposition`, instructions to a gateway rather than packets) are `json` errors.
 */
function decodeLegacyJson(topic, text) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (e) {
        return jsonError(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isObject(parsed)) {
        return jsonError('JSON packet is not an object');
    }
    const type = str(parsed, 'type') ?? '';
    if (type === 'sendtext' || type === 'sendposition') {
        return jsonError(`JSON downlink command "${type}" is an instruction to a gateway, not a mesh packet`);
    }
    const from = num(parsed, 'from');
    if (from === undefined) {
        return jsonError('JSON packet has no numeric "from"');
    }
    const header = (0, envelope_1.emptyHeader)();
    header.from = u32(from);
    const to = num(parsed, 'to');
    header.to = to === undefined ? types_1.BROADCAST_NUM : u32(to);
    header.id = u32(num(parsed, 'id'));
    header.channel = u32(num(parsed, 'channel'));
    header.rxTime = u32(num(parsed, 'timestamp'));
    header.rxSnr = num(parsed, 'snr') ?? 0;
    header.rxRssi = Math.trunc(num(parsed, 'rssi') ?? 0);
    const hopStart = num(parsed, 'hop_start');
    const hopsAway = num(parsed, 'hops_away');
    if (hopStart !== undefined) {
        header.hopStart = u32(hopStart);
        header.hopLimit = Math.max(0, header.hopStart - u32(hopsAway));
    }
    else if (hopsAway !== undefined) {
        // Firmware < 2.3.13 sent hops_away without hop_start: encode it as start=hops, limit=0 so hop maths holds.
        header.hopStart = u32(hopsAway);
        header.hopLimit = 0;
    }
    const channelId = topic.channelId ?? '';
    const gatewayId = str(parsed, 'sender') ?? topic.gatewayId ?? '';
    const portnum = PORT_OF_TYPE.get(type) ?? portnums_1.PortNum.UNKNOWN_APP;
    const payload = jsonPayload(type, portnum, parsed.payload, header.from, header.rxTime);
    const data = {
        ...(0, wire_1.emptyData)(),
        portnum,
        // Only text keeps its bytes; the other JSON payloads were already decoded by the gateway.
        payload: payload.type === 'text' ? (0, payloads_1.encodeText)(payload.text) : new Uint8Array(0),
    };
    return {
        ok: true,
        value: { topic, channelId, gatewayId, header, encryption: 'none', channelName: channelId, data, payload },
    };
}
function rawPayload(portnum) {
    return { type: 'raw', portnum, bytes: new Uint8Array(0) };
}
function jsonPayload(type, portnum, value, from, rxTime) {
    if (type === 'text') {
        return { type: 'text', text: jsonText(value) };
    }
    if (!isObject(value)) {
        return rawPayload(portnum);
    }
    switch (type) {
        case 'position':
            return {
                type: 'position',
                position: (0, payloads_1.positionInfo)({
                    latitudeI: num(value, 'latitude_i'),
                    longitudeI: num(value, 'longitude_i'),
                    altitude: num(value, 'altitude'),
                    time: num(value, 'time'),
                    timestamp: num(value, 'timestamp'),
                    groundSpeed: num(value, 'ground_speed'),
                    groundTrack: num(value, 'ground_track'),
                    satsInView: num(value, 'sats_in_view'),
                    precisionBits: num(value, 'precision_bits'),
                }),
            };
        case 'nodeinfo':
            return { type: 'nodeinfo', user: jsonUser(value, from) };
        case 'telemetry':
            return jsonTelemetry(value, rxTime) ?? rawPayload(portnum);
        case 'neighborinfo': {
            const neighbors = Array.isArray(value.neighbors) ? value.neighbors.filter(isObject) : [];
            return {
                type: 'neighborinfo',
                neighborInfo: {
                    nodeId: u32(num(value, 'node_id')),
                    lastSentById: u32(num(value, 'last_sent_by_id')),
                    broadcastIntervalSecs: u32(num(value, 'node_broadcast_interval_secs')),
                    neighbors: neighbors.map(n => ({ nodeId: u32(num(n, 'node_id')), snr: num(n, 'snr') ?? 0 })),
                },
            };
        }
        case 'waypoint': {
            const lat = num(value, 'latitude_i');
            const lon = num(value, 'longitude_i');
            return {
                type: 'waypoint',
                waypoint: {
                    id: u32(num(value, 'id')),
                    name: (0, payloads_1.stripNul)(str(value, 'name') ?? ''),
                    description: (0, payloads_1.stripNul)(str(value, 'description') ?? ''),
                    expire: u32(num(value, 'expire')),
                    lockedTo: u32(num(value, 'locked_to')),
                    icon: u32(num(value, 'icon')),
                    ...(lat !== undefined && lon !== undefined
                        ? { latitude: (0, fields_1.degrees)(lat), longitude: (0, fields_1.degrees)(lon) }
                        : {}),
                },
            };
        }
        case 'detection':
            return { type: 'detection', text: str(value, 'text') ?? '' };
        case 'paxcounter':
            return {
                type: 'paxcounter',
                paxcounter: {
                    wifi: u32(num(value, 'wifi_count')),
                    ble: u32(num(value, 'ble_count')),
                    uptime: u32(num(value, 'uptime')),
                },
            };
        default:
            // traceroute (node names instead of numbers), gpios, "" (unsupported port): nothing typed to offer.
            return rawPayload(portnum);
    }
}
/** Firmware puts `{"text": ...}`, or the parsed value when the message text itself was valid JSON. */
function jsonText(value) {
    if (isObject(value) && typeof value.text === 'string') {
        return value.text;
    }
    if (typeof value === 'string') {
        return value;
    }
    return value === undefined ? '' : JSON.stringify(value);
}
function jsonUser(value, from) {
    const hw = u32(num(value, 'hardware'));
    const role = u32(num(value, 'role'));
    return {
        id: str(value, 'id') ?? `!${from.toString(16).padStart(8, '0')}`,
        longName: (0, payloads_1.stripNul)(str(value, 'longname') ?? ''),
        shortName: (0, payloads_1.stripNul)(str(value, 'shortname') ?? ''),
        hwModel: (0, payloads_1.enumName)(protobufs_1.Mesh.HardwareModel, hw),
        hwModelNumber: hw,
        role: (0, payloads_1.enumName)(protobufs_1.Config.Config_DeviceConfig_Role, role),
        roleNumber: role,
        isLicensed: false,
        isUnmessagable: false,
    };
}
/** JSON telemetry keys whose protobuf-es names are not plain camelCase of the key. */
const JSON_METRIC_NAMES = new Map([
    ['pm10', 'pm10Standard'],
    ['pm25', 'pm25Standard'],
    ['pm100', 'pm100Standard'],
    ['voltage_ch1', 'ch1Voltage'],
    ['voltage_ch2', 'ch2Voltage'],
    ['voltage_ch3', 'ch3Voltage'],
    ['current_ch1', 'ch1Current'],
    ['current_ch2', 'ch2Current'],
    ['current_ch3', 'ch3Current'],
]);
const DEVICE_KEYS = ['battery_level', 'channel_utilization', 'air_util_tx', 'uptime_seconds'];
const POWER_KEYS = ['voltage_ch1', 'voltage_ch2', 'voltage_ch3', 'current_ch1', 'current_ch2', 'current_ch3'];
const AIR_QUALITY_KEYS = ['pm10', 'pm25', 'pm100', 'co2', 'form_formaldehyde'];
function camelCase(key) {
    return key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}
/** The JSON has no variant tag: the firmware serializer's key sets tell them apart. */
function telemetryVariantOf(value) {
    const has = (keys) => keys.some(k => Object.hasOwn(value, k));
    if (has(DEVICE_KEYS)) {
        return 'device';
    }
    if (has(POWER_KEYS)) {
        return 'power';
    }
    if (has(AIR_QUALITY_KEYS)) {
        return 'airQuality';
    }
    return Object.keys(value).length > 0 ? 'environment' : undefined;
}
function jsonTelemetry(value, rxTime) {
    const variant = telemetryVariantOf(value);
    if (!variant) {
        return undefined;
    }
    const metrics = {};
    for (const key of Object.keys(value)) {
        const v = num(value, key);
        const name = JSON_METRIC_NAMES.get(key) ?? camelCase(key);
        if (v !== undefined && name !== '__proto__') {
            metrics[name] = v;
        }
    }
    // JSON telemetry carries no time of its own; the gateway's receive time is the closest.
    return { type: 'telemetry', telemetry: { variant, time: rxTime, metrics } };
}
