/** RANGE_TEST_APP: the `seq N` counter and how the first gateway received it (RF metrics; none via MQTT only). */
import type { DedupEntry } from '../dedup';
import type { ChangeSet } from '../change-set';
import type { NodeRecord, RangeTestRecord } from '../types';

/** Firmware sends `seq 123`; anything else still counts as a range test packet, without a sequence. */
const SEQUENCE = /^\s*seq\s+(\d{1,10})\b/i;

export function applyRangeTest(
    node: NodeRecord,
    text: string,
    entry: Readonly<DedupEntry>,
    nowMs: number,
    changes: ChangeSet,
): void {
    const record: RangeTestRecord = { time: nowMs };
    const match = typeof text === 'string' ? SEQUENCE.exec(text.slice(0, 64)) : null;
    if (match) {
        record.sequence = Number(match[1]);
    }
    if (entry.rxSnr !== undefined) {
        record.snr = entry.rxSnr;
    }
    if (entry.rxRssi !== undefined) {
        record.rssi = entry.rxRssi;
    }
    node.rangeTest = record;
    changes.mark(node, 'rangeTest');
}
