"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.nodeSummary = nodeSummary;
const states_1 = require("../states");
/**
 * A JSON-friendly summary of a node (for sendTo answers). Only `detailed === true` adds telemetry, position, radio and
 * neighbours, so the function can be handed to `Array.map` directly (the index is ignored).
 */
function nodeSummary(node, detailed = false) {
    const summary = {
        id: node.id,
        num: node.num,
        hex: node.hex,
        objectId: (0, states_1.nodeBaseId)(node.hex),
        name: (0, states_1.nodeDisplayName)(node),
        lastHeard: node.lastHeard,
        presence: node.presence,
    };
    if (node.user) {
        summary.longName = node.user.longName;
        summary.shortName = node.user.shortName;
        summary.hwModel = node.user.hwModel;
        summary.role = node.user.role;
    }
    if (node.radio) {
        summary.hopsAway = node.radio.hopsAway;
        summary.snr = node.radio.snr;
        summary.rssi = node.radio.rssi;
        summary.viaMqtt = node.radio.viaMqtt;
    }
    if (node.position) {
        summary.latitude = node.position.latitude;
        summary.longitude = node.position.longitude;
    }
    if (detailed === true) {
        summary.details = {
            firmware: node.firmware,
            region: node.region,
            modemPreset: node.modemPreset,
            publicKey: node.user?.publicKey,
            position: node.position,
            telemetry: node.telemetry,
            radio: node.radio,
            neighbors: node.neighbors,
            lastText: node.lastText,
            traceroute: node.traceroute,
            detection: node.detection,
            alert: node.alert,
            rangeTest: node.rangeTest,
            packets: node.packets,
            lastMqtt: node.lastMqtt,
        };
    }
    return summary;
}
