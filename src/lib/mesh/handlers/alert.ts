/** ALERT_APP: a text to be shown with priority: kept as the node's last alert and passed on as a flagged text. */
import type { DecodedPacket } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import type { DedupEntry } from '../dedup';
import type { NodeRecord } from '../types';
import { sanitizeText } from '../util';
import { applyText, type TextSinks } from './text';

export function applyAlert(
    node: NodeRecord,
    packet: DecodedPacket,
    text: string,
    entry: Readonly<DedupEntry>,
    nowMs: number,
    changes: ChangeSet,
    sinks: TextSinks,
): void {
    node.alert = { text: sanitizeText(text), time: nowMs };
    changes.mark(node, 'alert');
    applyText(node, packet, text, entry, nowMs, changes, sinks, true);
}
