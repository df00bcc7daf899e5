/**
 * The normalised configuration as each component's options: pure, so the mapping is tested without starting
 * anything. Values are taken as `config/` normalised them; only empty texts become "not set".
 */
import type { KeyRing } from './codec';
import { clientSubscriptions, type MeshtasticConfig } from './config';
import type { MeshOptions } from './mesh';
import type { SendChannel } from './send';
import type { WriteCadence } from './states/cadence';
import type { Timers, TransportLogger, TransportOptions } from './transport';

/** The window in which the same packet heard through several gateways counts once. */
export const DEDUP_WINDOW_MS = 10 * 60_000;

export function meshOptionsOf(config: MeshtasticConfig, ownNodeNum: number): MeshOptions {
    return {
        maxNodes: config.maxNodes,
        offlineMinutes: config.offlineMinutes,
        purgeDays: config.purgeDays,
        allowList: config.allowList,
        maxHops: config.maxHops,
        historySize: config.historySize,
        dedupWindowMs: DEDUP_WINDOW_MS,
        ownNodeNum,
        detectionAlarmMs: config.detectionAlarmSeconds * 1000,
    };
}

/** How often the writer writes the per-packet bookkeeping states (`radio.*`, `status.lastHeard`). */
export function writeCadenceOf(config: MeshtasticConfig): WriteCadence {
    return {
        radio: config.radioWrites,
        radioMs: config.radioMinutes * 60_000,
        lastHeardMs: config.lastHeardMinutes * 60_000,
    };
}

/** The client id when none is configured: host and instance, in the characters every broker accepts. */
export function defaultClientId(host: string, namespace: string): string {
    return `iobroker-${host}-${namespace}`.replace(/[^\w.-]/g, '_');
}

export interface TransportEnvironment {
    /** Broker mode with TLS: the loaded certificates. */
    tls?: { key: string; cert: string; ca?: string };
    /** Client mode without a configured client id. */
    clientIdFallback: string;
    logger: TransportLogger;
    timers: Timers;
}

export function transportOptionsOf(config: MeshtasticConfig, env: TransportEnvironment): TransportOptions {
    const { logger, timers } = env;
    if (config.mode === 'client') {
        const c = config.client;
        return {
            mode: 'client',
            url: c.url,
            user: c.user || undefined,
            pass: c.pass || undefined,
            clientId: c.clientId || env.clientIdFallback,
            qos: c.qos,
            rejectUnauthorized: c.rejectUnauthorized,
            ca: c.caCert || undefined,
            subscriptions: clientSubscriptions(config),
            logger,
            timers,
        };
    }
    const b = config.broker;
    return {
        mode: 'broker',
        bind: b.bind,
        port: b.port,
        webSocket: b.webSocket,
        tls: env.tls,
        user: b.user || undefined,
        pass: b.pass || undefined,
        maxClients: b.maxClients,
        maxTopicLength: b.maxTopicLength,
        maxPacketSize: b.maxPacketSize,
        logger,
        timers,
    };
}

/** The send channels: the key ring's prepared keys (same order as the configured channels) with their downlink. */
export function sendChannelsOf(config: MeshtasticConfig, keys: KeyRing['channels']): SendChannel[] {
    return keys.map((key, i) => ({ ...key, downlink: config.channels[i].downlink }));
}

/** What the log says once the transport is up. */
export function listeningLine(config: MeshtasticConfig): string {
    const b = config.broker;
    return config.mode === 'broker'
        ? `Embedded MQTT broker listening on ${b.bind}:${b.port}` +
              `${b.ssl ? ' (TLS)' : ''}${b.webSocket ? `, WebSocket on ${b.port + 1}` : ''}`
        : `Connecting to ${config.client.url}`;
}
