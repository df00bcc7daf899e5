/**
 * Three-state presence (MESS.HOST style): `mqtt` (uplinked itself lately), `rf` (heard lately), `offline`.
 * Definitions: docs/ARCHITECTURE.md, "Presence".
 */
import type { NodeRecord, Presence } from './types';

export function offlineMs(offlineMinutes: number): number {
    return Math.max(0, offlineMinutes) * 60_000;
}

function recent(timeMs: number, nowMs: number, windowMs: number): boolean {
    return timeMs > 0 && nowMs - timeMs < windowMs;
}

export function computePresence(
    node: Pick<NodeRecord, 'lastHeard' | 'lastMqtt'>,
    nowMs: number,
    offlineAfterMs: number,
): Presence {
    if (recent(node.lastMqtt, nowMs, offlineAfterMs)) {
        return 'mqtt';
    }
    if (recent(node.lastHeard, nowMs, offlineAfterMs)) {
        return 'rf';
    }
    return 'offline';
}

/** Recomputes `node.presence`; returns true when it changed. */
export function updatePresence(
    node: Pick<NodeRecord, 'lastHeard' | 'lastMqtt' | 'presence'>,
    nowMs: number,
    offlineAfterMs: number,
): boolean {
    const presence = computePresence(node, nowMs, offlineAfterMs);
    if (presence === node.presence) {
        return false;
    }
    node.presence = presence;
    return true;
}
