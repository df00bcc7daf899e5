/** `findNodes` and `getNode`: the node search of scripts and the admin. */
import { parseNodeId } from '../codec';
import type { MeshModel, NodeRecord } from '../mesh';
import { messageObject, type ApiResponse } from './context';
import { nodeSummary } from './node-summary';

const DEFAULT_FIND_LIMIT = 50;
const MAX_FIND_LIMIT = 1000;

/** The node a command names: `{ id }` or the message itself as text (`!a1b2c3d4`, hex or number). */
export function requestedNode(mesh: MeshModel, raw: unknown): { id: string; node?: Readonly<NodeRecord> } {
    const message = messageObject(raw);
    const id =
        typeof message.id === 'string' || typeof message.id === 'number'
            ? String(message.id)
            : typeof raw === 'string'
              ? raw
              : '';
    const num = parseNodeId(id);
    return { id, node: num === undefined ? undefined : mesh.node(num) };
}

/** `{ query, limit }` or the query as text: summaries of the matching nodes, at most `limit` (50, ≤ 1000). */
export function findNodes(mesh: MeshModel, raw: unknown): ApiResponse {
    const message = messageObject(raw);
    const query = typeof message.query === 'string' ? message.query : typeof raw === 'string' ? raw : '';
    const limit =
        typeof message.limit === 'number' && message.limit > 0
            ? Math.min(message.limit, MAX_FIND_LIMIT)
            : DEFAULT_FIND_LIMIT;
    return { nodes: mesh.findNodes(query, limit).map(nodeSummary) };
}

/** The detailed summary of one node, or `{ error }`. */
export function getNode(mesh: MeshModel, raw: unknown): ApiResponse {
    const { id, node } = requestedNode(mesh, raw);
    return node ? { node: nodeSummary(node, true) } : { error: `no node ${id}` };
}
