"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.traceroute = traceroute;
/** `traceroute`: a traceroute from the virtual node to one node, answered with the route or a failure. */
const codec_1 = require("../codec");
const context_1 = require("./context");
const send_1 = require("./send");
/**
 * `{ to }` or the node id as text. The answer: `{ id, to, route }` with the route as `nodes.<hex>.traceroute.route`
 * holds it (JSON: towards, back, each hop's id, name and SNR), or `{ id, to, error }` (bad node, hourly bound, timeout).
 */
async function traceroute(ctx, raw) {
    if (!ctx.messenger) {
        return { error: send_1.SENDING_OFF };
    }
    const message = (0, context_1.messageObject)(raw);
    const to = message.to ?? (typeof raw === 'string' ? raw : undefined);
    const result = await ctx.messenger.traceroute(to);
    if (result.status === 'failed') {
        return { id: result.id, to: result.to, error: result.error };
    }
    // the mesh model took the reply right after the send path saw it; its record names the hops
    const num = (0, codec_1.parseNodeId)(result.to);
    const record = num === undefined ? undefined : ctx.mesh.node(num)?.traceroute;
    return { id: result.id, to: result.to, route: record ?? result.route };
}
