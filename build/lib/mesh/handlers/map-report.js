"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyMapReport = applyMapReport;
const presence_1 = require("../presence");
const util_1 = require("../util");
const position_1 = require("./position");
/** Names, firmware, region and preset; true when any of them changed. */
function applyInfo(node, report) {
    const previous = node.user;
    const nextUser = {
        longName: (0, util_1.sanitizeLabel)(report.longName, util_1.MAX_LONG_NAME) || previous?.longName || '',
        shortName: (0, util_1.sanitizeLabel)(report.shortName, util_1.MAX_SHORT_NAME) || previous?.shortName || '',
        hwModel: (0, util_1.sanitizeLabel)(report.hwModel, util_1.MAX_LABEL) || previous?.hwModel || '',
        role: (0, util_1.sanitizeLabel)(report.role, util_1.MAX_LABEL) || previous?.role || '',
        isLicensed: previous?.isLicensed ?? false,
        isUnmessagable: previous?.isUnmessagable ?? false,
    };
    if (previous?.publicKey !== undefined) {
        nextUser.publicKey = previous.publicKey;
    }
    let changed = false;
    if (!(0, util_1.shallowEqual)(previous, nextUser)) {
        node.user = nextUser;
        changed = true;
    }
    for (const [key, raw] of [
        ['firmware', report.firmwareVersion],
        ['region', report.region],
        ['modemPreset', report.modemPreset],
    ]) {
        const value = (0, util_1.sanitizeLabel)(raw, util_1.MAX_LABEL);
        if (value && node[key] !== value) {
            node[key] = value;
            changed = true;
        }
    }
    const online = (0, util_1.finite)(report.numOnlineLocalNodes);
    if (online !== undefined && node.numOnlineLocalNodes !== online) {
        node.numOnlineLocalNodes = online;
        changed = true;
    }
    return changed;
}
function reportedPosition(report) {
    const latitude = (0, util_1.finite)(report.latitude);
    const longitude = (0, util_1.finite)(report.longitude);
    if (!(0, position_1.validLatLon)(latitude, longitude)) {
        return undefined;
    }
    const precision = (0, util_1.finite)(report.positionPrecision) ?? 0;
    const precisionBits = precision > 0 && precision <= 32 ? Math.floor(precision) : 32;
    const next = {
        latitude,
        longitude,
        precisionBits,
        accuracyMeters: (0, position_1.precisionRadiusMeters)(precisionBits),
    };
    const altitude = (0, util_1.finite)(report.altitude);
    if (altitude !== undefined) {
        next.altitude = altitude;
    }
    return next;
}
function applyMapReport(node, report, nowMs, offlineAfterMs, changes) {
    node.lastMqtt = nowMs;
    (0, presence_1.updatePresence)(node, nowMs, offlineAfterMs);
    changes.mark(node, 'status');
    if (applyInfo(node, report)) {
        changes.mark(node, 'info');
    }
    const position = reportedPosition(report);
    if (position !== undefined) {
        (0, position_1.setPosition)(node, position, changes);
    }
}
