/**
 * The replies a well-behaved node owes the mesh: a routing ACK for a DM to us that wants one, and our NodeInfo when
 * a node asks for it. Replies are never PKI (firmware excludes ROUTING and NODEINFO from PKI) and go out on the
 * channel the request came on, else on the first channel with downlink (for a PKI DM the analogue of firmware's ACK
 * on the primary channel).
 */
import { type DataInput, encodeRoutingAck, ROUTING_APP } from '../codec';
import type { DecodedPacket } from '../codec/types';
import { BITFIELD_OK_TO_MQTT, nodeInfoData, type VirtualNodeIdentity } from './identity';
import type { PacketFactory, Route, SendChannel } from './packets';
import type { SendQueue } from './queue';
import { remember } from './remember';

/** At most one NodeInfo reply per requesting node in this time. */
export const NODEINFO_REPLY_INTERVAL_MS = 10 * 60_000;
/** Copies of one DM arriving through several gateways within this window are ACKed once. */
export const ACK_REPEAT_WINDOW_MS = 5_000;

export interface RepliesOptions {
    identity: VirtualNodeIdentity;
    channels: readonly SendChannel[];
    packets: PacketFactory;
    queue: SendQueue;
    now: () => number;
}

export class Replies {
    private readonly ackedAt = new Map<string, number>();
    private readonly nodeInfoRepliedAt = new Map<number, number>();

    constructor(private readonly options: RepliesOptions) {}

    /** ACKs a DM to us (once per packet, whichever gateway delivered it first). */
    ack(packet: DecodedPacket): void {
        const { from, id } = packet.header;
        const data: DataInput = {
            portnum: ROUTING_APP,
            payload: encodeRoutingAck(0),
            requestId: id,
            bitfield: BITFIELD_OK_TO_MQTT,
        };
        this.replyOnce(this.ackedAt, `${from}:${id}`, ACK_REPEAT_WINDOW_MS, packet, data, true);
    }

    /** Answers a NodeInfo request to us, at most once per node in `NODEINFO_REPLY_INTERVAL_MS`. */
    nodeInfo(packet: DecodedPacket): void {
        const data = nodeInfoData(this.options.identity, false);
        this.replyOnce(this.nodeInfoRepliedAt, packet.header.from, NODEINFO_REPLY_INTERVAL_MS, packet, data, false);
    }

    private replyOnce<K>(
        repliedAt: Map<K, number>,
        key: K,
        minIntervalMs: number,
        packet: DecodedPacket,
        data: DataInput,
        priority: boolean,
    ): void {
        const now = this.options.now();
        const last = repliedAt.get(key);
        if (last !== undefined && now - last < minIntervalMs) {
            return;
        }
        const route = this.routeFor(packet);
        if (!route) {
            return;
        }
        remember(repliedAt, key, now);
        try {
            const reply = this.options.packets.build(route, packet.header.from, data, false);
            // a full queue drops the reply: the peer retries or asks again
            this.options.queue.enqueue([{ topic: reply.topic, payload: reply.payload, priority }]);
        } catch {
            // an unencodable reply is dropped like a lost radio packet
        }
    }

    private routeFor(packet: DecodedPacket): Route | undefined {
        const channels = this.options.channels;
        const arrival = packet.encryption === 'pki' ? undefined : channels.find(c => c.name === packet.channelName);
        const channel = arrival ?? channels.find(c => c.downlink);
        return channel ? { kind: 'channel', channel } : undefined;
    }
}
