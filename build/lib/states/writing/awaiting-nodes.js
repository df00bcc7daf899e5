"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AwaitingNodes = void 0;
/**
 * The nodes that await their objects during a flood (admission control, `writing/admission.ts`): their live
 * records, taken most recently heard first, or by how long they have awaited. No ioBroker here.
 */
const linked_map_1 = require("../../mesh/linked-map");
/**
 * Nodes awaiting their objects, by hex: the live record, taken most recently heard first (the mesh model evicts the
 * least recently heard, so those are the first to go). `set` adds or moves a node to the newest end; `pop` takes the
 * newest: a stack of (hex, sequence) with stale entries skipped and compacted, O(1) amortised. The linked map keeps
 * the order in which the nodes started to await, for `takeAwaitingSince` (O(1)).
 */
class AwaitingNodes {
    entries = new linked_map_1.LinkedMap();
    hexes = [];
    seqs = [];
    seq = 0;
    get size() {
        return this.entries.size;
    }
    has(hex) {
        return this.entries.has(hex);
    }
    /**
     * Adds the node (awaiting since `now`), or takes its newer record; it moves to the newest end when it was heard
     * since.
     */
    set(node, now) {
        const entry = this.entries.get(node.hex);
        if (entry !== undefined && entry.heard === node.lastHeard) {
            entry.node = node;
            return;
        }
        const seq = ++this.seq;
        if (entry !== undefined) {
            // keeps its place in the map (ordered by `since`); its old stack entry becomes stale
            entry.node = node;
            entry.heard = node.lastHeard;
            entry.seq = seq;
        }
        else {
            this.entries.set(node.hex, { node, heard: node.lastHeard, seq, since: now });
        }
        this.hexes.push(node.hex);
        this.seqs.push(seq);
        if (this.hexes.length > 2 * this.entries.size + 1024) {
            this.compact();
        }
    }
    delete(hex) {
        const entry = this.entries.delete(hex);
        if (entry === undefined) {
            return undefined;
        }
        if (this.entries.size === 0) {
            this.hexes = [];
            this.seqs = [];
        }
        return entry.node;
    }
    /** Removes and returns the most recently heard node. */
    pop() {
        while (this.hexes.length > 0) {
            const hex = this.hexes.pop();
            const seq = this.seqs.pop();
            const entry = this.entries.get(hex);
            if (entry !== undefined && entry.seq === seq) {
                this.entries.delete(hex);
                return entry.node;
            }
        }
        return undefined;
    }
    /** Removes and returns the node that awaits longest if it started to await at `cutoff` or before. */
    takeAwaitingSince(cutoff) {
        const entry = this.entries.oldest();
        if (entry === undefined || entry.since > cutoff) {
            return undefined;
        }
        this.entries.shift(); // its stack entry is skipped as stale
        return entry.node;
    }
    clear() {
        this.entries.clear();
        this.hexes = [];
        this.seqs = [];
    }
    compact() {
        const live = [...this.entries.values()].sort((a, b) => a.seq - b.seq);
        this.hexes = live.map(entry => entry.node.hex);
        this.seqs = live.map(entry => entry.seq);
    }
}
exports.AwaitingNodes = AwaitingNodes;
