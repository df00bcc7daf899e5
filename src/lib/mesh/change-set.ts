/** What one call into the model changed, so each node gets at most one `node` event carrying all its sections. */
import type { MeshEvent, NodeRecord, NodeSection } from './types';

interface PendingNode {
    node: NodeRecord;
    sections: Set<NodeSection>;
    isNew: boolean;
}

export class ChangeSet {
    private readonly pending = new Map<number, PendingNode>();
    private readonly removals: MeshEvent[] = [];
    private readonly others: MeshEvent[] = [];

    mark(node: NodeRecord, section: NodeSection, isNew = false): void {
        let entry = this.pending.get(node.num);
        if (entry === undefined || entry.node !== node) {
            entry = { node, sections: new Set<NodeSection>(), isNew };
            this.pending.set(node.num, entry);
        } else if (isNew) {
            entry.isNew = true;
        }
        entry.sections.add(section);
    }

    removed(node: NodeRecord, reason: 'maxNodes' | 'purge'): void {
        const entry = this.pending.get(node.num);
        if (entry !== undefined && entry.node === node) {
            this.pending.delete(node.num);
            if (entry.isNew) {
                // Created and dropped within the same call: nobody has seen it, nothing to remove.
                return;
            }
        }
        this.removals.push({ type: 'nodeRemoved', num: node.num, hex: node.hex, reason });
    }

    push(event: MeshEvent): void {
        this.others.push(event);
    }

    /** Removals first, then node events (so objects exist), then messages and unknown-channel events. */
    events(): MeshEvent[] {
        const out: MeshEvent[] = [...this.removals];
        for (const { node, sections, isNew } of this.pending.values()) {
            if (sections.size > 0 || isNew) {
                out.push({ type: 'node', node, sections, isNew });
            }
        }
        out.push(...this.others);
        return out;
    }
}
