"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyRangeTest = applyRangeTest;
/** Firmware sends `seq 123`; anything else still counts as a range test packet, without a sequence. */
const SEQUENCE = /^\s*seq\s+(\d{1,10})\b/i;
function applyRangeTest(node, text, entry, nowMs, changes) {
    const record = { time: nowMs };
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
