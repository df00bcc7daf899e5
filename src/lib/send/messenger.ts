/**
 * The send path of the virtual node: texts (channel broadcasts and DMs) from plan to final status, and the dispatch
 * of received packets to delivery tracking, replies and traceroutes. Planning (`plan.ts`), encoding (`packets.ts`),
 * replies, traceroutes and announcements have files of their own; this one owns the lifecycle of a message and wires
 * the parts together.
 */
import { encodeText, NODEINFO_APP, randomPacketId, ROUTING_APP, SharedKeyCache, TEXT_MESSAGE_APP } from '../codec';
import type { DecodedPacket } from '../codec/types';
import { type AnnounceResult, Announcer } from './announcer';
import { DeliveryTracker, type DeliveryOutcome } from './delivery';
import { BITFIELD_OK_TO_MQTT, type VirtualNodeIdentity } from './identity';
import { errorText, type OutgoingPacket, PacketFactory, type SendChannel } from './packets';
import { type PlanContext, planSend, type SendPlan, type SendRequest } from './plan';
import { SendQueue, DEFAULT_QUEUE_SIZE, type QueueItem } from './queue';
import { Replies } from './replies';
import { type TracerouteResult, Traceroutes } from './traceroute';
import { MAX_REMEMBERED } from './remember';
import { DEFAULT_MAX_PART_BYTES, DEFAULT_MAX_PARTS } from './text-split';
import type { PublishFn, SendResult, SendState, SendStatus, Timers } from './types';

/** Text bytes per packet can be configured up to this (Data framing + PKI overhead must stay ≤ 256 bytes). */
export const MAX_TEXT_PART_BYTES = 220;

export interface MessengerOptions {
    /** MQTT root topic, e.g. `msh/EU_868`. */
    root: string;
    identity: VirtualNodeIdentity;
    /** Configured channels in configuration order. */
    channels: readonly SendChannel[];
    /** hop_limit (= hop_start) of everything we send, 0..7. */
    hopLimit: number;
    /** Minimum ms between two publishes (0 = no pacing). */
    sendSpacingMs: number;
    ackTimeoutSeconds: number;
    /** Nodes that may get channel-key DMs when their public key is unknown. */
    allowChannelDm: ReadonlySet<number>;
    /** The node's advertised 32-byte public key, if known. */
    publicKeyOf: (num: number) => Uint8Array | undefined;
    /** Whether the mesh model knows the node. */
    nodeExists: (num: number) => boolean;
    publish: PublishFn;
    isConnected: () => boolean;
    timers: Timers;
    now: () => number;
    onStatus: (update: SendStatus) => void;
    /** UTF-8 bytes per text packet (default 200, at most 220). */
    maxTextBytes?: number;
    /** Most packets one text may be split into (default 8). */
    maxParts?: number;
    /** Outgoing queue size in packets (default 50). */
    queueSize?: number;
    /** How long packets wait for a connection (default 5 min). */
    disconnectedWaitMs?: number;
    /** Packet id source (default: the codec's random ids). Zero and recently used ids are skipped. */
    randomId?: () => number;
    /** Traceroute requests per hour, all nodes together (default 10). */
    maxTraceroutesPerHour?: number;
    /** A traceroute was refused at the hourly bound (the adapter logs it, rate-limited). */
    onTracerouteBound?: (error: string) => void;
}

/** One user message (all its parts) on its way. */
interface PendingMessage {
    id: number;
    ids: number[];
    toLabel: string;
    channelLabel: string;
    text: string;
    parts: number;
    wantAck: boolean;
    sent: number;
    acked: number;
    done: boolean;
    resolve: (result: SendResult) => void;
}

export class Messenger {
    readonly identity: VirtualNodeIdentity;
    private readonly queue: SendQueue;
    private readonly tracker: DeliveryTracker;
    private readonly packets: PacketFactory;
    private readonly announcer: Announcer;
    private readonly replies: Replies;
    private readonly traceroutes: Traceroutes;
    private readonly planContext: PlanContext;
    private readonly messages = new Set<PendingMessage>();
    private stopped = false;

    constructor(private readonly options: MessengerOptions) {
        this.identity = options.identity;
        const { identity, channels, now } = options;
        this.queue = new SendQueue({
            publish: options.publish,
            isConnected: options.isConnected,
            timers: options.timers,
            now,
            spacingMs: Math.max(0, options.sendSpacingMs),
            maxItems: options.queueSize ?? DEFAULT_QUEUE_SIZE,
            disconnectedWaitMs: options.disconnectedWaitMs,
        });
        this.tracker = new DeliveryTracker({
            ownNodeNum: identity.nodeNum,
            ackTimeoutMs: Math.max(1, options.ackTimeoutSeconds) * 1000,
            timers: options.timers,
        });
        this.packets = new PacketFactory({
            root: options.root,
            identity,
            hopLimit: Math.min(7, Math.max(0, Math.floor(options.hopLimit))),
            randomId: options.randomId ?? randomPacketId,
            inFlight: id => this.tracker.has(id),
        });
        const parts = { identity, channels, packets: this.packets, queue: this.queue, now };
        this.announcer = new Announcer(parts);
        this.replies = new Replies(parts);
        this.traceroutes = new Traceroutes({
            ...parts,
            ownNodeNum: identity.nodeNum,
            timers: options.timers,
            maxPerHour: options.maxTraceroutesPerHour,
            onBoundReached: options.onTracerouteBound,
        });
        const sharedKeys = new SharedKeyCache(identity.privateKey, MAX_REMEMBERED);
        this.planContext = {
            channels,
            ownNodeNum: identity.nodeNum,
            allowChannelDm: options.allowChannelDm,
            nodeExists: options.nodeExists,
            publicKeyOf: options.publicKeyOf,
            sharedKey: (num, publicKey) => sharedKeys.sharedKey(num, publicKey),
            maxTextBytes: Math.min(
                MAX_TEXT_PART_BYTES,
                Math.max(16, Math.floor(options.maxTextBytes ?? DEFAULT_MAX_PART_BYTES)),
            ),
            maxParts: Math.max(1, Math.floor(options.maxParts ?? DEFAULT_MAX_PARTS)),
        };
    }

    /** Packets waiting in the outgoing queue. */
    get queueLength(): number {
        return this.queue.length;
    }

    /** Sent packets still waiting for their ACK. */
    get pendingAcks(): number {
        return this.tracker.size;
    }

    /** The transport is (re)connected: waiting packets go out (each once). */
    resume(): void {
        this.queue.resume();
    }

    /**
     * Sends a text. Never rejects: resolves with the final status ('sent' for broadcasts and DMs without ACK,
     * 'acked'/'failed' for DMs with ACK, 'failed' with `error` for invalid requests, a full queue or no connection).
     */
    send(request: SendRequest): Promise<SendResult> {
        const text = typeof request.text === 'string' ? request.text : '';
        const plan = this.stopped
            ? { error: 'adapter stopping', toLabel: 'broadcast', channelLabel: '' }
            : planSend(request, this.planContext);
        if ('error' in plan) {
            return Promise.resolve(this.reject(plan.error, text, plan.toLabel, plan.channelLabel));
        }
        let packets: OutgoingPacket[];
        try {
            packets = this.encodeParts(plan);
        } catch (error) {
            const reason = `cannot encode: ${errorText(error)}`;
            return Promise.resolve(this.reject(reason, text, plan.toLabel, plan.channelLabel));
        }
        return new Promise<SendResult>(resolve => this.enqueue(plan, packets, text, resolve));
    }

    /** See `Traceroutes.request`: a traceroute to one node, resolved with the reply's route or a failure. */
    traceroute(to: unknown, onSent?: () => void): Promise<TracerouteResult> {
        return this.traceroutes.request(to, onSent);
    }

    /** See `Announcer.announce`: periodic or manual, at most once an hour. */
    announce(wantResponse = false): AnnounceResult {
        return this.stopped ? { queued: 0, skipped: 'adapter stopping' } : this.announcer.announce(wantResponse);
    }

    /** See `Announcer.announceAfterConnect`: after every (re)connection, at most once in 10 minutes. */
    announceAfterConnect(): AnnounceResult {
        return this.stopped ? { queued: 0, skipped: 'adapter stopping' } : this.announcer.announceAfterConnect();
    }

    /**
     * Feeds every decoded packet (before the mesh model's dedup, so retransmissions can be ACKed): settles ACK/NAK
     * of our DMs, ACKs DMs to us that want one, answers NodeInfo requests to us.
     */
    onPacket(packet: DecodedPacket): void {
        if (this.stopped || this.isOwnPacket(packet)) {
            return;
        }
        const { header, data } = packet;
        if (data.portnum === ROUTING_APP) {
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
        if (data.portnum === NODEINFO_APP && data.wantResponse) {
            this.replies.nodeInfo(packet);
        }
    }

    /** Our own packet coming back from the broker (MQTT has no no-local): not to be shown as received. */
    isOwnPacket(packet: { header: { from: number }; gatewayId: string }): boolean {
        return (
            packet.header.from >>> 0 === this.identity.nodeNum ||
            packet.gatewayId.toLowerCase() === this.identity.id.toLowerCase()
        );
    }

    /** Adapter unload: clears every timer, fails everything pending with 'adapter stopping'. */
    stop(): void {
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
    private encodeParts(plan: SendPlan): OutgoingPacket[] {
        return plan.parts.map(part =>
            this.packets.build(
                plan.route,
                plan.to,
                {
                    portnum: TEXT_MESSAGE_APP,
                    payload: encodeText(part),
                    bitfield: BITFIELD_OK_TO_MQTT,
                    replyId: plan.replyId,
                    emoji: plan.emoji ? 1 : 0,
                },
                plan.wantAck,
            ),
        );
    }

    private enqueue(
        plan: SendPlan,
        packets: OutgoingPacket[],
        text: string,
        resolve: (result: SendResult) => void,
    ): void {
        const message: PendingMessage = {
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
        const items: QueueItem[] = packets.map(packet => ({
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

    private partSent(message: PendingMessage, id: number): void {
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
        } else if (message.acked >= message.parts) {
            this.finish(message, 'acked');
        } else {
            this.emit(message, 'sent');
        }
    }

    private delivery(message: PendingMessage, outcome: DeliveryOutcome): void {
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

    private finish(message: PendingMessage, status: Exclude<SendState, 'queued'>, error?: string): void {
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
        const result: SendResult = { id: message.id, status };
        if (error !== undefined) {
            result.error = error;
        }
        if (message.parts > 1) {
            result.parts = message.parts;
        }
        message.resolve(result);
    }

    private emit(message: PendingMessage, status: SendState, error?: string): void {
        const update: SendStatus = {
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
    private reject(error: string, text: string, toLabel: string, channelLabel: string): SendResult {
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
