/**
 * Record parts of the less common packet types (traceroute, detection sensor, alert, range test): their bounds and
 * the cleaning shared by the handlers (fresh data) and the restore (persisted data).
 */
import type { AlertRecord, DetectionRecord, NodeRecord, RangeTestRecord, RouteHop, TracerouteRecord } from './types';
import { finite, MAX_LONG_NAME, nodeIdOf, parseNodeId, sanitizeLabel, sanitizeText } from './util';

/** Firmware carries at most 8 relays each way (`ROUTE_SIZE`); more is hostile input. */
export const MAX_ROUTE_HOPS = 10;
/** Default time after which a detection's `alarm` falls back to false. */
export const DEFAULT_DETECTION_ALARM_MS = 60_000;

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A hop of a persisted or fresh route, undefined when its id is no node id. */
export function hopOf(raw: unknown): RouteHop | undefined {
    if (!isObject(raw) || typeof raw.id !== 'string') {
        return undefined;
    }
    const num = parseNodeId(raw.id);
    if (num === undefined) {
        return undefined;
    }
    const hop: RouteHop = { id: nodeIdOf(num) };
    const name = sanitizeLabel(raw.name, MAX_LONG_NAME);
    if (name) {
        hop.name = name;
    }
    const snr = finite(raw.snr);
    if (snr !== undefined) {
        hop.snr = snr;
    }
    return hop;
}

function hopsOf(raw: unknown): RouteHop[] {
    const hops: RouteHop[] = [];
    if (Array.isArray(raw)) {
        for (const item of raw.slice(0, MAX_ROUTE_HOPS + 2)) {
            const hop = hopOf(item);
            if (hop) {
                hops.push(hop);
            }
        }
    }
    return hops;
}

export function tracerouteOf(raw: unknown): TracerouteRecord | undefined {
    if (!isObject(raw) || typeof raw.from !== 'string' || parseNodeId(raw.from) === undefined) {
        return undefined;
    }
    return {
        time: finite(raw.time) ?? 0,
        from: nodeIdOf(parseNodeId(raw.from) as number),
        towards: hopsOf(raw.towards),
        back: hopsOf(raw.back),
    };
}

/** Copies the packet parts of a persisted record that are usable (restore). */
export function restorePacketParts(raw: Record<string, unknown>, record: NodeRecord): void {
    const traceroute = tracerouteOf(raw.traceroute);
    if (traceroute) {
        record.traceroute = traceroute;
    }
    if (isObject(raw.detection)) {
        const d = raw.detection;
        const detection: DetectionRecord = {
            text: sanitizeText(d.text),
            time: finite(d.time) ?? 0,
            alarm: d.alarm === true,
        };
        record.detection = detection;
    }
    if (isObject(raw.alert)) {
        const alert: AlertRecord = { text: sanitizeText(raw.alert.text), time: finite(raw.alert.time) ?? 0 };
        record.alert = alert;
    }
    if (isObject(raw.rangeTest)) {
        const r = raw.rangeTest;
        const rangeTest: RangeTestRecord = { time: finite(r.time) ?? 0 };
        for (const key of ['sequence', 'snr', 'rssi'] as const) {
            const n = finite(r[key]);
            if (n !== undefined) {
                rangeTest[key] = n;
            }
        }
        record.rangeTest = rangeTest;
    }
}
