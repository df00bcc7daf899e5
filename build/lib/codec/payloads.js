"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.enumName = enumName;
exports.decodeText = decodeText;
exports.stripNul = stripNul;
exports.normalisePrecisionBits = normalisePrecisionBits;
exports.accuracyMeters = accuracyMeters;
exports.positionInfo = positionInfo;
exports.decodePayload = decodePayload;
exports.encodeText = encodeText;
exports.encodeUser = encodeUser;
exports.encodeRoutingAck = encodeRoutingAck;
exports.encodePosition = encodePosition;
/**
 * Port payloads (spec §4) → plain typed values, and the few encoders the send path needs.
 * Enum values become their names; numbers unknown to the bundled protobufs become the number as a string.
 */
const protobuf_1 = require("@bufbuild/protobuf");
const protobufs_1 = require("@meshtastic/protobufs");
const portnums_1 = require("./portnums");
/** Invalid UTF-8 becomes U+FFFD instead of throwing (nodes send truncated multi-byte text). */
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();
/** Name of a numeric enum value, or the number as a string when the bundled protobufs do not know it. */
function enumName(enumObject, value) {
    const name = enumObject[value];
    return typeof name === 'string' ? name : String(value);
}
/** UTF-8 text; invalid sequences are replaced, never thrown. */
function decodeText(bytes) {
    return utf8Decoder.decode(bytes);
}
/** Firmware leaks fixed-size C buffers into names (NUL padding); NULs are never meaningful in a name. */
function stripNul(text) {
    return text.includes('\0') ? text.replace(/\0/g, '') : text;
}
/** Degrees from a protobuf `*_i` coordinate (1e-7 degrees). */
function degrees(value) {
    // Division (not × 1e-7) keeps results like -82.82174 free of representation noise.
    return value / 1e7;
}
/** Metres per degree of latitude (WGS84 mean), used for the precision-cell size. */
const METRES_PER_DEGREE = 111_320;
/** Precision bits as firmware means them: absent/0 (pre-2.3 packets) ⇒ full precision (32). */
function normalisePrecisionBits(bits) {
    return bits === undefined || !Number.isFinite(bits) || bits <= 0 || bits >= 32 ? 32 : Math.floor(bits);
}
/** Radius in metres of the precision cell for `bits` (half the cell size; 0 at full precision). */
function accuracyMeters(bits) {
    const p = normalisePrecisionBits(bits);
    return p >= 32 ? 0 : (Math.pow(2, 32 - p) * 1e-7 * METRES_PER_DEGREE) / 2;
}
// ---- decoders -------------------------------------------------------------------------------------------------------
function positionInfo(fields) {
    const precisionBits = normalisePrecisionBits(fields.precisionBits);
    const position = { precisionBits, accuracyMeters: accuracyMeters(precisionBits) };
    const lat = fields.latitudeI;
    const lon = fields.longitudeI;
    // Exactly 0/0 is firmware's "no fix" (pre-optional firmware could not omit the fields).
    if (lat !== undefined && lon !== undefined && (lat !== 0 || lon !== 0)) {
        position.latitude = degrees(lat);
        position.longitude = degrees(lon);
    }
    if (fields.altitude !== undefined) {
        position.altitude = fields.altitude;
    }
    const time = fields.time || fields.timestamp;
    if (time) {
        position.time = time >>> 0;
    }
    if (fields.groundSpeed !== undefined) {
        position.groundSpeed = fields.groundSpeed;
    }
    if (fields.groundTrack !== undefined) {
        // ground_track is in 1e-5 degrees.
        position.groundTrack = fields.groundTrack / 1e5;
    }
    if (fields.satsInView) {
        position.satsInView = fields.satsInView;
    }
    return position;
}
function decodePosition(bytes) {
    return positionInfo((0, protobuf_1.fromBinary)(protobufs_1.Mesh.PositionSchema, bytes));
}
function decodeUser(bytes) {
    const u = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.UserSchema, bytes);
    const user = {
        id: u.id,
        longName: stripNul(u.longName),
        shortName: stripNul(u.shortName),
        hwModel: enumName(protobufs_1.Mesh.HardwareModel, u.hwModel),
        hwModelNumber: u.hwModel,
        role: enumName(protobufs_1.Config.Config_DeviceConfig_Role, u.role),
        roleNumber: u.role,
        isLicensed: u.isLicensed,
        isUnmessagable: u.isUnmessagable ?? false,
    };
    // Copies: the parsed bytes are views into the whole MQTT message, and keys outlive it in the node store.
    if (u.publicKey.length > 0) {
        user.publicKey = Uint8Array.from(u.publicKey);
    }
    if (u.macaddr.length > 0) {
        user.macaddr = Uint8Array.from(u.macaddr);
    }
    return user;
}
/** Telemetry oneof case → the adapter's variant name and the metrics message schema. */
const TELEMETRY_VARIANTS = {
    deviceMetrics: { variant: 'device', schema: protobufs_1.Telemetry.DeviceMetricsSchema },
    environmentMetrics: { variant: 'environment', schema: protobufs_1.Telemetry.EnvironmentMetricsSchema },
    airQualityMetrics: { variant: 'airQuality', schema: protobufs_1.Telemetry.AirQualityMetricsSchema },
    powerMetrics: { variant: 'power', schema: protobufs_1.Telemetry.PowerMetricsSchema },
    localStats: { variant: 'localStats', schema: protobufs_1.Telemetry.LocalStatsSchema },
    healthMetrics: { variant: 'health', schema: protobufs_1.Telemetry.HealthMetricsSchema },
    hostMetrics: { variant: 'host', schema: protobufs_1.Telemetry.HostMetricsSchema },
};
/**
 * Numeric fields of a metrics message. Fields with explicit presence (proto3 `optional`, all sensor metrics) only
 * when the node sent them; implicit-presence fields (local stats, host metrics) always, because there 0 is a real
 * value the sender simply did not write. bigint (uint64) becomes number; strings and non-finite floats are left out.
 */
function numericFields(schema, message) {
    const metrics = {};
    const values = message;
    for (const field of schema.fields) {
        if (field.fieldKind !== 'scalar' || (field.presence === 1 && !(0, protobuf_1.isFieldSet)(message, field))) {
            continue;
        }
        const value = values[field.localName];
        if (typeof value === 'number') {
            if (Number.isFinite(value)) {
                metrics[field.localName] = value;
            }
        }
        else if (typeof value === 'bigint') {
            metrics[field.localName] = Number(value);
        }
    }
    return metrics;
}
function decodeTelemetry(bytes) {
    const t = (0, protobuf_1.fromBinary)(protobufs_1.Telemetry.TelemetrySchema, bytes);
    const variant = t.variant;
    if (variant.case === undefined) {
        return undefined;
    }
    const known = TELEMETRY_VARIANTS[variant.case];
    if (known === undefined) {
        return undefined;
    }
    return { variant: known.variant, time: t.time >>> 0, metrics: numericFields(known.schema, variant.value) };
}
function decodeNeighborInfo(bytes) {
    const n = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.NeighborInfoSchema, bytes);
    return {
        nodeId: n.nodeId >>> 0,
        lastSentById: n.lastSentById >>> 0,
        broadcastIntervalSecs: n.nodeBroadcastIntervalSecs >>> 0,
        neighbors: n.neighbors.map(neighbor => ({ nodeId: neighbor.nodeId >>> 0, snr: neighbor.snr })),
    };
}
function decodeMapReport(bytes) {
    const m = (0, protobuf_1.fromBinary)(protobufs_1.Mqtt.MapReportSchema, bytes);
    const report = {
        longName: stripNul(m.longName),
        shortName: stripNul(m.shortName),
        role: enumName(protobufs_1.Config.Config_DeviceConfig_Role, m.role),
        hwModel: enumName(protobufs_1.Mesh.HardwareModel, m.hwModel),
        firmwareVersion: m.firmwareVersion,
        region: enumName(protobufs_1.Config.Config_LoRaConfig_RegionCode, m.region),
        modemPreset: enumName(protobufs_1.Config.Config_LoRaConfig_ModemPreset, m.modemPreset),
        hasDefaultChannel: m.hasDefaultChannel,
        positionPrecision: m.positionPrecision,
        numOnlineLocalNodes: m.numOnlineLocalNodes,
        hasOptedReportLocation: m.hasOptedReportLocation,
    };
    // 0/0 means the node reports no location; altitude is only meaningful with one.
    if (m.latitudeI !== 0 || m.longitudeI !== 0) {
        report.latitude = degrees(m.latitudeI);
        report.longitude = degrees(m.longitudeI);
        report.altitude = m.altitude;
    }
    return report;
}
function decodeRouting(bytes) {
    const r = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.RoutingSchema, bytes);
    switch (r.variant.case) {
        case 'errorReason': {
            const code = r.variant.value;
            return {
                kind: code === 0 ? 'ack' : 'nak',
                errorReason: enumName(protobufs_1.Mesh.Routing_Error, code),
                errorCode: code,
            };
        }
        case 'routeRequest':
            return { kind: 'request', errorReason: 'NONE', errorCode: 0 };
        case 'routeReply':
            return { kind: 'reply', errorReason: 'NONE', errorCode: 0 };
        default:
            return undefined;
    }
}
/** Route SNR on the wire is int8 dB×4; −128 means unknown. */
function snrValues(values) {
    return values.map(v => (v === -128 ? undefined : v / 4));
}
function decodeTraceroute(bytes) {
    const r = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.RouteDiscoverySchema, bytes);
    return {
        route: r.route.map(n => n >>> 0),
        snrTowards: snrValues(r.snrTowards),
        routeBack: r.routeBack.map(n => n >>> 0),
        snrBack: snrValues(r.snrBack),
    };
}
function decodeWaypoint(bytes) {
    const w = (0, protobuf_1.fromBinary)(protobufs_1.Mesh.WaypointSchema, bytes);
    const waypoint = {
        id: w.id >>> 0,
        name: stripNul(w.name),
        description: stripNul(w.description),
        expire: w.expire >>> 0,
        lockedTo: w.lockedTo >>> 0,
        icon: w.icon >>> 0,
    };
    if (w.latitudeI !== undefined && w.longitudeI !== undefined) {
        waypoint.latitude = degrees(w.latitudeI);
        waypoint.longitude = degrees(w.longitudeI);
    }
    return waypoint;
}
function decodeStoreForward(bytes) {
    const s = (0, protobuf_1.fromBinary)(protobufs_1.StoreForward.StoreAndForwardSchema, bytes);
    const payload = { kind: enumName(protobufs_1.StoreForward.StoreAndForward_RequestResponse, s.rr) };
    if (s.variant.case === 'heartbeat') {
        payload.heartbeatPeriod = s.variant.value.period;
    }
    else if (s.variant.case === 'text') {
        payload.text = decodeText(s.variant.value);
    }
    return payload;
}
function raw(portnum, bytes) {
    return { type: 'raw', portnum, bytes };
}
/** Decodes a payload by port. Unknown ports are `raw`; a payload that does not parse is `raw` plus an error. */
function decodePayload(portnum, bytes) {
    try {
        return { payload: decodeKnownPayload(portnum, bytes) };
    }
    catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return { payload: raw(portnum, bytes), error: `${enumName(portnums_1.PortNum, portnum)}: ${reason}` };
    }
}
function decodeKnownPayload(portnum, bytes) {
    switch (portnum) {
        case portnums_1.PortNum.TEXT_MESSAGE_APP:
            return { type: 'text', text: decodeText(bytes) };
        case portnums_1.PortNum.POSITION_APP:
            return { type: 'position', position: decodePosition(bytes) };
        case portnums_1.PortNum.NODEINFO_APP:
            return { type: 'nodeinfo', user: decodeUser(bytes) };
        case portnums_1.PortNum.TELEMETRY_APP: {
            const telemetry = decodeTelemetry(bytes);
            return telemetry ? { type: 'telemetry', telemetry } : raw(portnum, bytes);
        }
        case portnums_1.PortNum.NEIGHBORINFO_APP:
            return { type: 'neighborinfo', neighborInfo: decodeNeighborInfo(bytes) };
        case portnums_1.PortNum.MAP_REPORT_APP:
            return { type: 'mapreport', mapReport: decodeMapReport(bytes) };
        case portnums_1.PortNum.ROUTING_APP: {
            const routing = decodeRouting(bytes);
            return routing ? { type: 'routing', routing } : raw(portnum, bytes);
        }
        case portnums_1.PortNum.TRACEROUTE_APP:
            return { type: 'traceroute', traceroute: decodeTraceroute(bytes) };
        case portnums_1.PortNum.WAYPOINT_APP:
            return { type: 'waypoint', waypoint: decodeWaypoint(bytes) };
        case portnums_1.PortNum.RANGE_TEST_APP:
            return { type: 'rangetest', text: decodeText(bytes) };
        case portnums_1.PortNum.DETECTION_SENSOR_APP:
            return { type: 'detection', text: decodeText(bytes) };
        case portnums_1.PortNum.ALERT_APP:
            return { type: 'alert', text: decodeText(bytes) };
        case portnums_1.PortNum.PAXCOUNTER_APP: {
            const p = (0, protobuf_1.fromBinary)(protobufs_1.PaxCount.PaxcountSchema, bytes);
            return { type: 'paxcounter', paxcounter: { wifi: p.wifi >>> 0, ble: p.ble >>> 0, uptime: p.uptime >>> 0 } };
        }
        case portnums_1.PortNum.STORE_FORWARD_APP:
            return { type: 'storeforward', storeForward: decodeStoreForward(bytes) };
        default:
            return raw(portnum, bytes);
    }
}
// ---- encoders (send path) -------------------------------------------------------------------------------------------
/** TEXT_MESSAGE_APP payload. */
function encodeText(text) {
    return utf8Encoder.encode(text);
}
/** NODEINFO_APP payload (`User`). */
function encodeUser(user) {
    return (0, protobuf_1.toBinary)(protobufs_1.Mesh.UserSchema, (0, protobuf_1.create)(protobufs_1.Mesh.UserSchema, {
        id: user.id,
        longName: user.longName,
        shortName: user.shortName,
        hwModel: user.hwModel,
        role: user.role,
        isLicensed: user.isLicensed ?? false,
        publicKey: user.publicKey ?? new Uint8Array(0),
    }));
}
/** ROUTING_APP payload of an ACK (error 0) or NAK: `Routing{error_reason}` (`18 00` for an ACK). */
function encodeRoutingAck(errorCode = 0) {
    return (0, protobuf_1.toBinary)(protobufs_1.Mesh.RoutingSchema, (0, protobuf_1.create)(protobufs_1.Mesh.RoutingSchema, { variant: { case: 'errorReason', value: errorCode } }));
}
/** Firmware `PositionPrecision`: keep the top `bits` bits and move to the centre of the cell. */
function reducePrecision(value, bits) {
    if (bits >= 32) {
        return value;
    }
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return (((value >>> 0) & mask) + (1 << (31 - bits))) | 0;
}
/** POSITION_APP payload (`Position`). */
function encodePosition(position) {
    const bits = normalisePrecisionBits(position.precisionBits);
    return (0, protobuf_1.toBinary)(protobufs_1.Mesh.PositionSchema, (0, protobuf_1.create)(protobufs_1.Mesh.PositionSchema, {
        latitudeI: reducePrecision(Math.round(position.latitude * 1e7), bits),
        longitudeI: reducePrecision(Math.round(position.longitude * 1e7), bits),
        altitude: position.altitude === undefined ? undefined : Math.round(position.altitude),
        time: position.time === undefined ? 0 : position.time >>> 0,
        precisionBits: bits,
    }));
}
