/**
 * The send path of the virtual node: texts (channel broadcasts and DMs), NodeInfo announcements, and the replies a
 * well-behaved node owes the mesh (routing ACKs for DMs to us, NodeInfo when asked).
 *
 * Downlink rules (spec §6): every packet is encrypted with the channel key or PKI (a gateway with `encryption_enabled`
 * drops cleartext; only a channel configured without key goes out as the codec writes it unencrypted), goes to
 * `<root>/2/e/<channel name>/!<our id>` (or `.../PKI/...` for PKI DMs), carries our node number as `from`, our id as
 * gateway id, the channel hash (0 for PKI), `hop_limit == hop_start` and a fresh random packet id.
 *
 * Channels: a channel with `downlink` is one the adapter may use on its own (default channel of a send, NodeInfo
 * announcements, ACK replies when the original channel is unknown). A send naming a configured channel without
 * downlink is still allowed — the user chose it explicitly; unknown channel names are errors.
 *
 * DMs: PKI when the destination's public key is known (firmware ≥2.7.14 rejects channel-key text DMs). Without a key
 * the send fails, unless the node is in `allowChannelDm` (older firmware): then a channel-key DM is sent.
 *
 * A request is validated and split completely before anything is queued: it is sent whole or not at all.
 */
import type { DecodedPacket } from '../codec/types';
import {
    type ChannelKey,
    type DataInput,
    encodeChannelPacket,
    encodePkiPacket,
    encodeRoutingAck,
    encodeText,
    nodeIdString,
    parseNodeId,
    randomPacketId,
    SharedKeyCache,
} from '../codec';
import { DeliveryTracker, ROUTING_APP, type DeliveryOutcome } from './delivery';
import { BITFIELD_OK_TO_MQTT, NODEINFO_APP, nodeInfoData, type VirtualNodeIdentity } from './identity';
import { SendQueue, DEFAULT_QUEUE_SIZE, type QueueItem } from './queue';
import { splitText, DEFAULT_MAX_PART_BYTES, DEFAULT_MAX_PARTS } from './text-split';
import type { PublishFn, SendResult, SendState, SendStatus, Timers } from './types';

export const TEXT_MESSAGE_APP = 1;
export const BROADCAST_NUM = 0xffffffff;
/** Never announce more often than this (firmware coerces NodeInfo to ≥1 h on default channels). */
export const MIN_ANNOUNCE_INTERVAL_MS = 60 * 60_000;
/** At most one NodeInfo reply per requesting node in this time. */
export const NODEINFO_REPLY_INTERVAL_MS = 10 * 60_000;
/** Copies of one DM arriving through several gateways within this window are ACKed once. */
export const ACK_REPEAT_WINDOW_MS = 5_000;
/** Text bytes per packet can be configured up to this (Data framing + PKI overhead must stay ≤ 256 bytes). */
export const MAX_TEXT_PART_BYTES = 220;
const MAX_REMEMBERED = 256;

/** A configured channel as the send path sees it. */
export type SendChannel = ChannelKey & { readonly downlink: boolean };

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
}

export interface SendRequest {
    text: unknown;
    /** Channel name (or index into the configured channels); default: the first channel with downlink. */
    channel?: unknown;
    /** `!xxxxxxxx`, 8 hex digits, `0x…`, decimal text or a node number; absent/'broadcast' = channel broadcast. */
    to?: unknown;
    /** DMs only (default true). Broadcasts never request an ACK. */
    wantAck?: boolean;
    /** Id of the message this one replies to. */
    replyId?: unknown;
    /** The text is a reaction (tapback) to `replyId`. */
    emoji?: boolean;
}

export interface AnnounceResult {
    /** NodeInfo packets queued (one per downlink channel). */
    queued: number;
    /** Why nothing was queued. */
    skipped?: string;
}

type Destination = { kind: 'broadcast' } | { kind: 'node'; num: number };

/** How one packet is encrypted and addressed. */
type Route = { kind: 'channel'; channel: SendChannel } | { kind: 'pki'; sharedKey: Uint8Array };

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

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

function isUint32(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/**
 * Parses a destination: undefined/''/'broadcast'/'^all'/!ffffffff = broadcast; otherwise a node number as the codec
 * reads node ids (`!a1b2c3d4`, 8 hex digits, `0x…`, decimal) or a number.
 */
export function parseDestination(to: unknown): Destination | { error: string } {
    if (to === undefined || to === null || to === '') {
        return { kind: 'broadcast' };
    }
    let num: number | undefined;
    if (typeof to === 'number') {
        num = isUint32(to) ? to : undefined;
    } else if (typeof to === 'string') {
        const text = to.trim().toLowerCase();
        if (text === '' || text === 'broadcast' || text === '^all') {
            return { kind: 'broadcast' };
        }
        num = parseNodeId(text);
    }
    if (num === undefined) {
        return { error: `invalid destination ${JSON.stringify(to)} (expected !xxxxxxxx or a node number)` };
    }
    if (num === BROADCAST_NUM) {
        return { kind: 'broadcast' };
    }
    if (num <= 3) {
        return { error: `invalid destination ${nodeIdString(num)} (reserved node number)` };
    }
    return { kind: 'node', num };
}

/** Sets `key` → `value` in a Map used as a bounded, insertion-ordered record (the oldest goes first). */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
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

export class Messenger {
    readonly identity: VirtualNodeIdentity;
    private readonly queue: SendQueue;
    private readonly tracker: DeliveryTracker;
    private readonly sharedKeys: SharedKeyCache;
    private readonly hopLimit: number;
    private readonly maxTextBytes: number;
    private readonly maxParts: number;
    private readonly randomId: () => number;
    private readonly recentIds = new Map<number, true>();
    private readonly ackedAt = new Map<string, number>();
    private readonly nodeInfoRepliedAt = new Map<number, number>();
    private readonly messages = new Set<PendingMessage>();
    private lastAnnounceAt: number | undefined;
    private announcePending = 0;
    private stopped = false;

    constructor(private readonly options: MessengerOptions) {
        this.identity = options.identity;
        this.hopLimit = Math.min(7, Math.max(0, Math.floor(options.hopLimit)));
        this.maxTextBytes = Math.min(
            MAX_TEXT_PART_BYTES,
            Math.max(16, Math.floor(options.maxTextBytes ?? DEFAULT_MAX_PART_BYTES)),
        );
        this.maxParts = Math.max(1, Math.floor(options.maxParts ?? DEFAULT_MAX_PARTS));
        this.randomId = options.randomId ?? randomPacketId;
        this.sharedKeys = new SharedKeyCache(options.identity.privateKey, MAX_REMEMBERED);
        this.queue = new SendQueue({
            publish: options.publish,
            isConnected: options.isConnected,
            timers: options.timers,
            now: options.now,
            spacingMs: Math.max(0, options.sendSpacingMs),
            maxItems: options.queueSize ?? DEFAULT_QUEUE_SIZE,
            disconnectedWaitMs: options.disconnectedWaitMs,
        });
        this.tracker = new DeliveryTracker({
            ownNodeNum: options.identity.nodeNum,
            ackTimeoutMs: Math.max(1, options.ackTimeoutSeconds) * 1000,
            timers: options.timers,
        });
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
        const prepared = this.prepare(request);
        if ('error' in prepared) {
            return Promise.resolve(this.reject(prepared.error, text, prepared.toLabel, prepared.channelLabel));
        }
        const { parts, route, to, toLabel, channelLabel, wantAck, replyId, emoji } = prepared;

        // encode every part before queueing any: a part that cannot be encoded must not leave the others half sent
        const packets: { id: number; topic: string; payload: Uint8Array }[] = [];
        try {
            for (const part of parts) {
                const id = this.nextId();
                const data: DataInput = {
                    portnum: TEXT_MESSAGE_APP,
                    payload: encodeText(part),
                    bitfield: BITFIELD_OK_TO_MQTT,
                    replyId,
                    emoji: emoji ? 1 : 0,
                };
                packets.push({ id, ...this.encode(route, to, id, data, wantAck) });
            }
        } catch (error) {
            return Promise.resolve(this.reject(`cannot encode: ${errorText(error)}`, text, toLabel, channelLabel));
        }

        return new Promise<SendResult>(resolve => {
            const message: PendingMessage = {
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
            const items: QueueItem[] = packets.map(packet => ({
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
    announce(wantResponse = false): AnnounceResult {
        if (this.stopped) {
            return { queued: 0, skipped: 'adapter stopping' };
        }
        const now = this.options.now();
        if (this.announcePending > 0) {
            return { queued: 0, skipped: 'an announcement is still queued' };
        }
        if (this.lastAnnounceAt !== undefined && now - this.lastAnnounceAt < MIN_ANNOUNCE_INTERVAL_MS) {
            return { queued: 0, skipped: 'announced less than 1 h ago' };
        }
        const channels = this.options.channels.filter(c => c.downlink);
        if (channels.length === 0) {
            return { queued: 0, skipped: 'no channel has downlink enabled' };
        }
        const data = nodeInfoData(this.identity, wantResponse);
        const items: QueueItem[] = [];
        try {
            for (const channel of channels) {
                const packet = this.encode({ kind: 'channel', channel }, BROADCAST_NUM, this.nextId(), data, false);
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
        } catch (error) {
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
        if (header.wantAck) {
            this.sendAck(packet);
        }
        if (data.portnum === NODEINFO_APP && data.wantResponse) {
            this.replyNodeInfo(packet);
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
        for (const message of [...this.messages]) {
            this.finish(message, 'failed', 'adapter stopping');
        }
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    private prepare(request: SendRequest):
        | {
              parts: string[];
              route: Route;
              to: number;
              toLabel: string;
              channelLabel: string;
              wantAck: boolean;
              replyId: number;
              emoji: boolean;
          }
        | { error: string; toLabel: string; channelLabel: string } {
        let toLabel = 'broadcast';
        let channelLabel = '';
        const fail = (error: string): { error: string; toLabel: string; channelLabel: string } => ({
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
            toLabel = nodeIdString(destination.num);
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

        let route: Route = { kind: 'channel', channel };
        let to = BROADCAST_NUM;
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
            } else if (!channelDmAllowed) {
                return fail(
                    publicKey
                        ? `the public key of ${toLabel} is unusable — allow a channel-key DM for it`
                        : `no public key for ${toLabel} — wait for its NodeInfo or allow a channel-key DM for it`,
                );
            }
        }

        const split = splitText(request.text, { maxBytes: this.maxTextBytes, maxParts: this.maxParts });
        if (!split.ok) {
            return fail(split.error);
        }
        if (emoji && split.parts.length > 1) {
            return fail('a reaction must fit into one packet');
        }
        return { parts: split.parts, route, to, toLabel, channelLabel, wantAck, replyId, emoji };
    }

    /** Channel by name (exact, else unique case-insensitive match) or index; default: first with downlink. */
    private resolveChannel(requested: unknown): SendChannel | { error: string } {
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

    private defaultChannel(): SendChannel | undefined {
        return this.options.channels.find(c => c.downlink) ?? this.options.channels[0];
    }

    // ---- encoding -----------------------------------------------------------------------------------------------

    private nextId(): number {
        for (let attempt = 0; attempt < 16; attempt++) {
            const id = this.randomId() >>> 0;
            if (id !== 0 && !this.recentIds.has(id) && !this.tracker.has(id)) {
                remember(this.recentIds, id, true);
                return id;
            }
        }
        throw new Error('no unused packet id');
    }

    private encode(
        route: Route,
        to: number,
        id: number,
        data: DataInput,
        wantAck: boolean,
    ): { topic: string; payload: Uint8Array } {
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
            ? encodePkiPacket({ ...common, sharedKey: route.sharedKey })
            : encodeChannelPacket({ ...common, channel: route.channel, gatewayId: this.identity.id });
    }

    // ---- message lifecycle --------------------------------------------------------------------------------------

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

    // ---- replies ------------------------------------------------------------------------------------------------

    /**
     * Channel for a reply to `packet`: the configured channel it came on, else the first channel with downlink.
     * Replies are never PKI: firmware excludes ROUTING and NODEINFO from PKI, and channel packets pass every gateway
     * with downlink on that channel (PKI downlink needs the gateway to know both nodes). For a PKI DM this is the
     * analogue of firmware's ACK on the primary channel.
     */
    private replyRoute(packet: DecodedPacket): Route | undefined {
        const arrival =
            packet.encryption === 'pki' ? undefined : this.options.channels.find(c => c.name === packet.channelName);
        const channel = arrival ?? this.options.channels.find(c => c.downlink);
        return channel ? { kind: 'channel', channel } : undefined;
    }

    private sendAck(packet: DecodedPacket): void {
        const { from, id } = packet.header;
        const key = `${from}:${id}`;
        const now = this.options.now();
        const last = this.ackedAt.get(key);
        if (last !== undefined && now - last < ACK_REPEAT_WINDOW_MS) {
            return; // the same DM through another gateway
        }
        const route = this.replyRoute(packet);
        if (!route) {
            return;
        }
        remember(this.ackedAt, key, now);
        const data: DataInput = {
            portnum: ROUTING_APP,
            payload: encodeRoutingAck(0),
            requestId: id,
            bitfield: BITFIELD_OK_TO_MQTT,
        };
        this.enqueueReply(route, from, data, true);
    }

    private replyNodeInfo(packet: DecodedPacket): void {
        const from = packet.header.from;
        const now = this.options.now();
        const last = this.nodeInfoRepliedAt.get(from);
        if (last !== undefined && now - last < NODEINFO_REPLY_INTERVAL_MS) {
            return;
        }
        const route = this.replyRoute(packet);
        if (!route) {
            return;
        }
        remember(this.nodeInfoRepliedAt, from, now);
        this.enqueueReply(route, from, nodeInfoData(this.identity, false), false);
    }

    private enqueueReply(route: Route, to: number, data: DataInput, priority: boolean): void {
        try {
            const packet = this.encode(route, to, this.nextId(), data, false);
            // a full queue drops the reply: the peer retries or asks again
            this.queue.enqueue([{ ...packet, priority }]);
        } catch {
            // an unencodable reply is dropped like a lost radio packet
        }
    }
}
