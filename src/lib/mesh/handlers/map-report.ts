/**
 * MAP_REPORT_APP (`<root>/2/map/`): a gateway describes itself. It is MQTT-present; empty fields keep what is known
 * (NodeInfo is the richer source for names).
 */
import type { MapReportPayload, PositionInfo } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import { updatePresence } from '../presence';
import type { NodeRecord, NodeUser } from '../types';
import { finite, MAX_LABEL, MAX_LONG_NAME, MAX_SHORT_NAME, sanitizeLabel, shallowEqual } from '../util';
import { precisionRadiusMeters, setPosition, validLatLon } from './position';

/** Names, firmware, region and preset; true when any of them changed. */
function applyInfo(node: NodeRecord, report: MapReportPayload): boolean {
    const previous = node.user;
    const nextUser: NodeUser = {
        longName: sanitizeLabel(report.longName, MAX_LONG_NAME) || previous?.longName || '',
        shortName: sanitizeLabel(report.shortName, MAX_SHORT_NAME) || previous?.shortName || '',
        hwModel: sanitizeLabel(report.hwModel, MAX_LABEL) || previous?.hwModel || '',
        role: sanitizeLabel(report.role, MAX_LABEL) || previous?.role || '',
        isLicensed: previous?.isLicensed ?? false,
        isUnmessagable: previous?.isUnmessagable ?? false,
    };
    if (previous?.publicKey !== undefined) {
        nextUser.publicKey = previous.publicKey;
    }
    let changed = false;
    if (!shallowEqual(previous, nextUser)) {
        node.user = nextUser;
        changed = true;
    }
    for (const [key, raw] of [
        ['firmware', report.firmwareVersion],
        ['region', report.region],
        ['modemPreset', report.modemPreset],
    ] as const) {
        const value = sanitizeLabel(raw, MAX_LABEL);
        if (value && node[key] !== value) {
            node[key] = value;
            changed = true;
        }
    }
    const online = finite(report.numOnlineLocalNodes);
    if (online !== undefined && node.numOnlineLocalNodes !== online) {
        node.numOnlineLocalNodes = online;
        changed = true;
    }
    return changed;
}

function reportedPosition(report: MapReportPayload): PositionInfo | undefined {
    const latitude = finite(report.latitude);
    const longitude = finite(report.longitude);
    if (!validLatLon(latitude, longitude)) {
        return undefined;
    }
    const precision = finite(report.positionPrecision) ?? 0;
    const precisionBits = precision > 0 && precision <= 32 ? Math.floor(precision) : 32;
    const next: PositionInfo = {
        latitude,
        longitude,
        precisionBits,
        accuracyMeters: precisionRadiusMeters(precisionBits),
    };
    const altitude = finite(report.altitude);
    if (altitude !== undefined) {
        next.altitude = altitude;
    }
    return next;
}

export function applyMapReport(
    node: NodeRecord,
    report: MapReportPayload,
    nowMs: number,
    offlineAfterMs: number,
    changes: ChangeSet,
): void {
    node.lastMqtt = nowMs;
    updatePresence(node, nowMs, offlineAfterMs);
    changes.mark(node, 'status');
    if (applyInfo(node, report)) {
        changes.mark(node, 'info');
    }
    const position = reportedPosition(report);
    if (position !== undefined) {
        setPosition(node, position, changes);
    }
}
