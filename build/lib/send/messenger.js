"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Messenger = exports.MAX_TEXT_PART_BYTES = void 0;
/**
 * The send path of the virtual node: texts (channel broadcasts and DMs) from plan to final status, and the dispatch
 * of received packets to delivery tracking, replies and traceroutes. Planning (`plan.ts`), encoding (`packets.ts`),
 * replies, traceroutes and announcements have files of their own; this one owns the lifecycle of a message and wires
 * the parts together.
 */
const codec_1 = require("../codec");
const announcer_1 = require("./announcer");
const delivery_1 = require("./delivery");
const identity_1 = require("./identity");
const packets_1 = require("./packets");
const plan_1 = require("./plan");
const queue_1 = require("./queue");
const replies_1 = require("./replies");
const traceroute_1 = require("./traceroute");
const remember_1 = require("./remember");
const text_split_1 = require("./text-split");
/** Text bytes per packet can be configured up to this (Data framing + PKI overhead must stay ≤ 256 bytes). */
exports.MAX_TEXT_PART_BYTES = 220;
class Messenger {
    options;
    identity;
    queue;
    tracker;
    packets;
    announcer;
    replies;
    traceroutes;
    planContext;
    messages = new Set();
    stopped = false;
    constructor(options) {
        this.options = options;
        this.identity = options.identity;
        const { identity, channels, now } = options;
        this.queue = new queue_1.SendQueue({
            publish: options.publish,
            isConnected: options.isConnected,
            timers: options.timers,
            now,
            spacingMs: Math.max(0, options.sendSpacingMs),
            maxItems: options.queueSize ?? queue_1.DEFAULT_QUEUE_SIZE,
            disconnectedWaitMs: options.disconnectedWaitMs,
        });
        this.tracker = new delivery_1.DeliveryTracker({
            ownNodeNum: identity.nodeNum,
            ackTimeoutMs: Math.max(1, options.ackTimeoutSeconds) * 1000,
            timers: options.timers,
        });
        this.packets = new packets_1.PacketFactory({
            root: options.root,
            identity,
            hopLimit: Math.min(7, Math.max(0, Math.floor(options.hopLimit))),
            randomId: options.randomId ?? codec_1.randomPacketId,
            inFlight: id => this.tracker.has(id),
        });
        const parts = { identity, channels, packets: this.packets, queue: this.queue, now };
        this.announcer = new announcer_1.Announcer(parts);
        this.replies = new replies_1.Replies(parts);
        this.traceroutes = new traceroute_1.Traceroutes({
            ...parts,
            ownNodeNum: identity.nodeNum,
            timers: options.timers,
            maxPerHour: options.maxTraceroutesPerHour,
            onBoundReached: options.onTracerouteBound,
        });
        const sharedKeys = new codec_1.SharedKeyCache(identity.privateKey, remember_1.MAX_REMEMBERED);
        this.planContext = {
            channels,
            ownNodeNum: identity.nodeNum,
            allowChannelDm: options.allowChannelDm,
            nodeExists: options.nodeExists,
            publicKeyOf: options.publicKeyOf,
            sharedKey: (num, publicKey) => sharedKeys.sharedKey(num, publicKey),
            maxTextBytes: Math.min(exports.MAX_TEXT_PART_BYTES, Math.max(16, Math.floor(options.maxTextBytes ?? text_split_1.DEFAULT_MAX_PART_BYTES))),
            maxParts: Math.max(1, Math.floor(options.maxParts ?? text_split_1.DEFAULT_MAX_PARTS)),
        };
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
        const plan = this.stopped
            ? { error: 'adapter stopping', toLabel: 'broadcast', channelLabel: '' }
            : (0, plan_1.planSend)(request, this.planContext);
        if ('error' in plan) {
            return Promise.resolve(this.reject(plan.error, text, plan.toLabel, plan.channelLabel));
        }
        let packets;
        try {
            packets = this.encodeParts(plan);
        }
        catch (error) {
            const reason = `cannot encode: ${(0, packets_1.errorText)(error)}`;
            return Promise.resolve(this.reject(reason, text, plan.toLabel, plan.channelLabel));
        }
        return new Promise(resolve => this.enqueue(plan, packets, text, resolve));
    }
    /** See `Traceroutes.request`: a traceroute to one node, resolved with the reply's route or a failure. */
    traceroute(to, onSent) {
        return this.traceroutes.request(to, onSent);
    }
    /** See `Announcer.announce`: periodic or manual, at most once an hour. */
    announce(wantResponse = false) {
        return this.stopped ? { queued: 0, skipped: 'adapter stopping' } : this.announcer.announce(wantResponse);
    }
    /** See `Announcer.announceAfterConnect`: after every (re)connection, at most once in 10 minutes. */
    announceAfterConnect() {
        return this.stopped ? { queued: 0, skipped: 'adapter stopping' } : this.announcer.announceAfterConnect();
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
        if (data.portnum === codec_1.ROUTING_APP) {
            this.tracker.onRouting(packet);
            return; // routing packets are never ACKed
        }
        if (header.to !== this.identity.nodeNum) {
            return;
        }
        this.traceroutes.onPacket(packet);
        if (header.wantAck) {
            this.replies.ack(packet);
        }
        if (data.portnum === codec_1.NODEINFO_APP && data.wantResponse) {
            this.replies.nodeInfo(packet);
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
        this.traceroutes.stop();
        for (const message of [...this.messages]) {
            this.finish(message, 'failed', 'adapter stopping');
        }
    }
    // ---- message lifecycle --------------------------------------------------------------------------------------
    /** Every part is encoded before any is queued: a part that cannot be encoded must not leave others half sent. */
    encodeParts(plan) {
        return plan.parts.map(part => this.packets.build(plan.route, plan.to, {
            portnum: codec_1.TEXT_MESSAGE_APP,
            payload: (0, codec_1.encodeText)(part),
            bitfield: identity_1.BITFIELD_OK_TO_MQTT,
            replyId: plan.replyId,
            emoji: plan.emoji ? 1 : 0,
        }, plan.wantAck));
    }
    enqueue(plan, packets, text, resolve) {
        const message = {
            id: packets[0].id,
            ids: packets.map(p => p.id),
            toLabel: plan.toLabel,
            channelLabel: plan.channelLabel,
            text,
            parts: packets.length,
            wantAck: plan.wantAck,
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
            resolve(this.reject(queued.error, text, plan.toLabel, plan.channelLabel));
            return;
        }
        this.messages.add(message);
        if (plan.wantAck) {
            for (const id of message.ids) {
                this.tracker.expect(id, plan.to, outcome => this.delivery(message, outcome));
            }
        }
        this.emit(message, 'queued');
    }
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
}
exports.Messenger = Messenger;
