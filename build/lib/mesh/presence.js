"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.offlineMs = offlineMs;
exports.computePresence = computePresence;
exports.updatePresence = updatePresence;
function offlineMs(offlineMinutes) {
    return Math.max(0, offlineMinutes) * 60_000;
}
function recent(timeMs, nowMs, windowMs) {
    return timeMs > 0 && nowMs - timeMs < windowMs;
}
function computePresence(node, nowMs, offlineAfterMs) {
    if (recent(node.lastMqtt, nowMs, offlineAfterMs)) {
        return 'mqtt';
    }
    if (recent(node.lastHeard, nowMs, offlineAfterMs)) {
        return 'rf';
    }
    return 'offline';
}
/** Recomputes `node.presence`; returns true when it changed. */
function updatePresence(node, nowMs, offlineAfterMs) {
    const presence = computePresence(node, nowMs, offlineAfterMs);
    if (presence === node.presence) {
        return false;
    }
    node.presence = presence;
    return true;
}
