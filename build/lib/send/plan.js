"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDestination = parseDestination;
exports.defaultChannel = defaultChannel;
exports.resolveChannel = resolveChannel;
exports.planSend = planSend;
/**
 * A send request → a plan: validated, split into the packets' texts, routed. Pure (the shared-key lookup is
 * injected), and complete before anything is queued, so a text is sent whole or not at all. Channel and DM rules:
 * docs/ARCHITECTURE.md, "Downlink rules".
 */
const codec_1 = require("../codec");
const text_split_1 = require("./text-split");
function isUint32(value) {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}
/**
 * Parses a destination: undefined/''/'broadcast'/'^all'/!ffffffff = broadcast; otherwise a node number as the codec
 * reads node ids (`!a1b2c3d4`, 8 hex digits, `0x…`, decimal) or a number.
 */
function parseDestination(to) {
    if (to === undefined || to === null || to === '') {
        return { kind: 'broadcast' };
    }
    let num;
    if (typeof to === 'number') {
        num = isUint32(to) ? to : undefined;
    }
    else if (typeof to === 'string') {
        const text = to.trim().toLowerCase();
        if (text === '' || text === 'broadcast' || text === '^all') {
            return { kind: 'broadcast' };
        }
        num = (0, codec_1.parseNodeId)(text);
    }
    if (num === undefined) {
        return { error: `invalid destination ${JSON.stringify(to)} (expected !xxxxxxxx or a node number)` };
    }
    if (num === codec_1.BROADCAST_NUM) {
        return { kind: 'broadcast' };
    }
    if (num <= 3) {
        return { error: `invalid destination ${(0, codec_1.nodeIdString)(num)} (reserved node number)` };
    }
    return { kind: 'node', num };
}
/** The channel the adapter uses on its own: the first with downlink, else the first configured. */
function defaultChannel(channels) {
    return channels.find(c => c.downlink) ?? channels[0];
}
/** Channel by name (exact, else unique case-insensitive match) or index; default: first with downlink. */
function resolveChannel(channels, requested) {
    if (channels.length === 0) {
        return { error: 'no channel is configured' };
    }
    if (requested === undefined || requested === null || requested === '') {
        return defaultChannel(channels) ?? { error: 'no channel is configured' };
    }
    if (typeof requested === 'number') {
        return Number.isInteger(requested) && requested >= 0 && requested < channels.length
            ? channels[requested]
            : { error: `unknown channel index ${requested} (0..${channels.length - 1})` };
    }
    if (typeof requested === 'string') {
        const name = requested.trim();
        const exact = channels.find(c => c.name === name);
        if (exact) {
            return exact;
        }
        const folded = channels.filter(c => c.name.toLowerCase() === name.toLowerCase());
        if (folded.length === 1) {
            return folded[0];
        }
    }
    const known = channels.map(c => c.name).join(', ');
    return { error: `unknown channel ${JSON.stringify(requested)} (configured: ${known})` };
}
/** The reply id and reaction flag of a request, or why they are invalid. */
function replyOf(request) {
    let replyId = 0;
    if (request.replyId !== undefined && request.replyId !== null && request.replyId !== 0) {
        if (!isUint32(request.replyId)) {
            return { error: 'replyId must be a packet id (1..4294967295)' };
        }
        replyId = request.replyId;
    }
    const emoji = request.emoji === true;
    if (emoji && replyId === 0) {
        return { error: 'a reaction (emoji) needs the replyId of the message it reacts to' };
    }
    return { replyId, emoji };
}
/** How a DM to `to` is encrypted, or why it cannot be sent. */
function dmRoute(to, toLabel, channel, ctx) {
    if (to === ctx.ownNodeNum) {
        return { error: 'cannot send a message to ourselves' };
    }
    const channelDmAllowed = ctx.allowChannelDm.has(to);
    if (!ctx.nodeExists(to) && !channelDmAllowed) {
        return { error: `unknown node ${toLabel}` };
    }
    const publicKey = ctx.publicKeyOf(to);
    const sharedKey = publicKey ? ctx.sharedKey(to, publicKey) : undefined;
    if (sharedKey) {
        return { kind: 'pki', sharedKey };
    }
    if (channelDmAllowed) {
        return { kind: 'channel', channel };
    }
    return {
        error: publicKey
            ? `the public key of ${toLabel} is unusable — allow a channel-key DM for it`
            : `no public key for ${toLabel} — wait for its NodeInfo or allow a channel-key DM for it`,
    };
}
/** Validates and plans a request; the rejection names the first problem found. */
function planSend(request, ctx) {
    const labels = { toLabel: 'broadcast', channelLabel: '' };
    const fail = (error) => ({ ...labels, error });
    if (typeof request.text !== 'string') {
        return fail(`text must be a string, got ${request.text === null ? 'null' : typeof request.text}`);
    }
    if (request.text.trim() === '') {
        return fail('text is empty');
    }
    const destination = parseDestination(request.to);
    if ('error' in destination) {
        return fail(destination.error);
    }
    if (destination.kind === 'node') {
        labels.toLabel = (0, codec_1.nodeIdString)(destination.num);
    }
    const channel = resolveChannel(ctx.channels, request.channel);
    if ('error' in channel) {
        return fail(channel.error);
    }
    labels.channelLabel = channel.name;
    const reply = replyOf(request);
    if ('error' in reply) {
        return fail(reply.error);
    }
    let route = { kind: 'channel', channel };
    let to = codec_1.BROADCAST_NUM;
    let wantAck = false;
    if (destination.kind === 'node') {
        to = destination.num;
        wantAck = request.wantAck !== false;
        const dm = dmRoute(to, labels.toLabel, channel, ctx);
        if ('error' in dm) {
            return fail(dm.error);
        }
        route = dm;
        if (dm.kind === 'pki') {
            labels.channelLabel = 'PKI';
        }
    }
    const split = (0, text_split_1.splitText)(request.text, { maxBytes: ctx.maxTextBytes, maxParts: ctx.maxParts });
    if (!split.ok) {
        return fail(split.error);
    }
    if (reply.emoji && split.parts.length > 1) {
        return fail('a reaction must fit into one packet');
    }
    return { ...labels, parts: split.parts, route, to, wantAck, ...reply };
}
