"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.decodeTelemetry = decodeTelemetry;
/** TELEMETRY_APP: one metrics variant → its numeric fields, the ones the node sent. */
const protobuf_1 = require("@bufbuild/protobuf");
const protobufs_1 = require("@meshtastic/protobufs");
/** Telemetry oneof case → the adapter's variant name and the metrics message schema. */
const VARIANT_OF_CASE = {
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
/** Undefined for telemetry without a variant the adapter knows (kept raw by the caller). */
function decodeTelemetry(bytes) {
    const t = (0, protobuf_1.fromBinary)(protobufs_1.Telemetry.TelemetrySchema, bytes);
    const variant = t.variant;
    if (variant.case === undefined) {
        return undefined;
    }
    const known = VARIANT_OF_CASE[variant.case];
    if (known === undefined) {
        return undefined;
    }
    return { variant: known.variant, time: t.time >>> 0, metrics: numericFields(known.schema, variant.value) };
}
