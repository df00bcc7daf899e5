/** NEIGHBORINFO_APP: the sender's neighbour list with SNR, bounded. */
import type { NeighborInfoPayload } from '../../codec/types';
import type { ChangeSet } from '../change-set';
import { neighborsOf } from '../record';
import type { NodeRecord } from '../types';

export function applyNeighbors(node: NodeRecord, info: NeighborInfoPayload, changes: ChangeSet): void {
    const next = neighborsOf(Array.isArray(info.neighbors) ? info.neighbors : []);
    const current = node.neighbors;
    const same =
        current !== undefined &&
        current.length === next.length &&
        current.every((c, i) => c.nodeId === next[i].nodeId && c.snr === next[i].snr);
    if (!same) {
        node.neighbors = next;
        changes.mark(node, 'neighbors');
    }
}
