"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyTelemetry = applyTelemetry;
const types_1 = require("../../codec/types");
const record_1 = require("../record");
const util_1 = require("../util");
function applyTelemetry(node, telemetry, changes) {
    const variant = telemetry.variant;
    if (!(0, types_1.isTelemetryVariant)(variant) || typeof telemetry.metrics !== 'object' || telemetry.metrics === null) {
        return;
    }
    const next = { ...node.telemetry[variant] };
    let count = Object.keys(next).length;
    let changed = false;
    for (const [name, value] of Object.entries(telemetry.metrics)) {
        const n = (0, util_1.finite)(value);
        if (n === undefined || !record_1.METRIC_NAME.test(name)) {
            continue;
        }
        const known = Object.prototype.hasOwnProperty.call(next, name);
        if (!known && count >= record_1.MAX_METRICS_PER_VARIANT) {
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
