/**
 * The client's subscriptions, renewed on every connection (clean session). A filter the broker refuses (SUBACK
 * 0x80, typically an ACL) is named once per window; the connection stays.
 */
import type * as Mqtt from 'mqtt';
import type { LogLimiter } from './handlers';
import type { TransportLogger } from './types';

export interface SubscriptionContext {
    /** The broker URL as logged. */
    url: string;
    log: TransportLogger;
    limiter: LogLimiter;
    /** False once this MQTT.js client is no longer the current connection (its errors are old news). */
    current: () => boolean;
}

export function subscribeAll(client: Mqtt.MqttClient, topics: string[], qos: 0 | 1, ctx: SubscriptionContext): void {
    if (topics.length === 0) {
        return;
    }
    client.subscribe(topics, { qos }, (err, granted) => {
        if (err) {
            if (ctx.current()) {
                ctx.log.warn(`Subscribing at ${ctx.url} failed: ${err.message}`);
            }
            return;
        }
        for (const grant of granted ?? []) {
            if (grant.qos === 128 && ctx.limiter.allow(grant.topic) !== undefined) {
                ctx.log.warn(`The broker ${ctx.url} refused the subscription to "${grant.topic}" (not authorized?)`);
            }
        }
    });
}
