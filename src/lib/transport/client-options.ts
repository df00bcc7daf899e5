/**
 * The MQTT client's settings: what the adapter passes in, the URL checks and its log form, and the MQTT.js connect
 * options (TLS, clean session, no MQTT.js reconnect) built from them. MQTT.js itself is loaded lazily here.
 */
import type * as Mqtt from 'mqtt';
import { printable } from '../log-once';
import type { Timers, TransportLogger } from './types';

export interface ClientOptions {
    /** mqtt://, mqtts://, ws://, wss:// (also tcp://, ssl://, tls://). */
    url: string;
    user?: string;
    pass?: string;
    clientId: string;
    /** QoS of the subscriptions, and of publish() when no QoS is given. */
    qos: 0 | 1;
    /** Verify the broker's TLS certificate (mqtts://, wss://). */
    rejectUnauthorized: boolean;
    /** PEM CA certificate(s) to trust for a broker with a private or self-signed certificate. */
    ca?: string;
    /** Topic filters subscribed on every (re)connect. */
    subscriptions: string[];
    /** First reconnect delay (default 1000 ms); doubled per failed attempt … */
    reconnectMinMs?: number;
    /** … up to this (default 5000 ms: a restarted broker is back within seconds; one attempt per 5 s is no storm). */
    reconnectMaxMs?: number;
    /** TCP/TLS connect plus CONNACK must complete within this (default 30000 ms). */
    connectTimeoutMs?: number;
    /**
     * A connection that breaks sooner than this (default 30000 ms) counts as a failed attempt: the backoff keeps
     * growing and the log stays quiet. Guards against flapping, e.g. two clients with the same client id.
     */
    stableAfterMs?: number;
    /** MQTT keepalive (default 60 s). */
    keepaliveSeconds?: number;
    logger: TransportLogger;
    timers: Timers;
}

const SUPPORTED_SCHEMES = new Set(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'tls:', 'ws:', 'wss:']);
const DEFAULT_PORTS: Record<string, number> = {
    'mqtt:': 1883,
    'tcp:': 1883,
    'mqtts:': 8883,
    'ssl:': 8883,
    'tls:': 8883,
    'ws:': 80,
    'wss:': 443,
};

/** Why `url` cannot be used (a message for the user), or undefined. `shown`: the URL as logged. */
export function urlProblem(url: string, shown: string): string | undefined {
    let scheme: string;
    try {
        scheme = new URL(url).protocol;
    } catch {
        return `"${shown}" is not a valid broker URL (e.g. mqtt://192.168.1.10:1883)`;
    }
    if (!SUPPORTED_SCHEMES.has(scheme)) {
        return `Unsupported scheme "${scheme}" in "${shown}": use mqtt://, mqtts://, ws:// or wss://`;
    }
    return undefined;
}

/** The URL with any password replaced, for log lines. */
export function displayUrl(url: string): string {
    try {
        const parsed = new URL(url);
        if (parsed.password) {
            parsed.password = '***';
        }
        return parsed.toString().replace(/\/$/, '');
    } catch {
        return printable(url, 100);
    }
}

/** Host and TCP port the URL points to (the scheme's default port when none is given). */
export function brokerAddress(url: string): { host: string; port: number } | undefined {
    try {
        const parsed = new URL(url);
        const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
        const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals come in brackets
        return host && port ? { host, port } : undefined;
    } catch {
        return undefined;
    }
}

/** One fresh MQTT.js connection: clean session, MQTT 3.1.1, our own reconnect loop. */
export function mqttClientOptions(options: ClientOptions, connectTimeoutMs: number): Mqtt.IClientOptions {
    const { user, pass, ca } = options;
    return {
        clientId: options.clientId,
        username: user || undefined,
        password: pass || undefined,
        clean: true,
        reconnectPeriod: 0, // our own loop (client.ts, scheduleReconnect)
        connectTimeout: connectTimeoutMs,
        keepalive: options.keepaliveSeconds ?? 60,
        protocolVersion: 4, // 3.1.1: what Meshtastic firmware and every public broker speak
        rejectUnauthorized: options.rejectUnauthorized,
        ca: ca || undefined,
        resubscribe: false,
        queueQoSZero: false, // nothing is queued while disconnected: publish() rejects instead
    };
}

/**
 * MQTT.js, loaded with the first client connection: broker mode (the default) never needs it, and loading it costs
 * about 2 MB of memory.
 */
let mqttModule: typeof Mqtt | undefined;
export function mqttConnect(url: string, options: Mqtt.IClientOptions): Mqtt.MqttClient {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy; mqtt has a CommonJS build
    mqttModule ??= require('mqtt') as typeof Mqtt;
    return mqttModule.connect(url, options);
}

/** end(true) without waiting for a stream that is already gone (its 'close' would never come again). */
export function endClient(client: Mqtt.MqttClient): Promise<void> {
    return new Promise(resolve => {
        const streamOpen = client.stream !== undefined && !client.stream.destroyed;
        client.end(true, () => resolve());
        if (!streamOpen) {
            resolve();
        }
    });
}
