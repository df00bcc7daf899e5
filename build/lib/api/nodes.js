"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.requestedNode = requestedNode;
exports.findNodes = findNodes;
exports.getNode = getNode;
/** `findNodes` and `getNode`: the node search of scripts and the admin. */
const codec_1 = require("../codec");
const context_1 = require("./context");
const node_summary_1 = require("./node-summary");
const DEFAULT_FIND_LIMIT = 50;
const MAX_FIND_LIMIT = 1000;
/** The node a command names: `{ id }` or the message itself as text (`!a1b2c3d4`, hex or number). */
function requestedNode(mesh, raw) {
    const message = (0, context_1.messageObject)(raw);
    const id = typeof message.id === 'string' || typeof message.id === 'number'
        ? String(message.id)
        : typeof raw === 'string'
            ? raw
            : '';
    const num = (0, codec_1.parseNodeId)(id);
    return { id, node: num === undefined ? undefined : mesh.node(num) };
}
/** `{ query, limit }` or the query as text: summaries of the matching nodes, at most `limit` (50, ≤ 1000). */
function findNodes(mesh, raw) {
    const message = (0, context_1.messageObject)(raw);
    const query = typeof message.query === 'string' ? message.query : typeof raw === 'string' ? raw : '';
    const limit = typeof message.limit === 'number' && message.limit > 0
        ? Math.min(message.limit, MAX_FIND_LIMIT)
        : DEFAULT_FIND_LIMIT;
    return { nodes: mesh.findNodes(query, limit).map(node_summary_1.nodeSummary) };
}
/** The detailed summary of one node, or `{ error }`. */
function getNode(mesh, raw) {
    const { id, node } = requestedNode(mesh, raw);
    return node ? { node: (0, node_summary_1.nodeSummary)(node, true) } : { error: `no node ${id}` };
}
