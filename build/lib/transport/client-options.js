"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.urlProblem = urlProblem;
exports.displayUrl = displayUrl;
exports.brokerAddress = brokerAddress;
exports.mqttClientOptions = mqttClientOptions;
exports.mqttConnect = mqttConnect;
exports.endClient = endClient;
const log_once_1 = require("../log-once");
const SUPPORTED_SCHEMES = new Set(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'tls:', 'ws:', 'wss:']);
const DEFAULT_PORTS = {
    'mqtt:': 1883,
    'tcp:': 1883,
    'mqtts:': 8883,
    'ssl:': 8883,
    'tls:': 8883,
    'ws:': 80,
    'wss:': 443,
};
/** Why `url` cannot be used (a message for the user), or undefined. `shown`: the URL as logged. */
function urlProblem(url, shown) {
    let scheme;
    try {
        scheme = new URL(url).protocol;
    }
    catch {
        return `"${shown}" is not a valid broker URL (e.g. mqtt://192.168.1.10:1883)`;
    }
    if (!SUPPORTED_SCHEMES.has(scheme)) {
        return `Unsupported scheme "${scheme}" in "${shown}": use mqtt://, mqtts://, ws:// or wss://`;
    }
    return undefined;
}
/** The URL with any password replaced, for log lines. */
function displayUrl(url) {
    try {
        const parsed = new URL(url);
        if (parsed.password) {
            parsed.password = '***';
        }
        return parsed.toString().replace(/\/$/, '');
    }
    catch {
        return (0, log_once_1.printable)(url, 100);
    }
}
/** Host and TCP port the URL points to (the scheme's default port when none is given). */
function brokerAddress(url) {
    try {
        const parsed = new URL(url);
        const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
        const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals come in brackets
        return host && port ? { host, port } : undefined;
    }
    catch {
        return undefined;
    }
}
/** One fresh MQTT.js connection: clean session, MQTT 3.1.1, our own reconnect loop. */
function mqttClientOptions(options, connectTimeoutMs) {
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
let mqttModule;
function mqttConnect(url, options) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy; mqtt has a CommonJS build
    mqttModule ??= require('mqtt');
    return mqttModule.connect(url, options);
}
/** end(true) without waiting for a stream that is already gone (its 'close' would never come again). */
function endClient(client) {
    return new Promise(resolve => {
        const streamOpen = client.stream !== undefined && !client.stream.destroyed;
        client.end(true, () => resolve());
        if (!streamOpen) {
            resolve();
        }
    });
}
