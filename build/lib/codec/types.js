"use strict";
/**
 * Public types of the codec: what bytes from MQTT turn into. Pure data, no ioBroker, no I/O.
 * Numbers that are uint32 on the wire (node numbers, packet ids) are always unsigned JS numbers.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.TELEMETRY_VARIANTS = exports.BROADCAST_NUM = void 0;
exports.isTelemetryVariant = isTelemetryVariant;
/** Broadcast destination of `MeshPacket.to` (`NODENUM_BROADCAST`). */
exports.BROADCAST_NUM = 0xffffffff;
/** Every telemetry variant, in the order states and the tab list them: the one list of them. */
exports.TELEMETRY_VARIANTS = [
    'device',
    'environment',
    'airQuality',
    'power',
    'localStats',
    'health',
    'host',
    'pax',
];
/** True for a string that names a telemetry variant (input from restored objects or the network). */
function isTelemetryVariant(value) {
    return typeof value === 'string' && exports.TELEMETRY_VARIANTS.includes(value);
}
