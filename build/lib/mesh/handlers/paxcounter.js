"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyPaxcounter = applyPaxcounter;
const telemetry_1 = require("./telemetry");
function applyPaxcounter(node, pax, changes) {
    (0, telemetry_1.applyTelemetry)(node, { variant: 'pax', time: 0, metrics: { wifi: pax.wifi, ble: pax.ble, uptime: pax.uptime } }, changes);
}
