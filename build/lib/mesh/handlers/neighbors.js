"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.applyNeighbors = applyNeighbors;
const record_1 = require("../record");
function applyNeighbors(node, info, changes) {
    const next = (0, record_1.neighborsOf)(Array.isArray(info.neighbors) ? info.neighbors : []);
    const current = node.neighbors;
    const same = current !== undefined &&
        current.length === next.length &&
        current.every((c, i) => c.nodeId === next[i].nodeId && c.snr === next[i].snr);
    if (!same) {
        node.neighbors = next;
        changes.mark(node, 'neighbors');
    }
}
