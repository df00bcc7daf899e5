/** POSITION_APP: `Position` → PositionInfo (precision and accuracy), and the encoder of our own position. */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { Mesh } from '@meshtastic/protobufs';
import type { PositionInfo } from '../types';
import { degrees } from './fields';

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

export function decodePosition(bytes: Uint8Array): PositionInfo {
    return positionInfo(fromBinary(Mesh.PositionSchema, bytes));
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
