"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Replies = exports.ACK_REPEAT_WINDOW_MS = exports.NODEINFO_REPLY_INTERVAL_MS = void 0;
/**
 * The replies a well-behaved node owes the mesh: a routing ACK for a DM to us that wants one, and our NodeInfo when
 * a node asks for it. Replies are never PKI (firmware excludes ROUTING and NODEINFO from PKI) and go out on the
 * channel the request came on, else on the first channel with downlink (for a PKI DM the analogue of firmware's ACK
 * on the primary channel).
 */
const codec_1 = require("../codec");
const identity_1 = require("./identity");
const remember_1 = require("./remember");
/** At most one NodeInfo reply per requesting node in this time. */
exports.NODEINFO_REPLY_INTERVAL_MS = 10 * 60_000;
/** Copies of one DM arriving through several gateways within this window are ACKed once. */
exports.ACK_REPEAT_WINDOW_MS = 5_000;
class Replies {
    options;
    ackedAt = new Map();
    nodeInfoRepliedAt = new Map();
    constructor(options) {
        this.options = options;
    }
    /** ACKs a DM to us (once per packet, whichever gateway delivered it first). */
    ack(packet) {
        const { from, id } = packet.header;
        const data = {
            portnum: codec_1.ROUTING_APP,
            payload: (0, codec_1.encodeRoutingAck)(0),
            requestId: id,
            bitfield: identity_1.BITFIELD_OK_TO_MQTT,
        };
        this.replyOnce(this.ackedAt, `${from}:${id}`, exports.ACK_REPEAT_WINDOW_MS, packet, data, true);
    }
    /** Answers a NodeInfo request to us, at most once per node in `NODEINFO_REPLY_INTERVAL_MS`. */
    nodeInfo(packet) {
        const data = (0, identity_1.nodeInfoData)(this.options.identity, false);
        this.replyOnce(this.nodeInfoRepliedAt, packet.header.from, exports.NODEINFO_REPLY_INTERVAL_MS, packet, data, false);
    }
    replyOnce(repliedAt, key, minIntervalMs, packet, data, priority) {
        const now = this.options.now();
        const last = repliedAt.get(key);
        if (last !== undefined && now - last < minIntervalMs) {
            return;
        }
        const route = this.routeFor(packet);
        if (!route) {
            return;
        }
        (0, remember_1.remember)(repliedAt, key, now);
        try {
            const reply = this.options.packets.build(route, packet.header.from, data, false);
            // a full queue drops the reply: the peer retries or asks again
            this.options.queue.enqueue([{ topic: reply.topic, payload: reply.payload, priority }]);
        }
        catch {
            // an unencodable reply is dropped like a lost radio packet
        }
    }
    routeFor(packet) {
        const channels = this.options.channels;
        const arrival = packet.encryption === 'pki' ? undefined : channels.find(c => c.name === packet.channelName);
        const channel = arrival ?? channels.find(c => c.downlink);
        return channel ? { kind: 'channel', channel } : undefined;
    }
}
exports.Replies = Replies;
