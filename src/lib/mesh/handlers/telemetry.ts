/** TELEMETRY_APP: metrics merged per variant; names and counts are bounded (a hostile node could send many). */
import type { TelemetryInfo } from '../../codec/types';
import { isTelemetryVariant } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import { MAX_METRICS_PER_VARIANT, METRIC_NAME } from '../record';
import type { NodeRecord } from '../types';
import { finite } from '../util';

export function applyTelemetry(node: NodeRecord, telemetry: TelemetryInfo, changes: ChangeSet): void {
    const variant = telemetry.variant;
    if (!isTelemetryVariant(variant) || typeof telemetry.metrics !== 'object' || telemetry.metrics === null) {
        return;
    }
    const next: Record<string, number> = { ...node.telemetry[variant] };
    let count = Object.keys(next).length;
    let changed = false;
    for (const [name, value] of Object.entries(telemetry.metrics)) {
        const n = finite(value);
        if (n === undefined || !METRIC_NAME.test(name)) {
            continue;
        }
        const known = Object.prototype.hasOwnProperty.call(next, name);
        if (!known && count >= MAX_METRICS_PER_VARIANT) {
            continue;
        }
        if (!known || next[name] !== n) {
            next[name] = n;
            changed = true;
            if (!known) {
                count++;
            }
        }
    }
    if (changed) {
        node.telemetry[variant] = next;
        changes.mark(node, `telemetry.${variant}`);
    }
}
