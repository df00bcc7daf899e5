/** `traceroute`: a traceroute from the virtual node to one node, answered with the route or a failure. */
import { parseNodeId } from '../codec';
import { messageObject, type ApiContext, type ApiResponse } from './context';
import { SENDING_OFF } from './send';

/**
 * `{ to }` or the node id as text. The answer: `{ id, to, route }` with the route as `nodes.<hex>.traceroute.route`
 * holds it (JSON: towards, back, each hop's id, name and SNR), or `{ id, to, error }` (bad node, hourly bound, timeout).
 */
export async function traceroute(ctx: ApiContext, raw: unknown): Promise<ApiResponse> {
    if (!ctx.messenger) {
        return { error: SENDING_OFF };
    }
    const message = messageObject(raw);
    const to = message.to ?? (typeof raw === 'string' ? raw : undefined);
    const result = await ctx.messenger.traceroute(to);
    if (result.status === 'failed') {
        return { id: result.id, to: result.to, error: result.error };
    }
    // the mesh model took the reply right after the send path saw it; its record names the hops
    const num = parseNodeId(result.to);
    const record = num === undefined ? undefined : ctx.mesh.node(num)?.traceroute;
    return { id: result.id, to: result.to, route: record ?? result.route };
}
