/**
 * What the parts of the embedded broker share: its log, one log limiter for everything a remote party can repeat at
 * will, the counters behind `stats()`, and the peer address of each connection.
 */
import type { Client as AedesClient } from 'aedes' with { 'resolution-mode': 'import' };
import type { LogLimiter } from './handlers';
import type { TransportLogger } from './types';

export interface BrokerStats {
    /** CONNECTs refused for wrong credentials. */
    refusedAuth: number;
    /** PUBLISHes dropped and SUBSCRIBEs refused for a topic longer than maxTopicLength. */
    oversizedTopics: number;
    /** Connections closed for a packet larger than maxPacketSize. */
    oversizedPackets: number;
    /** CONNECTs refused because maxClients were connected. */
    refusedClients: number;
    /** Connections closed for a client id, topic, topic filter or user name that is not valid UTF-8 (or has U+0000). */
    invalidUtf8: number;
}

export interface BrokerContext {
    readonly log: TransportLogger;
    readonly limiter: LogLimiter;
    readonly counters: BrokerStats;
    /** The peer address of a client's connection, '?' when unknown. */
    addressOf(client: AedesClient | null): string;
}

export function emptyStats(): BrokerStats {
    return { refusedAuth: 0, oversizedTopics: 0, oversizedPackets: 0, refusedClients: 0, invalidUtf8: 0 };
}

/**
 * A warning that a remote party can repeat: the first of `key` in a window at warn level (with how many were
 * suppressed before, `more` naming them), the rest at debug.
 */
export function warnLimited(ctx: BrokerContext, key: string, text: string, more = 'more since the last report'): void {
    const suppressed = ctx.limiter.allow(key);
    if (suppressed === undefined) {
        ctx.log.debug(text);
    } else {
        ctx.log.warn(suppressed ? `${text} (${suppressed} ${more})` : text);
    }
}
