"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.tabChannels = tabChannels;
exports.tabPoll = tabPoll;
exports.tabNode = tabNode;
/** `tabPoll` and `tabNode`: what the admin tab asks for. */
const context_1 = require("./context");
const node_summary_1 = require("./node-summary");
const nodes_1 = require("./nodes");
/** Channels the tab offers for chat: the configured ones (sendable when downlink is on), then those only heard. */
function tabChannels(ctx) {
    const list = ctx.channels.map(c => ({ name: c.name, canSend: ctx.messenger !== undefined && c.downlink }));
    for (const channel of ctx.mesh.channels()) {
        if (!list.some(c => c.name === channel.name)) {
            list.push({ name: channel.name, canSend: false });
        }
    }
    return list;
}
/** Rows and chat entries changed since `since` of `epoch` (all of them when the tab is behind), and the header. */
function tabPoll(ctx, raw) {
    const message = (0, context_1.messageObject)(raw);
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
function tabNode(ctx, raw) {
    const { id, node } = (0, nodes_1.requestedNode)(ctx.mesh, raw);
    return node
        ? { node: (0, node_summary_1.nodeSummary)(node, true), series: ctx.tabFeed?.seriesOf(node.num) ?? {}, history: node.history }
        : { error: `no node ${id}` };
}
