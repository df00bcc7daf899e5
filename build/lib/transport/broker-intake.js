"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PublishIntake = void 0;
const log_once_1 = require("../log-once");
const SYS_PREFIX = '$SYS/';
class PublishIntake {
    maxTopicLength;
    ctx;
    deliver;
    /** Packets the adapter published itself: not reported back as inbound messages. */
    ownPackets = new WeakSet();
    constructor(maxTopicLength, ctx, deliver) {
        this.maxTopicLength = maxTopicLength;
        this.ctx = ctx;
        this.deliver = deliver;
    }
    /** A packet the adapter is about to publish through aedes. */
    markOwn(packet) {
        this.ownPackets.add(packet);
    }
    authorizePublish(client, packet, done) {
        if (packet.topic.startsWith(SYS_PREFIX)) {
            // As aedes' default: clients must not fake broker status topics. The connection is closed.
            done(new Error(`${SYS_PREFIX} topics are reserved`));
            return;
        }
        if (packet.topic.length > this.maxTopicLength) {
            // Acknowledged and dropped (allowed by MQTT-3.3.5-2) rather than disconnecting: a gateway that keeps
            // publishing such a topic would otherwise reconnect in a loop and lose its valid messages too.
            this.ctx.counters.oversizedTopics++;
            this.reportLongTopic(client, packet.topic, 'publish');
            packet.retain = false; // never stored as a retained message either
        }
        done(null);
    }
    authorizeSubscribe(client, subscription, done) {
        if (subscription.topic.length > this.maxTopicLength) {
            this.ctx.counters.oversizedTopics++;
            this.reportLongTopic(client, subscription.topic, 'subscribe to');
            done(null, null); // SUBACK 0x80 (failure) for this filter; the connection stays
            return;
        }
        done(null, subscription);
    }
    /** Dropped (overlong) topics are acknowledged but must not reach other clients. */
    authorizeForward(packet) {
        return packet.topic.length > this.maxTopicLength ? null : packet;
    }
    /** aedes' `publish` event: every packet it routes, ours and $SYS included. */
    published(packet, client) {
        if (this.ownPackets.has(packet) || packet.topic.startsWith(SYS_PREFIX)) {
            return;
        }
        if (packet.topic.length > this.maxTopicLength) {
            return; // counted in authorizePublish
        }
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        this.deliver({
            topic: packet.topic,
            payload,
            arrival: Date.now(),
            clientId: client?.id ?? undefined,
        });
    }
    reportLongTopic(client, topic, action) {
        const address = this.ctx.addressOf(client);
        const text = `MQTT client "${(0, log_once_1.printable)(client?.id ?? '', 64)}" from ${address} tried to ${action} a topic of ${topic.length} ` +
            `characters (limit ${this.maxTopicLength}): "${(0, log_once_1.printable)(topic, 60)}" ignored`;
        if (this.ctx.limiter.allow(`topic:${address}`) === undefined) {
            this.ctx.log.debug(text);
        }
        else {
            this.ctx.log.warn(text);
        }
    }
}
exports.PublishIntake = PublishIntake;
