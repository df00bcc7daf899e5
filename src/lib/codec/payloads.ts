/**
 * Port payloads (spec §4) → plain typed values, and the few encoders the send path needs.
 * Enum values become their names; numbers unknown to the bundled protobufs become the number as a string.
 */
import { create, type DescMessage, fromBinary, isFieldSet, type Message, toBinary } from '@bufbuild/protobuf';
import { Config, Mesh, Mqtt, PaxCount, StoreForward, Telemetry } from '@meshtastic/protobufs';
import { PortNum } from './portnums';
import type {
    MapReportPayload,
    MeshPayload,
    NeighborInfoPayload,
    PositionInfo,
    RoutingPayload,
    StoreForwardPayload,
    TelemetryInfo,
    TelemetryVariant,
    TraceroutePayload,
    UserInfo,
    WaypointPayload,
} from './types';

/** Invalid UTF-8 becomes U+FFFD instead of throwing (nodes send truncated multi-byte text). */
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** Name of a numeric enum value, or the number as a string when the bundled protobufs do not know it. */
export function enumName(enumObject: object, value: number): string {
    const name: unknown = (enumObject as Record<number, unknown>)[value];
    return typeof name === 'string' ? name : String(value);
}

/** UTF-8 text; invalid sequences are replaced, never thrown. */
export function decodeText(bytes: Uint8Array): string {
    return utf8Decoder.decode(bytes);
}

/** Firmware leaks fixed-size C buffers into names (NUL padding); NULs are never meaningful in a name. */
export function stripNul(text: string): string {
    return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

/** Degrees from a protobuf `*_i` coordinate (1e-7 degrees). */
function degrees(value: number): number {
    // Division (not × 1e-7) keeps results like -82.82174 free of representation noise.
    return value / 1e7;
}

/** Metres per degree of latitude (WGS84 mean), used for the precision-cell size. */
const METRES_PER_DEGREE = 111_320;

/** Precision bits as firmware means them: absent/0 (pre-2.3 packets) ⇒ full precision (32). */
export function normalisePrecisionBits(bits: number | undefined): number {
    return bits === undefined || !Number.isFinite(bits) || bits <= 0 || bits >= 32 ? 32 : Math.floor(bits);
}

/** Radius in metres of the precision cell for `bits` (half the cell size; 0 at full precision). */
export function accuracyMeters(bits: number): number {
    const p = normalisePrecisionBits(bits);
    return p >= 32 ? 0 : (Math.pow(2, 32 - p) * 1e-7 * METRES_PER_DEGREE) / 2;
}

// ---- decoders -------------------------------------------------------------------------------------------------------

export function positionInfo(fields: {
    latitudeI?: number;
    longitudeI?: number;
    altitude?: number;
    time?: number;
    timestamp?: number;
    groundSpeed?: number;
    groundTrack?: number;
    satsInView?: number;
    precisionBits?: number;
}): PositionInfo {
    const precisionBits = normalisePrecisionBits(fields.precisionBits);
    const position: PositionInfo = { precisionBits, accuracyMeters: accuracyMeters(precisionBits) };
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

function decodePosition(bytes: Uint8Array): PositionInfo {
    return positionInfo(fromBinary(Mesh.PositionSchema, bytes));
}

function decodeUser(bytes: Uint8Array): UserInfo {
    const u = fromBinary(Mesh.UserSchema, bytes);
    const user: UserInfo = {
        id: u.id,
        longName: stripNul(u.longName),
        shortName: stripNul(u.shortName),
        hwModel: enumName(Mesh.HardwareModel, u.hwModel),
        hwModelNumber: u.hwModel,
        role: enumName(Config.Config_DeviceConfig_Role, u.role),
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
const TELEMETRY_VARIANTS: Record<string, { variant: TelemetryVariant; schema: DescMessage } | undefined> = {
    deviceMetrics: { variant: 'device', schema: Telemetry.DeviceMetricsSchema },
    environmentMetrics: { variant: 'environment', schema: Telemetry.EnvironmentMetricsSchema },
    airQualityMetrics: { variant: 'airQuality', schema: Telemetry.AirQualityMetricsSchema },
    powerMetrics: { variant: 'power', schema: Telemetry.PowerMetricsSchema },
    localStats: { variant: 'localStats', schema: Telemetry.LocalStatsSchema },
    healthMetrics: { variant: 'health', schema: Telemetry.HealthMetricsSchema },
    hostMetrics: { variant: 'host', schema: Telemetry.HostMetricsSchema },
};

/**
 * Numeric fields of a metrics message. Fields with explicit presence (proto3 `optional`, all sensor metrics) only
 * when the node sent them; implicit-presence fields (local stats, host metrics) always, because there 0 is a real
 * value the sender simply did not write. bigint (uint64) becomes number; strings and non-finite floats are left out.
 */
function numericFields(schema: DescMessage, message: Message): Record<string, number> {
    const metrics: Record<string, number> = {};
    const values = message as unknown as Record<string, unknown>;
    for (const field of schema.fields) {
        if (field.fieldKind !== 'scalar' || (field.presence === 1 && !isFieldSet(message, field))) {
            continue;
        }
        const value = values[field.localName];
        if (typeof value === 'number') {
            if (Number.isFinite(value)) {
                metrics[field.localName] = value;
            }
        } else if (typeof value === 'bigint') {
            metrics[field.localName] = Number(value);
        }
    }
    return metrics;
}

function decodeTelemetry(bytes: Uint8Array): TelemetryInfo | undefined {
    const t = fromBinary(Telemetry.TelemetrySchema, bytes);
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

function decodeNeighborInfo(bytes: Uint8Array): NeighborInfoPayload {
    const n = fromBinary(Mesh.NeighborInfoSchema, bytes);
    return {
        nodeId: n.nodeId >>> 0,
        lastSentById: n.lastSentById >>> 0,
        broadcastIntervalSecs: n.nodeBroadcastIntervalSecs >>> 0,
        neighbors: n.neighbors.map(neighbor => ({ nodeId: neighbor.nodeId >>> 0, snr: neighbor.snr })),
    };
}

function decodeMapReport(bytes: Uint8Array): MapReportPayload {
    const m = fromBinary(Mqtt.MapReportSchema, bytes);
    const report: MapReportPayload = {
        longName: stripNul(m.longName),
        shortName: stripNul(m.shortName),
        role: enumName(Config.Config_DeviceConfig_Role, m.role),
        hwModel: enumName(Mesh.HardwareModel, m.hwModel),
        firmwareVersion: m.firmwareVersion,
        region: enumName(Config.Config_LoRaConfig_RegionCode, m.region),
        modemPreset: enumName(Config.Config_LoRaConfig_ModemPreset, m.modemPreset),
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

function decodeRouting(bytes: Uint8Array): RoutingPayload | undefined {
    const r = fromBinary(Mesh.RoutingSchema, bytes);
    switch (r.variant.case) {
        case 'errorReason': {
            const code = r.variant.value;
            return {
                kind: code === 0 ? 'ack' : 'nak',
                errorReason: enumName(Mesh.Routing_Error, code),
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
function snrValues(values: number[]): (number | undefined)[] {
    return values.map(v => (v === -128 ? undefined : v / 4));
}

function decodeTraceroute(bytes: Uint8Array): TraceroutePayload {
    const r = fromBinary(Mesh.RouteDiscoverySchema, bytes);
    return {
        route: r.route.map(n => n >>> 0),
        snrTowards: snrValues(r.snrTowards),
        routeBack: r.routeBack.map(n => n >>> 0),
        snrBack: snrValues(r.snrBack),
    };
}

function decodeWaypoint(bytes: Uint8Array): WaypointPayload {
    const w = fromBinary(Mesh.WaypointSchema, bytes);
    const waypoint: WaypointPayload = {
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

function decodeStoreForward(bytes: Uint8Array): StoreForwardPayload {
    const s = fromBinary(StoreForward.StoreAndForwardSchema, bytes);
    const payload: StoreForwardPayload = { kind: enumName(StoreForward.StoreAndForward_RequestResponse, s.rr) };
    if (s.variant.case === 'heartbeat') {
        payload.heartbeatPeriod = s.variant.value.period;
    } else if (s.variant.case === 'text') {
        payload.text = decodeText(s.variant.value);
    }
    return payload;
}

function raw(portnum: number, bytes: Uint8Array): MeshPayload {
    return { type: 'raw', portnum, bytes };
}

/** Decodes a payload by port. Unknown ports are `raw`; a payload that does not parse is `raw` plus an error. */
export function decodePayload(portnum: number, bytes: Uint8Array): { payload: MeshPayload; error?: string } {
    try {
        return { payload: decodeKnownPayload(portnum, bytes) };
    } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return { payload: raw(portnum, bytes), error: `${enumName(PortNum, portnum)}: ${reason}` };
    }
}

function decodeKnownPayload(portnum: number, bytes: Uint8Array): MeshPayload {
    switch (portnum) {
        case PortNum.TEXT_MESSAGE_APP:
            return { type: 'text', text: decodeText(bytes) };
        case PortNum.POSITION_APP:
            return { type: 'position', position: decodePosition(bytes) };
        case PortNum.NODEINFO_APP:
            return { type: 'nodeinfo', user: decodeUser(bytes) };
        case PortNum.TELEMETRY_APP: {
            const telemetry = decodeTelemetry(bytes);
            return telemetry ? { type: 'telemetry', telemetry } : raw(portnum, bytes);
        }
        case PortNum.NEIGHBORINFO_APP:
            return { type: 'neighborinfo', neighborInfo: decodeNeighborInfo(bytes) };
        case PortNum.MAP_REPORT_APP:
            return { type: 'mapreport', mapReport: decodeMapReport(bytes) };
        case PortNum.ROUTING_APP: {
            const routing = decodeRouting(bytes);
            return routing ? { type: 'routing', routing } : raw(portnum, bytes);
        }
        case PortNum.TRACEROUTE_APP:
            return { type: 'traceroute', traceroute: decodeTraceroute(bytes) };
        case PortNum.WAYPOINT_APP:
            return { type: 'waypoint', waypoint: decodeWaypoint(bytes) };
        case PortNum.RANGE_TEST_APP:
            return { type: 'rangetest', text: decodeText(bytes) };
        case PortNum.DETECTION_SENSOR_APP:
            return { type: 'detection', text: decodeText(bytes) };
        case PortNum.ALERT_APP:
            return { type: 'alert', text: decodeText(bytes) };
        case PortNum.PAXCOUNTER_APP: {
            const p = fromBinary(PaxCount.PaxcountSchema, bytes);
            return { type: 'paxcounter', paxcounter: { wifi: p.wifi >>> 0, ble: p.ble >>> 0, uptime: p.uptime >>> 0 } };
        }
        case PortNum.STORE_FORWARD_APP:
            return { type: 'storeforward', storeForward: decodeStoreForward(bytes) };
        default:
            return raw(portnum, bytes);
    }
}

// ---- encoders (send path) -------------------------------------------------------------------------------------------

/** TEXT_MESSAGE_APP payload. */
export function encodeText(text: string): Uint8Array {
    return utf8Encoder.encode(text);
}

/** What a NODEINFO announcement carries. */
export interface UserInput {
    id: string;
    longName: string;
    shortName: string;
    hwModel: number;
    role: number;
    publicKey?: Uint8Array;
    isLicensed?: boolean;
}

/** NODEINFO_APP payload (`User`). */
export function encodeUser(user: UserInput): Uint8Array {
    return toBinary(
        Mesh.UserSchema,
        create(Mesh.UserSchema, {
            id: user.id,
            longName: user.longName,
            shortName: user.shortName,
            hwModel: user.hwModel,
            role: user.role,
            isLicensed: user.isLicensed ?? false,
            publicKey: user.publicKey ?? new Uint8Array(0),
        }),
    );
}

/** ROUTING_APP payload of an ACK (error 0) or NAK: `Routing{error_reason}` (`18 00` for an ACK). */
export function encodeRoutingAck(errorCode = 0): Uint8Array {
    return toBinary(
        Mesh.RoutingSchema,
        create(Mesh.RoutingSchema, { variant: { case: 'errorReason', value: errorCode } }),
    );
}

/** What a position broadcast carries; degrees and metres. */
export interface PositionInput {
    latitude: number;
    longitude: number;
    altitude?: number;
    /** Epoch seconds of the fix. */
    time?: number;
    /** 1..32; below 32 the coordinates are snapped to the centre of the cell like firmware does. */
    precisionBits?: number;
}

/** Firmware `PositionPrecision`: keep the top `bits` bits and move to the centre of the cell. */
function reducePrecision(value: number, bits: number): number {
    if (bits >= 32) {
        return value;
    }
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return (((value >>> 0) & mask) + (1 << (31 - bits))) | 0;
}

/** POSITION_APP payload (`Position`). */
export function encodePosition(position: PositionInput): Uint8Array {
    const bits = normalisePrecisionBits(position.precisionBits);
    return toBinary(
        Mesh.PositionSchema,
        create(Mesh.PositionSchema, {
            latitudeI: reducePrecision(Math.round(position.latitude * 1e7), bits),
            longitudeI: reducePrecision(Math.round(position.longitude * 1e7), bits),
            altitude: position.altitude === undefined ? undefined : Math.round(position.altitude),
            time: position.time === undefined ? 0 : position.time >>> 0,
            precisionBits: bits,
        }),
    );
}
