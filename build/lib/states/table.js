"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.INFO_CLIENTS = exports.INFO_CONNECTION = exports.STATS_STATES = exports.MESSAGE_LAST_SENT = exports.NODE_COMMAND_STATE_IDS = exports.NODE_SEND_STATES = exports.CHANNEL_SEND_STATES = exports.SEND_STATUS_STATE_ID = exports.SEND_STATE_ID = exports.MESSAGE_DIRECT = exports.MESSAGE_LAST = exports.CHANNEL_STATES = exports.UNKNOWN_METRIC_ROLE = exports.TELEMETRY_METRICS = exports.NODE_STATES = exports.PRESENCE_STATES = exports.NODE_CONTAINERS = exports.TELEMETRY_FOLDER = exports.CHANNEL_CONTAINER_TYPE = exports.NODE_CONTAINER_TYPE = exports.ROOT_CONTAINERS = exports.ROOT = exports.TELEMETRY_VARIANTS = void 0;
exports.cleanFloat = cleanFloat;
var types_1 = require("../codec/types");
Object.defineProperty(exports, "TELEMETRY_VARIANTS", { enumerable: true, get: function () { return types_1.TELEMETRY_VARIANTS; } });
// ---- Helpers to keep the table compact -----------------------------------------------------------------------
function common(name, type, role, unit, states) {
    const c = { name, type, role, read: true, write: false };
    if (unit !== undefined) {
        c.unit = unit;
    }
    if (states !== undefined) {
        c.states = states;
    }
    return c;
}
const num = (name, role, unit) => common(name, 'number', role, unit);
const str = (name, role) => common(name, 'string', role);
const bool = (name, role) => common(name, 'boolean', role);
/** A writable string state (commands written by the user with ack=false). */
const command = (name, role) => ({ ...common(name, 'string', role), write: true });
/** Metric spec shorthand. */
const m = (name, role, unit, convert, invert) => {
    const spec = { name, role };
    if (unit !== undefined) {
        spec.unit = unit;
    }
    if (convert !== undefined) {
        spec.convert = convert;
    }
    if (invert !== undefined) {
        spec.invert = invert;
    }
    return spec;
};
// Value coercion for restoring records from stored states (anything unexpected is ignored).
const asNum = (v) => typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const asStr = (v) => (typeof v === 'string' ? v : undefined);
const asBool = (v) => (typeof v === 'boolean' ? v : undefined);
function asJson(v) {
    if (typeof v !== 'string') {
        return undefined;
    }
    try {
        return JSON.parse(v);
    }
    catch {
        return undefined;
    }
}
function userOf(node) {
    node.user ??= { longName: '', shortName: '', hwModel: '', role: '', isLicensed: false, isUnmessagable: false };
    return node.user;
}
function positionOf(node) {
    node.position ??= { precisionBits: 32, accuracyMeters: 0 };
    return node.position;
}
function radioOf(node) {
    node.radio ??= { viaMqtt: false, gateway: '', gatewayCount: 0 };
    return node.radio;
}
/** Setter for a string field of the user record. */
const putUser = (key) => (node, v) => {
    const s = asStr(v);
    if (s !== undefined) {
        userOf(node)[key] = s;
    }
};
const putUserFlag = (key) => (node, v) => {
    const b = asBool(v);
    if (b !== undefined) {
        userOf(node)[key] = b;
    }
};
const putNodeLabel = (key) => (node, v) => {
    const s = asStr(v);
    if (s !== undefined) {
        node[key] = s;
    }
};
const putPosition = (key) => (node, v) => {
    const n = asNum(v);
    if (n !== undefined) {
        positionOf(node)[key] = n;
    }
};
const putRadioNumber = (key) => (node, v) => {
    const n = asNum(v);
    if (n !== undefined) {
        radioOf(node)[key] = n;
    }
};
/** Float32 fields arrive as e.g. 3.700000047683716; 7 significant digits is all a float32 holds. */
function cleanFloat(value) {
    return Number.isInteger(value) ? value : Number(value.toPrecision(7));
}
/** Coordinates are 1e-7 degree integers on the wire. */
function cleanDegrees(value) {
    return value === undefined ? undefined : Math.round(value * 1e7) / 1e7;
}
function json(value) {
    return JSON.stringify(value);
}
function senderLabel(message) {
    return message.fromName && message.fromName !== message.fromId
        ? `${message.fromName} (${message.fromId})`
        : message.fromId;
}
// ---- Top level ---------------------------------------------------------------------------------------------------
/** Top-level ids (relative to the namespace). */
exports.ROOT = {
    nodes: 'nodes',
    channels: 'channels',
    messages: 'messages',
    stats: 'stats',
    info: 'info',
};
exports.ROOT_CONTAINERS = {
    nodes: { type: 'folder', name: 'Mesh nodes' },
    channels: { type: 'folder', name: 'Channels' },
    messages: { type: 'channel', name: 'Text messages' },
    stats: { type: 'channel', name: 'Reception statistics' },
    info: { type: 'channel', name: 'Information' },
};
/** The object type of `nodes.<hex>` and of `channels.<name>`. */
exports.NODE_CONTAINER_TYPE = 'device';
exports.CHANNEL_CONTAINER_TYPE = 'channel';
/** Parent id of the telemetry variant channels inside a node. */
exports.TELEMETRY_FOLDER = 'telemetry';
/** Containers inside `nodes.<hex>` (ids relative to the device). Every state's parent chain is listed here. */
exports.NODE_CONTAINERS = {
    info: { type: 'channel', name: 'Node information' },
    position: { type: 'channel', name: 'Position' },
    radio: { type: 'channel', name: 'Radio reception' },
    status: { type: 'channel', name: 'Status' },
    messages: { type: 'channel', name: 'Text messages from this node' },
    [exports.TELEMETRY_FOLDER]: { type: 'folder', name: 'Telemetry' },
    [`${exports.TELEMETRY_FOLDER}.device`]: { type: 'channel', name: 'Device metrics' },
    [`${exports.TELEMETRY_FOLDER}.environment`]: { type: 'channel', name: 'Environment metrics' },
    [`${exports.TELEMETRY_FOLDER}.airQuality`]: { type: 'channel', name: 'Air quality metrics' },
    [`${exports.TELEMETRY_FOLDER}.power`]: { type: 'channel', name: 'Power metrics' },
    [`${exports.TELEMETRY_FOLDER}.localStats`]: { type: 'channel', name: 'Local statistics' },
    [`${exports.TELEMETRY_FOLDER}.health`]: { type: 'channel', name: 'Health metrics' },
    [`${exports.TELEMETRY_FOLDER}.host`]: { type: 'channel', name: 'Host metrics' },
};
// ---- Node states ---------------------------------------------------------------------------------------------------
/** Presence values (MESS.HOST-style) shown as `common.states`. */
exports.PRESENCE_STATES = { mqtt: 'mqtt', rf: 'rf', offline: 'offline' };
function putOnlineLocalNodes(node, v) {
    const x = asNum(v);
    if (x !== undefined) {
        node.numOnlineLocalNodes = x;
    }
}
/** `value.gps` text: "latitude;longitude". */
function gpsText(node) {
    const lat = cleanDegrees(node.position?.latitude);
    const lon = cleanDegrees(node.position?.longitude);
    return lat === undefined || lon === undefined ? undefined : `${lat};${lon}`;
}
function putFixTime(node, v) {
    const ms = asNum(v);
    if (ms !== undefined) {
        positionOf(node).time = Math.round(ms / 1000);
    }
}
function putViaMqtt(node, v) {
    const b = asBool(v);
    if (b !== undefined) {
        radioOf(node).viaMqtt = b;
    }
}
function putGateway(node, v) {
    const s = asStr(v);
    if (s !== undefined) {
        radioOf(node).gateway = s;
    }
}
function putGateways(node, v) {
    const list = asJson(v);
    if (Array.isArray(list)) {
        radioOf(node).gateways = list.filter((g) => typeof g === 'string');
    }
}
function putLastHeard(node, v) {
    const ms = asNum(v);
    if (ms !== undefined) {
        node.lastHeard = ms;
    }
}
function putPresence(node, v) {
    const s = asStr(v);
    if (s !== undefined && Object.prototype.hasOwnProperty.call(exports.PRESENCE_STATES, s)) {
        node.presence = s;
    }
}
function putNeighbors(node, v) {
    const list = asJson(v);
    if (Array.isArray(list)) {
        node.neighbors = list; // re-validated by the mesh model's restore
    }
}
function putHistory(node, v) {
    const list = asJson(v);
    if (Array.isArray(list)) {
        node.history = list; // re-validated by the mesh model's restore
        node.lastText = node.history[node.history.length - 1];
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
    { id: 'info.id', section: 'info', common: str('Node id', 'info.address'), get: n => `!${n.hex}` },
    { id: 'info.num', section: 'info', common: num('Node number', 'value'), get: n => n.num },
    {
        id: 'info.longName',
        section: 'info',
        common: str('Long name', 'info.name'),
        get: n => n.user?.longName,
        put: putUser('longName'),
    },
    {
        id: 'info.shortName',
        section: 'info',
        common: str('Short name', 'text'),
        get: n => n.user?.shortName,
        put: putUser('shortName'),
    },
    {
        id: 'info.hwModel',
        section: 'info',
        common: str('Hardware model', 'info.hardware'),
        get: n => n.user?.hwModel,
        put: putUser('hwModel'),
    },
    {
        id: 'info.role',
        section: 'info',
        common: str('Device role', 'text'),
        get: n => n.user?.role,
        put: putUser('role'),
    },
    {
        id: 'info.firmware',
        section: 'info',
        common: str('Firmware version', 'info.firmware'),
        get: n => n.firmware,
        put: putNodeLabel('firmware'),
    },
    {
        id: 'info.publicKey',
        section: 'info',
        common: str('Public key (base64)', 'text'),
        get: n => n.user?.publicKey || undefined,
        put: putUser('publicKey'),
    },
    {
        id: 'info.region',
        section: 'info',
        common: str('LoRa region', 'text'),
        get: n => n.region,
        put: putNodeLabel('region'),
    },
    {
        id: 'info.modemPreset',
        section: 'info',
        common: str('Modem preset', 'text'),
        get: n => n.modemPreset,
        put: putNodeLabel('modemPreset'),
    },
    {
        id: 'info.licensed',
        section: 'info',
        common: bool('Licensed operator (unencrypted)', 'indicator'),
        get: n => n.user?.isLicensed,
        put: putUserFlag('isLicensed'),
    },
    {
        id: 'info.unmessagable',
        section: 'info',
        common: bool('Does not accept messages', 'indicator'),
        get: n => n.user?.isUnmessagable,
        put: putUserFlag('isUnmessagable'),
    },
    {
        id: 'info.onlineLocalNodes',
        section: 'info',
        common: num('Online nodes around it (map report)', 'value'),
        get: n => n.numOnlineLocalNodes,
        put: putOnlineLocalNodes,
    },
    // position
    {
        id: 'position.latitude',
        section: 'position',
        common: num('Latitude', 'value.gps.latitude', '°'),
        get: n => cleanDegrees(n.position?.latitude),
        put: putPosition('latitude'),
    },
    {
        id: 'position.longitude',
        section: 'position',
        common: num('Longitude', 'value.gps.longitude', '°'),
        get: n => cleanDegrees(n.position?.longitude),
        put: putPosition('longitude'),
    },
    {
        id: 'position.altitude',
        section: 'position',
        common: num('Altitude above sea level', 'value.gps.elevation', 'm'),
        get: n => n.position?.altitude,
        put: putPosition('altitude'),
    },
    {
        id: 'position.gps',
        section: 'position',
        common: str('Position "latitude;longitude"', 'value.gps'),
        get: gpsText,
    },
    {
        id: 'position.precisionBits',
        section: 'position',
        common: num('Position precision (bits, 32 = exact)', 'value'),
        get: n => n.position?.precisionBits,
        put: putPosition('precisionBits'),
    },
    {
        id: 'position.accuracy',
        section: 'position',
        common: num('Position accuracy (radius)', 'value.gps.accuracy', 'm'),
        get: n => n.position?.accuracyMeters,
        put: putPosition('accuracyMeters'),
    },
    {
        id: 'position.time',
        section: 'position',
        common: num('Time of the fix', 'date'),
        get: n => (n.position?.time ? n.position.time * 1000 : undefined),
        put: putFixTime,
    },
    {
        id: 'position.groundSpeed',
        section: 'position',
        common: num('Ground speed', 'value.speed', 'm/s'),
        get: n => n.position?.groundSpeed,
        put: putPosition('groundSpeed'),
    },
    {
        id: 'position.groundTrack',
        section: 'position',
        common: num('Heading', 'value', '°'),
        get: n => n.position?.groundTrack,
        put: putPosition('groundTrack'),
    },
    {
        id: 'position.satsInView',
        section: 'position',
        common: num('Satellites in view', 'value'),
        get: n => n.position?.satsInView,
        put: putPosition('satsInView'),
    },
    // radio
    {
        id: 'radio.snr',
        section: 'radio',
        common: num('SNR of the last packet', 'value', 'dB'),
        get: n => (n.radio?.snr === undefined ? undefined : cleanFloat(n.radio.snr)),
        put: putRadioNumber('snr'),
    },
    {
        id: 'radio.rssi',
        section: 'radio',
        common: num('RSSI of the last packet', 'value.rssi', 'dBm'),
        get: n => n.radio?.rssi,
        put: putRadioNumber('rssi'),
    },
    {
        id: 'radio.hopsAway',
        section: 'radio',
        common: num('Hops away', 'value'),
        get: n => n.radio?.hopsAway,
        put: putRadioNumber('hopsAway'),
    },
    {
        id: 'radio.viaMqtt',
        section: 'radio',
        common: bool('Last packet came via MQTT', 'indicator'),
        get: n => n.radio?.viaMqtt,
        put: putViaMqtt,
    },
    {
        id: 'radio.gateway',
        section: 'radio',
        common: str('Gateway that delivered the last packet first', 'text'),
        get: n => n.radio?.gateway || undefined,
        put: putGateway,
    },
    {
        id: 'radio.gatewayCount',
        section: 'radio',
        common: num('Gateways that uplinked the last packet', 'value'),
        get: n => n.radio?.gatewayCount,
        put: putRadioNumber('gatewayCount'),
    },
    {
        id: 'radio.gateways',
        section: 'radio',
        common: str('Gateways that uplinked the last packet (JSON, first 16)', 'json'),
        get: n => (n.radio?.gateways ? json(n.radio.gateways) : undefined),
        put: putGateways,
    },
    // status
    {
        id: 'status.lastHeard',
        section: 'status',
        common: num('Last heard', 'date'),
        get: n => (n.lastHeard > 0 ? n.lastHeard : undefined),
        put: putLastHeard,
    },
    {
        id: 'status.online',
        section: 'status',
        common: bool('Online', 'indicator.reachable'),
        get: n => n.presence !== 'offline',
    },
    {
        id: 'status.presence',
        section: 'status',
        common: common('Presence (mqtt = uplinks itself, rf = heard via others)', 'string', 'text', undefined, {
            ...exports.PRESENCE_STATES,
        }),
        get: n => n.presence,
        put: putPresence,
    },
    // neighbors (directly under the device)
    {
        id: 'neighbors',
        section: 'neighbors',
        common: str('Neighbours (JSON: nodeId, id, snr)', 'json'),
        get: n => (n.neighbors ? json(n.neighbors) : undefined),
        put: putNeighbors,
    },
    // messages
    {
        id: 'messages.lastText',
        section: 'messages',
        common: str('Last text from this node', 'text'),
        event: true,
        get: n => n.lastText?.text,
    },
    {
        id: 'messages.history',
        section: 'messages',
        common: str('Recent texts from this node (JSON, newest last)', 'json'),
        // appears with the node's first text: most nodes never send one, and an empty list is no data
        get: n => (n.history.length > 0 ? json(n.history) : undefined),
        put: putHistory,
    },
    // telemetry extras (derived from metrics)
    {
        id: `${exports.TELEMETRY_FOLDER}.device.externalPower`,
        section: 'telemetry.device',
        common: bool('Externally powered (battery level > 100)', 'indicator'),
        get: externalPower,
        put: putExternalPower,
    },
];
// ---- Telemetry metrics -------------------------------------------------------------------------------------------
const powerChannels = {};
for (let ch = 1; ch <= 8; ch++) {
    // One detailed role per channel (role doc): channel 1 carries value.voltage / value.current.
    powerChannels[`ch${ch}Voltage`] = m(`Channel ${ch} voltage`, ch === 1 ? 'value.voltage' : 'value', 'V');
    powerChannels[`ch${ch}Current`] = m(`Channel ${ch} current`, ch === 1 ? 'value.current' : 'value', 'mA');
}
/**
 * Known metric names per variant: protobuf-es camelCase field names of meshtastic.*Metrics / LocalStats,
 * units from the proto comments. Unknown names still get a state (role `value`, no unit, name = key).
 */
exports.TELEMETRY_METRICS = {
    device: {
        batteryLevel: m('Battery level', 'value.battery', '%', v => Math.min(v, 100)),
        voltage: m('Battery voltage', 'value.voltage', 'V'),
        channelUtilization: m('Channel utilisation', 'value', '%'),
        airUtilTx: m('Airtime used for transmitting (last hour)', 'value', '%'),
        uptimeSeconds: m('Uptime', 'value.interval', 's'),
    },
    environment: {
        temperature: m('Temperature', 'value.temperature', '°C'),
        relativeHumidity: m('Relative humidity', 'value.humidity', '%'),
        barometricPressure: m('Barometric pressure', 'value.pressure', 'hPa'),
        gasResistance: m('Gas resistance', 'value', 'MΩ'),
        voltage: m('Voltage', 'value.voltage', 'V'),
        current: m('Current', 'value.current', 'mA'),
        iaq: m('Indoor air quality index (0-500)', 'value.airquality'),
        distance: m('Distance (water level)', 'value.distance', 'mm'),
        lux: m('Ambient light', 'value.brightness', 'lux'),
        whiteLux: m('White light', 'value', 'lux'),
        irLux: m('Infrared light', 'value', 'lux'),
        uvLux: m('Ultraviolet light', 'value', 'lux'),
        windDirection: m('Wind direction', 'value.direction.wind', '°'),
        windSpeed: m('Wind speed', 'value.speed.wind', 'm/s'),
        windGust: m('Wind gust', 'value.speed.wind.gust', 'm/s'),
        windLull: m('Wind lull', 'value', 'm/s'),
        weight: m('Weight', 'value', 'kg'),
        radiation: m('Radiation', 'value', 'µR/h'),
        rainfall1h: m('Rainfall last hour', 'value.rain.hour', 'mm'),
        rainfall24h: m('Rainfall last 24 hours', 'value.rain', 'mm'),
        soilMoisture: m('Soil moisture', 'value', '%'),
        soilTemperature: m('Soil temperature', 'value', '°C'),
    },
    airQuality: {
        pm10Standard: m('PM1.0 (standard)', 'value.pm1', 'µg/m³'),
        pm25Standard: m('PM2.5 (standard)', 'value.pm25', 'µg/m³'),
        pm40Standard: m('PM4.0 (standard)', 'value', 'µg/m³'),
        pm100Standard: m('PM10 (standard)', 'value.pm10', 'µg/m³'),
        pm10Environmental: m('PM1.0 (environmental)', 'value', 'µg/m³'),
        pm25Environmental: m('PM2.5 (environmental)', 'value', 'µg/m³'),
        pm100Environmental: m('PM10 (environmental)', 'value', 'µg/m³'),
        particles03um: m('Particles ≥0.3 µm', 'value', '#/0.1l'),
        particles05um: m('Particles ≥0.5 µm', 'value', '#/0.1l'),
        particles10um: m('Particles ≥1.0 µm', 'value', '#/0.1l'),
        particles25um: m('Particles ≥2.5 µm', 'value', '#/0.1l'),
        particles40um: m('Particles ≥4.0 µm', 'value', '#/0.1l'),
        particles50um: m('Particles ≥5.0 µm', 'value', '#/0.1l'),
        particles100um: m('Particles ≥10 µm', 'value', '#/0.1l'),
        particlesTps: m('Typical particle size', 'value', 'µm'),
        co2: m('CO2', 'value.co2', 'ppm'),
        co2Temperature: m('CO2 sensor temperature', 'value', '°C'),
        co2Humidity: m('CO2 sensor humidity', 'value', '%'),
        formFormaldehyde: m('Formaldehyde', 'value.ch2o', 'ppb'),
        formTemperature: m('Formaldehyde sensor temperature', 'value', '°C'),
        formHumidity: m('Formaldehyde sensor humidity', 'value', '%'),
        pmTemperature: m('PM sensor temperature', 'value', '°C'),
        pmHumidity: m('PM sensor humidity', 'value', '%'),
        pmVocIdx: m('VOC index', 'value'),
        pmNoxIdx: m('NOx index', 'value'),
    },
    power: powerChannels,
    localStats: {
        uptimeSeconds: m('Uptime', 'value.interval', 's'),
        channelUtilization: m('Channel utilisation', 'value', '%'),
        airUtilTx: m('Airtime used for transmitting (last hour)', 'value', '%'),
        numPacketsTx: m('Packets sent', 'value'),
        numPacketsRx: m('Packets received', 'value'),
        numPacketsRxBad: m('Malformed packets received', 'value'),
        numOnlineNodes: m('Nodes online (2 h)', 'value'),
        numTotalNodes: m('Nodes known', 'value'),
        numRxDupe: m('Duplicate packets received', 'value'),
        numTxRelay: m('Packets relayed', 'value'),
        numTxRelayCanceled: m('Relays cancelled', 'value'),
        numTxDropped: m('Packets dropped (TX queue full)', 'value'),
        heapTotalBytes: m('Heap size', 'value', 'B'),
        heapFreeBytes: m('Heap free', 'value', 'B'),
        noiseFloor: m('Noise floor', 'value', 'dBm'),
    },
    health: {
        heartBpm: m('Heart rate', 'value.health.bpm', 'bpm'),
        spO2: m('Blood oxygen saturation', 'value', '%'),
        temperature: m('Body temperature', 'value.temperature', '°C'),
    },
    host: {
        uptimeSeconds: m('Host uptime', 'value.interval', 's'),
        freememBytes: m('Free memory', 'value', 'B'),
        diskfree1Bytes: m('Free disk space (/)', 'value', 'B'),
        diskfree2Bytes: m('Free disk space (2nd)', 'value', 'B'),
        diskfree3Bytes: m('Free disk space (3rd)', 'value', 'B'),
        load1: m('Load average 1 min', 'value', undefined, v => v / 100, v => Math.round(v * 100)),
        load5: m('Load average 5 min', 'value', undefined, v => v / 100, v => Math.round(v * 100)),
        load15: m('Load average 15 min', 'value', undefined, v => v / 100, v => Math.round(v * 100)),
    },
};
/** Role of metrics the table does not know (new firmware fields): generic, no unit, name = the key. */
exports.UNKNOWN_METRIC_ROLE = 'value';
// ---- Channels (configured Meshtastic channels) -------------------------------------------------------------------
exports.CHANNEL_STATES = [
    {
        id: 'lastMessage',
        common: str('Last text on this channel', 'text'),
        event: true,
        get: c => c.lastMessage?.text,
    },
    {
        id: 'lastSender',
        common: str('Sender of the last text', 'text'),
        event: true,
        get: c => (c.lastMessage ? senderLabel(c.lastMessage) : undefined),
    },
    {
        id: 'history',
        common: str('Recent texts on this channel (JSON, newest last)', 'json'),
        get: c => json(c.history),
    },
];
// ---- Messages (top level) ----------------------------------------------------------------------------------------
exports.MESSAGE_LAST = {
    id: `${exports.ROOT.messages}.last`,
    common: str('Last text on any channel or DM (JSON)', 'json'),
    event: true,
    get: message => json(message),
};
exports.MESSAGE_DIRECT = {
    id: `${exports.ROOT.messages}.direct`,
    common: str('Last direct message to us (JSON)', 'json'),
    event: true,
    get: message => json(message),
};
/** Last id level of the writable send states (`channels.<name>.send`, `nodes.<hex>.send`). */
exports.SEND_STATE_ID = 'send';
/** Last id level of the send status states (`channels.<name>.sendStatus`, `nodes.<hex>.sendStatus`). */
exports.SEND_STATUS_STATE_ID = 'sendStatus';
/** `channels.<sanitised name>.send` / `.sendStatus`, created for every configured channel. */
exports.CHANNEL_SEND_STATES = {
    send: { id: exports.SEND_STATE_ID, common: command('Send a text to this channel (write with ack=false)', 'text') },
    status: {
        id: exports.SEND_STATUS_STATE_ID,
        common: str('Status of the last text sent to this channel (JSON)', 'json'),
        event: true,
        get: status => json(status),
    },
};
/** `nodes.<hex>.send` / `.sendStatus` (directly under the device, like `neighbors`), created for every node. */
exports.NODE_SEND_STATES = {
    send: { id: exports.SEND_STATE_ID, common: command('Send a direct message to this node (write with ack=false)', 'text') },
    status: {
        id: exports.SEND_STATUS_STATE_ID,
        common: str('Status of the last direct message sent to this node (JSON)', 'json'),
        event: true,
        get: status => json(status),
    },
};
/** Ids below `nodes.<hex>` that hold no node data (never restored into a NodeRecord). */
exports.NODE_COMMAND_STATE_IDS = new Set([
    exports.NODE_SEND_STATES.send.id,
    exports.NODE_SEND_STATES.status.id,
]);
/** `messages.lastSent`: the last SendStatus of any send (object from io-package instanceObjects; keep in sync). */
exports.MESSAGE_LAST_SENT = {
    id: `${exports.ROOT.messages}.lastSent`,
    common: str('Last message sent by the adapter (JSON)', 'json'),
    event: true,
    get: status => json(status),
};
// ---- Stats ---------------------------------------------------------------------------------------------------------
const statCounter = (key, name) => ({
    id: `${exports.ROOT.stats}.${key}`,
    common: num(name, 'value'),
    get: input => input.stats[key],
});
exports.STATS_STATES = [
    statCounter('received', 'Messages received (= decoded + undecryptable + invalid + ignored)'),
    statCounter('decoded', 'Packets decoded (malformed payloads kept as raw included)'),
    statCounter('duplicates', 'Duplicate packets (part of decoded or undecryptable)'),
    statCounter('undecryptable', 'Packets not decryptable (missing key or PKI)'),
    statCounter('invalid', 'Invalid packets'),
    statCounter('ignored', 'Messages on topics that are not Meshtastic packets (other MQTT clients)'),
    statCounter('unknownChannels', 'Unknown channels seen'),
    statCounter('filtered', 'Packets filtered (allow list, max hops)'),
    {
        id: `${exports.ROOT.stats}.unknownChannelList`,
        common: str('Unknown channels (JSON: channelId, hash, packets, lastGateway, lastSeen)', 'json'),
        get: input => json(input.unknownChannels.map(u => ({
            channelId: u.channelId,
            hash: u.channelHash,
            packets: u.packets,
            lastGateway: u.lastGateway,
            lastSeen: u.lastSeen,
        }))),
    },
];
// ---- Instance info (objects come from io-package instanceObjects; the specs here must match them) ---------------
exports.INFO_CONNECTION = {
    id: `${exports.ROOT.info}.connection`,
    common: bool('Connected to the MQTT broker / broker listening with gateways', 'indicator.connected'),
    get: connected => connected,
};
exports.INFO_CLIENTS = {
    id: `${exports.ROOT.info}.clients`,
    common: str('Connected MQTT clients (JSON array)', 'json'),
    get: clients => json(clients),
};
