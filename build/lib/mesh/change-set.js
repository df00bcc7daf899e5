"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ChangeSet = void 0;
class ChangeSet {
    pending = new Map();
    removals = [];
    others = [];
    mark(node, section, isNew = false) {
        let entry = this.pending.get(node.num);
        if (entry === undefined || entry.node !== node) {
            entry = { node, sections: new Set(), isNew };
            this.pending.set(node.num, entry);
        }
        else if (isNew) {
            entry.isNew = true;
        }
        entry.sections.add(section);
    }
    removed(node, reason) {
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
    push(event) {
        this.others.push(event);
    }
    /** Removals first, then node events (so objects exist), then messages and unknown-channel events. */
    events() {
        const out = [...this.removals];
        for (const { node, sections, isNew } of this.pending.values()) {
            if (sections.size > 0 || isNew) {
                out.push({ type: 'node', node, sections, isNew });
            }
        }
        out.push(...this.others);
        return out;
    }
}
exports.ChangeSet = ChangeSet;
