"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Messenger = exports.MAX_TEXT_PART_BYTES = exports.ACK_REPEAT_WINDOW_MS = exports.NODEINFO_REPLY_INTERVAL_MS = exports.MIN_ANNOUNCE_INTERVAL_MS = exports.BROADCAST_NUM = exports.TEXT_MESSAGE_APP = void 0;
exports.parseDestination = parseDestination;
const codec_1 = require("../codec");
const delivery_1 = require("./delivery");
const identity_1 = require("./identity");
const queue_1 = require("./queue");
const text_split_1 = require("./text-split");
exports.TEXT_MESSAGE_APP = 1;
exports.BROADCAST_NUM = 0xffffffff;
/** Never announce more often than this (firmware coerces NodeInfo to ≥1 h on default channels). */
exports.MIN_ANNOUNCE_INTERVAL_MS = 60 * 60_000;
/** At most one NodeInfo reply per requesting node in this time. */
exports.NODEINFO_REPLY_INTERVAL_MS = 10 * 60_000;
/** Copies of one DM arriving through several gateways within this window are ACKed once. */
exports.ACK_REPEAT_WINDOW_MS = 5_000;
/** Text bytes per packet can be configured up to this (Data framing + PKI overhead must stay ≤ 256 bytes). */
exports.MAX_TEXT_PART_BYTES = 220;
const MAX_REMEMBERED = 256;
function errorText(error) {
    return error instanceof Error ? error.message : String(error);
}
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
    if (num === exports.BROADCAST_NUM) {
        return { kind: 'broadcast' };
    }
    if (num <= 3) {
        return { error: `invalid destination ${(0, codec_1.nodeIdString)(num)} (reserved node number)` };
    }
    return { kind: 'node', num };
}
/** Sets `key` → `value` in a Map used as a bounded, insertion-ordered record (the oldest goes first). */
function remember(map, key, value) {
    map.delete(key);
    map.set(key, value);
    while (map.size > MAX_REMEMBERED) {
        const oldest = map.keys().next();
        if (oldest.done) {
            break;
        }
        map.delete(oldest.value);
    }
}
class Messenger {
    options;
    identity;
    queue;
    tracker;
    sharedKeys;
    hopLimit;
    maxTextBytes;
    maxParts;
    randomId;
    recentIds = new Map();
    ackedAt = new Map();
    nodeInfoRepliedAt = new Map();
    messages = new Set();
    lastAnnounceAt;
    announcePending = 0;
    stopped = false;
    constructor(options) {
        this.options = options;
        this.identity = options.identity;
        this.hopLimit = Math.min(7, Math.max(0, Math.floor(options.hopLimit)));
        this.maxTextBytes = Math.min(exports.MAX_TEXT_PART_BYTES, Math.max(16, Math.floor(options.maxTextBytes ?? text_split_1.DEFAULT_MAX_PART_BYTES)));
        this.maxParts = Math.max(1, Math.floor(options.maxParts ?? text_split_1.DEFAULT_MAX_PARTS));
        this.randomId = options.randomId ?? codec_1.randomPacketId;
        this.sharedKeys = new codec_1.SharedKeyCache(options.identity.privateKey, MAX_REMEMBERED);
        this.queue = new queue_1.SendQueue({
            publish: options.publish,
            isConnected: options.isConnected,
            timers: options.timers,
            now: options.now,
            spacingMs: Math.max(0, options.sendSpacingMs),
            maxItems: options.queueSize ?? queue_1.DEFAULT_QUEUE_SIZE,
            disconnectedWaitMs: options.disconnectedWaitMs,
        });
        this.tracker = new delivery_1.DeliveryTracker({
            ownNodeNum: options.identity.nodeNum,
            ackTimeoutMs: Math.max(1, options.ackTimeoutSeconds) * 1000,
            timers: options.timers,
        });
    }
    /** Packets waiting in the outgoing queue. */
    get queueLength() {
        return this.queue.length;
    }
    /** Sent packets still waiting for their ACK. */
    get pendingAcks() {
        return this.tracker.size;
    }
    /** The transport is (re)connected: waiting packets go out (each once). */
    resume() {
        this.queue.resume();
    }
    /**
     * Sends a text. Never rejects: resolves with the final status ('sent' for broadcasts and DMs without ACK,
     * 'acked'/'failed' for DMs with ACK, 'failed' with `error` for invalid requests, a full queue or no connection).
     */
    send(request) {
        const text = typeof request.text === 'string' ? request.text : '';
        const prepared = this.prepare(request);
        if ('error' in prepared) {
            return Promise.resolve(this.reject(prepared.error, text, prepared.toLabel, prepared.channelLabel));
        }
        const { parts, route, to, toLabel, channelLabel, wantAck, replyId, emoji } = prepared;
        // encode every part before queueing any: a part that cannot be encoded must not leave the others half sent
        const packets = [];
        try {
            for (const part of parts) {
                const id = this.nextId();
                const data = {
                    portnum: exports.TEXT_MESSAGE_APP,
                    payload: (0, codec_1.encodeText)(part),
                    bitfield: identity_1.BITFIELD_OK_TO_MQTT,
                    replyId,
                    emoji: emoji ? 1 : 0,
                };
                packets.push({ id, ...this.encode(route, to, id, data, wantAck) });
            }
        }
        catch (error) {
            return Promise.resolve(this.reject(`cannot encode: ${errorText(error)}`, text, toLabel, channelLabel));
        }
        return new Promise(resolve => {
            const message = {
                id: packets[0].id,
                ids: packets.map(p => p.id),
                toLabel,
                channelLabel,
                text,
                parts: packets.length,
                wantAck,
                sent: 0,
                acked: 0,
                done: false,
                resolve,
            };
            const items = packets.map(packet => ({
                topic: packet.topic,
                payload: packet.payload,
                group: message.id,
                onSent: () => this.partSent(message, packet.id),
                onFailed: error => this.finish(message, 'failed', error),
            }));
            const queued = this.queue.enqueue(items);
            if (!queued.ok) {
                resolve(this.reject(queued.error, text, toLabel, channelLabel));
                return;
            }
            this.messages.add(message);
            if (wantAck) {
                for (const id of message.ids) {
                    this.tracker.expect(id, to, outcome => this.delivery(message, outcome));
                }
            }
            this.emit(message, 'queued');
        });
    }
    /**
     * Broadcasts our NodeInfo on every channel with downlink. Skipped (not queued) within an hour of the last
     * announcement that went out, or while one is still queued. Replies to NodeInfo requests are not limited by this.
     */
    announce(wantResponse = false) {
        if (this.stopped) {
            return { queued: 0, skipped: 'adapter stopping' };
        }
        const now = this.options.now();
        if (this.announcePending > 0) {
            return { queued: 0, skipped: 'an announcement is still queued' };
        }
        if (this.lastAnnounceAt !== undefined && now - this.lastAnnounceAt < exports.MIN_ANNOUNCE_INTERVAL_MS) {
            return { queued: 0, skipped: 'announced less than 1 h ago' };
        }
        const channels = this.options.channels.filter(c => c.downlink);
        if (channels.length === 0) {
            return { queued: 0, skipped: 'no channel has downlink enabled' };
        }
        const data = (0, identity_1.nodeInfoData)(this.identity, wantResponse);
        const items = [];
        try {
            for (const channel of channels) {
                const packet = this.encode({ kind: 'channel', channel }, exports.BROADCAST_NUM, this.nextId(), data, false);
                items.push({
                    ...packet,
                    onSent: () => {
                        this.announcePending--;
                        this.lastAnnounceAt = this.options.now();
                    },
                    onFailed: () => {
                        this.announcePending--;
                    },
                });
            }
        }
        catch (error) {
            return { queued: 0, skipped: `cannot encode: ${errorText(error)}` };
        }
        const queued = this.queue.enqueue(items);
        if (!queued.ok) {
            return { queued: 0, skipped: queued.error };
        }
        this.announcePending = items.length;
        return { queued: items.length };
    }
    /**
     * Feeds every decoded packet (before the mesh model's dedup, so retransmissions can be ACKed): settles ACK/NAK
     * of our DMs, ACKs DMs to us that want one, answers NodeInfo requests to us.
     */
    onPacket(packet) {
        if (this.stopped || this.isOwnPacket(packet)) {
            return;
        }
        const { header, data } = packet;
        if (data.portnum === delivery_1.ROUTING_APP) {
            this.tracker.onRouting(packet);
            return; // routing packets are never ACKed
        }
        if (header.to !== this.identity.nodeNum) {
            return;
        }
        if (header.wantAck) {
            this.sendAck(packet);
        }
        if (data.portnum === identity_1.NODEINFO_APP && data.wantResponse) {
            this.replyNodeInfo(packet);
        }
    }
    /** Our own packet coming back from the broker (MQTT has no no-local): not to be shown as received. */
    isOwnPacket(packet) {
        return (packet.header.from >>> 0 === this.identity.nodeNum ||
            packet.gatewayId.toLowerCase() === this.identity.id.toLowerCase());
    }
    /** Adapter unload: clears every timer, fails everything pending with 'adapter stopping'. */
    stop() {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        this.queue.stop('adapter stopping');
        this.tracker.stop('adapter stopping');
        for (const message of [...this.messages]) {
            this.finish(message, 'failed', 'adapter stopping');
        }
    }
    // ---- validation ---------------------------------------------------------------------------------------------
    prepare(request) {
        let toLabel = 'broadcast';
        let channelLabel = '';
        const fail = (error) => ({
            error,
            toLabel,
            channelLabel,
        });
        if (this.stopped) {
            return fail('adapter stopping');
        }
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
            toLabel = (0, codec_1.nodeIdString)(destination.num);
        }
        const channel = this.resolveChannel(request.channel);
        if ('error' in channel) {
            return fail(channel.error);
        }
        channelLabel = channel.name;
        let replyId = 0;
        if (request.replyId !== undefined && request.replyId !== null && request.replyId !== 0) {
            if (!isUint32(request.replyId)) {
                return fail('replyId must be a packet id (1..4294967295)');
            }
            replyId = request.replyId;
        }
        const emoji = request.emoji === true;
        if (emoji && replyId === 0) {
            return fail('a reaction (emoji) needs the replyId of the message it reacts to');
        }
        let route = { kind: 'channel', channel };
        let to = exports.BROADCAST_NUM;
        let wantAck = false;
        if (destination.kind === 'node') {
            to = destination.num;
            wantAck = request.wantAck !== false;
            if (to === this.identity.nodeNum) {
                return fail('cannot send a message to ourselves');
            }
            const channelDmAllowed = this.options.allowChannelDm.has(to);
            if (!this.options.nodeExists(to) && !channelDmAllowed) {
                return fail(`unknown node ${toLabel}`);
            }
            const publicKey = this.options.publicKeyOf(to);
            const sharedKey = publicKey ? this.sharedKeys.sharedKey(to, publicKey) : undefined;
            if (sharedKey) {
                route = { kind: 'pki', sharedKey };
                channelLabel = 'PKI';
            }
            else if (!channelDmAllowed) {
                return fail(publicKey
                    ? `the public key of ${toLabel} is unusable — allow a channel-key DM for it`
                    : `no public key for ${toLabel} — wait for its NodeInfo or allow a channel-key DM for it`);
            }
        }
        const split = (0, text_split_1.splitText)(request.text, { maxBytes: this.maxTextBytes, maxParts: this.maxParts });
        if (!split.ok) {
            return fail(split.error);
        }
        if (emoji && split.parts.length > 1) {
            return fail('a reaction must fit into one packet');
        }
        return { parts: split.parts, route, to, toLabel, channelLabel, wantAck, replyId, emoji };
    }
    /** Channel by name (exact, else unique case-insensitive match) or index; default: first with downlink. */
    resolveChannel(requested) {
        const channels = this.options.channels;
        if (channels.length === 0) {
            return { error: 'no channel is configured' };
        }
        if (requested === undefined || requested === null || requested === '') {
            return this.defaultChannel() ?? { error: 'no channel is configured' };
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
    defaultChannel() {
        return this.options.channels.find(c => c.downlink) ?? this.options.channels[0];
    }
    // ---- encoding -----------------------------------------------------------------------------------------------
    nextId() {
        for (let attempt = 0; attempt < 16; attempt++) {
            const id = this.randomId() >>> 0;
            if (id !== 0 && !this.recentIds.has(id) && !this.tracker.has(id)) {
                remember(this.recentIds, id, true);
                return id;
            }
        }
        throw new Error('no unused packet id');
    }
    encode(route, to, id, data, wantAck) {
        const common = {
            root: this.options.root,
            from: this.identity.nodeNum,
            to,
            id,
            data,
            hopLimit: this.hopLimit,
            wantAck,
        };
        return route.kind === 'pki'
            ? (0, codec_1.encodePkiPacket)({ ...common, sharedKey: route.sharedKey })
            : (0, codec_1.encodeChannelPacket)({ ...common, channel: route.channel, gatewayId: this.identity.id });
    }
    // ---- message lifecycle --------------------------------------------------------------------------------------
    partSent(message, id) {
        if (message.done) {
            return;
        }
        message.sent++;
        if (message.wantAck) {
            this.tracker.arm(id);
        }
        if (message.sent < message.parts) {
            return;
        }
        if (!message.wantAck) {
            this.finish(message, 'sent');
        }
        else if (message.acked >= message.parts) {
            this.finish(message, 'acked');
        }
        else {
            this.emit(message, 'sent');
        }
    }
    delivery(message, outcome) {
        if (message.done) {
            return;
        }
        if (outcome.status === 'failed') {
            this.finish(message, 'failed', outcome.error);
            return;
        }
        message.acked++;
        if (message.acked >= message.parts && message.sent >= message.parts) {
            this.finish(message, 'acked');
        }
    }
    finish(message, status, error) {
        if (message.done) {
            return;
        }
        message.done = true;
        this.messages.delete(message);
        if (status === 'failed') {
            // the rest of a message is useless once a part failed
            this.queue.cancelGroup(message.id, error ?? 'failed');
            for (const id of message.ids) {
                this.tracker.forget(id);
            }
        }
        this.emit(message, status, error);
        const result = { id: message.id, status };
        if (error !== undefined) {
            result.error = error;
        }
        if (message.parts > 1) {
            result.parts = message.parts;
        }
        message.resolve(result);
    }
    emit(message, status, error) {
        const update = {
            id: message.id,
            to: message.toLabel,
            channel: message.channelLabel,
            status,
            text: message.text,
            time: this.options.now(),
        };
        if (error !== undefined) {
            update.error = error;
        }
        if (message.parts > 1) {
            update.parts = message.parts;
        }
        this.options.onStatus(update);
    }
    /** A request that never reached the queue: report and resolve as failed, nothing was published. */
    reject(error, text, toLabel, channelLabel) {
        this.options.onStatus({
            id: 0,
            to: toLabel,
            channel: channelLabel,
            status: 'failed',
            error,
            text,
            time: this.options.now(),
        });
        return { id: 0, status: 'failed', error };
    }
    // ---- replies ------------------------------------------------------------------------------------------------
    /**
     * Channel for a reply to `packet`: the configured channel it came on, else the first channel with downlink.
     * Replies are never PKI: firmware excludes ROUTING and NODEINFO from PKI, and channel packets pass every gateway
     * with downlink on that channel (PKI downlink needs the gateway to know both nodes). For a PKI DM this is the
     * analogue of firmware's ACK on the primary channel.
     */
    replyRoute(packet) {
        const arrival = packet.encryption === 'pki' ? undefined : this.options.channels.find(c => c.name === packet.channelName);
        const channel = arrival ?? this.options.channels.find(c => c.downlink);
        return channel ? { kind: 'channel', channel } : undefined;
    }
    sendAck(packet) {
        const { from, id } = packet.header;
        const key = `${from}:${id}`;
        const now = this.options.now();
        const last = this.ackedAt.get(key);
        if (last !== undefined && now - last < exports.ACK_REPEAT_WINDOW_MS) {
            return; // the same DM through another gateway
        }
        const route = this.replyRoute(packet);
        if (!route) {
            return;
        }
        remember(this.ackedAt, key, now);
        const data = {
            portnum: delivery_1.ROUTING_APP,
            payload: (0, codec_1.encodeRoutingAck)(0),
            requestId: id,
            bitfield: identity_1.BITFIELD_OK_TO_MQTT,
        };
        this.enqueueReply(route, from, data, true);
    }
    replyNodeInfo(packet) {
        const from = packet.header.from;
        const now = this.options.now();
        const last = this.nodeInfoRepliedAt.get(from);
        if (last !== undefined && now - last < exports.NODEINFO_REPLY_INTERVAL_MS) {
            return;
        }
        const route = this.replyRoute(packet);
        if (!route) {
            return;
        }
        remember(this.nodeInfoRepliedAt, from, now);
        this.enqueueReply(route, from, (0, identity_1.nodeInfoData)(this.identity, false), false);
    }
    enqueueReply(route, to, data, priority) {
        try {
            const packet = this.encode(route, to, this.nextId(), data, false);
            // a full queue drops the reply: the peer retries or asks again
            this.queue.enqueue([{ ...packet, priority }]);
        }
        catch {
            // an unencodable reply is dropped like a lost radio packet
        }
    }
}
exports.Messenger = Messenger;
