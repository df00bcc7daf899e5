"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.normalisePrecisionBits = normalisePrecisionBits;
exports.accuracyMeters = accuracyMeters;
exports.positionInfo = positionInfo;
exports.decodePosition = decodePosition;
exports.encodePosition = encodePosition;
/** POSITION_APP: `Position` → PositionInfo (precision and accuracy), and the encoder of our own position. */
const protobuf_1 = require("@bufbuild/protobuf");
const protobufs_1 = require("@meshtastic/protobufs");
const fields_1 = require("./fields");
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
function positionInfo(fields) {
    const precisionBits = normalisePrecisionBits(fields.precisionBits);
    const position = { precisionBits, accuracyMeters: accuracyMeters(precisionBits) };
    const lat = fields.latitudeI;
    const lon = fields.longitudeI;
    // Exactly 0/0 is firmware's "no fix" (pre-optional firmware could not omit the fields).
    if (lat !== undefined && lon !== undefined && (lat !== 0 || lon !== 0)) {
        position.latitude = (0, fields_1.degrees)(lat);
        position.longitude = (0, fields_1.degrees)(lon);
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
