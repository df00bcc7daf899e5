/** TELEMETRY_APP: one metrics variant → its numeric fields, the ones the node sent. */
import { type DescMessage, fromBinary, isFieldSet, type Message } from '@bufbuild/protobuf';
import { Telemetry } from '@meshtastic/protobufs';
import type { TelemetryInfo, TelemetryVariant } from '../types';

/** Telemetry oneof case → the adapter's variant name and the metrics message schema. */
const VARIANT_OF_CASE: Record<string, { variant: TelemetryVariant; schema: DescMessage } | undefined> = {
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

/** Undefined for telemetry without a variant the adapter knows (kept raw by the caller). */
export function decodeTelemetry(bytes: Uint8Array): TelemetryInfo | undefined {
    const t = fromBinary(Telemetry.TelemetrySchema, bytes);
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
