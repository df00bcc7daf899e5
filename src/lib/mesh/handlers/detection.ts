/**
 * DETECTION_SENSOR_APP: the sensor's text, and an alarm that is true from each detection until `alarmMs` later
 * (the firmware sends no "clear"; `expireDetections` turns it off on the model's timer).
 */
import type { ChangeSet } from '../change-set';
import type { NodeRecord } from '../types';
import { sanitizeText } from '../util';

export function applyDetection(node: NodeRecord, text: string, nowMs: number, changes: ChangeSet): void {
    node.detection = { text: sanitizeText(text), time: nowMs, alarm: true };
    changes.mark(node, 'detection');
}

/** True when the node's alarm was on and is turned off now (its last detection is `alarmMs` old). */
export function expireDetection(node: NodeRecord, nowMs: number, alarmMs: number): boolean {
    const detection = node.detection;
    if (detection === undefined || !detection.alarm || nowMs - detection.time < alarmMs) {
        return false;
    }
    node.detection = { ...detection, alarm: false };
    return true;
}

/** Epoch ms at which the node's alarm falls back, undefined when it is off. */
export function detectionAlarmEnds(node: Readonly<NodeRecord>, alarmMs: number): number | undefined {
    return node.detection?.alarm ? node.detection.time + alarmMs : undefined;
}
