/**
 * What the embedded broker takes in: which publishes and subscriptions it accepts (aedes' authorize hooks) and what
 * reaches the adapter as an InboundMessage. The adapter's own publishes are marked, so they are not reported back.
 */
import type { AedesPublishPacket, Client as AedesClient, PublishPacket, Subscription } from 'aedes' with {
    'resolution-mode': 'import',
};
import { printable } from '../log-once';
import type { BrokerContext } from './broker-context';
import type { InboundMessage } from './types';

const SYS_PREFIX = '$SYS/';

export class PublishIntake {
    /** Packets the adapter published itself: not reported back as inbound messages. */
    private readonly ownPackets = new WeakSet<object>();

    constructor(
        private readonly maxTopicLength: number,
        private readonly ctx: BrokerContext,
        private readonly deliver: (message: InboundMessage) => void,
    ) {}

    /** A packet the adapter is about to publish through aedes. */
    markOwn(packet: PublishPacket): void {
        this.ownPackets.add(packet);
    }

    authorizePublish(client: AedesClient | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
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

    authorizeSubscribe(
        client: AedesClient,
        subscription: Subscription,
        done: (error: Error | null, subscription?: Subscription | null) => void,
    ): void {
        if (subscription.topic.length > this.maxTopicLength) {
            this.ctx.counters.oversizedTopics++;
            this.reportLongTopic(client, subscription.topic, 'subscribe to');
            done(null, null); // SUBACK 0x80 (failure) for this filter; the connection stays
            return;
        }
        done(null, subscription);
    }

    /** Dropped (overlong) topics are acknowledged but must not reach other clients. */
    authorizeForward(packet: AedesPublishPacket): AedesPublishPacket | null {
        return packet.topic.length > this.maxTopicLength ? null : packet;
    }

    /** aedes' `publish` event: every packet it routes, ours and $SYS included. */
    published(packet: AedesPublishPacket, client: AedesClient | null): void {
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

    private reportLongTopic(client: AedesClient | null, topic: string, action: string): void {
        const address = this.ctx.addressOf(client);
        const text =
            `MQTT client "${printable(client?.id ?? '', 64)}" from ${address} tried to ${action} a topic of ${topic.length} ` +
            `characters (limit ${this.maxTopicLength}): "${printable(topic, 60)}" ignored`;
        if (this.ctx.limiter.allow(`topic:${address}`) === undefined) {
            this.ctx.log.debug(text);
        } else {
            this.ctx.log.warn(text);
        }
    }
}
