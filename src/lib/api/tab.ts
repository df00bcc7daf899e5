/** `tabPoll` and `tabNode`: what the admin tab asks for. */
import { messageObject, type ApiContext, type ApiResponse } from './context';
import { nodeSummary } from './node-summary';
import { requestedNode } from './nodes';

/** Channels the tab offers for chat: the configured ones (sendable when downlink is on), then those only heard. */
export function tabChannels(ctx: ApiContext): { name: string; canSend: boolean }[] {
    const list = ctx.channels.map(c => ({ name: c.name, canSend: ctx.messenger !== undefined && c.downlink }));
    for (const channel of ctx.mesh.channels()) {
        if (!list.some(c => c.name === channel.name)) {
            list.push({ name: channel.name, canSend: false });
        }
    }
    return list;
}

/** Rows and chat entries changed since `since` of `epoch` (all of them when the tab is behind), and the header. */
export function tabPoll(ctx: ApiContext, raw: unknown): ApiResponse {
    const message = messageObject(raw);
    const since = typeof message.since === 'number' ? message.since : 0;
    const epoch = typeof message.epoch === 'number' ? message.epoch : 0;
    const poll = ctx.tabFeed?.poll(since, epoch);
    const own = ctx.identity;
    return {
        ...poll,
        ready: ctx.ready,
        connected: ctx.connected,
        mode: ctx.mode,
        canSend: ctx.messenger !== undefined,
        own: own && { hex: own.id.replace('!', ''), id: own.id, longName: own.longName },
        channels: tabChannels(ctx),
        tileUrl: ctx.tileUrl,
        stats: ctx.mesh.stats(),
    };
}

/** One node's details, telemetry series and history, or `{ error }`. */
export function tabNode(ctx: ApiContext, raw: unknown): ApiResponse {
    const { id, node } = requestedNode(ctx.mesh, raw);
    return node
        ? { node: nodeSummary(node, true), series: ctx.tabFeed?.seriesOf(node.num) ?? {}, history: node.history }
        : { error: `no node ${id}` };
}
