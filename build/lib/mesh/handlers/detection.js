"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyDetection = applyDetection;
exports.expireDetection = expireDetection;
exports.detectionAlarmEnds = detectionAlarmEnds;
const util_1 = require("../util");
function applyDetection(node, text, nowMs, changes) {
    node.detection = { text: (0, util_1.sanitizeText)(text), time: nowMs, alarm: true };
    changes.mark(node, 'detection');
}
/** True when the node's alarm was on and is turned off now (its last detection is `alarmMs` old). */
function expireDetection(node, nowMs, alarmMs) {
    const detection = node.detection;
    if (detection === undefined || !detection.alarm || nowMs - detection.time < alarmMs) {
        return false;
    }
    node.detection = { ...detection, alarm: false };
    return true;
}
/** Epoch ms at which the node's alarm falls back, undefined when it is off. */
function detectionAlarmEnds(node, alarmMs) {
    return node.detection?.alarm ? node.detection.time + alarmMs : undefined;
}
