"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEDUP_WINDOW_MS = void 0;
exports.meshOptionsOf = meshOptionsOf;
exports.writeCadenceOf = writeCadenceOf;
exports.defaultClientId = defaultClientId;
exports.transportOptionsOf = transportOptionsOf;
exports.sendChannelsOf = sendChannelsOf;
exports.listeningLine = listeningLine;
const config_1 = require("./config");
/** The window in which the same packet heard through several gateways counts once. */
exports.DEDUP_WINDOW_MS = 10 * 60_000;
function meshOptionsOf(config, ownNodeNum) {
    return {
        maxNodes: config.maxNodes,
        offlineMinutes: config.offlineMinutes,
        purgeDays: config.purgeDays,
        allowList: config.allowList,
        maxHops: config.maxHops,
        historySize: config.historySize,
        dedupWindowMs: exports.DEDUP_WINDOW_MS,
        ownNodeNum,
        detectionAlarmMs: config.detectionAlarmSeconds * 1000,
    };
}
/** How often the writer writes the per-packet bookkeeping states (`radio.*`, `status.lastHeard`). */
function writeCadenceOf(config) {
    return {
        radio: config.radioWrites,
        radioMs: config.radioMinutes * 60_000,
        lastHeardMs: config.lastHeardMinutes * 60_000,
    };
}
/** The client id when none is configured: host and instance, in the characters every broker accepts. */
function defaultClientId(host, namespace) {
    return `iobroker-${host}-${namespace}`.replace(/[^\w.-]/g, '_');
}
function transportOptionsOf(config, env) {
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
            subscriptions: (0, config_1.clientSubscriptions)(config),
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
function sendChannelsOf(config, keys) {
    return keys.map((key, i) => ({ ...key, downlink: config.channels[i].downlink }));
}
/** What the log says once the transport is up. */
function listeningLine(config) {
    const b = config.broker;
    return config.mode === 'broker'
        ? `Embedded MQTT broker listening on ${b.bind}:${b.port}` +
            `${b.ssl ? ' (TLS)' : ''}${b.webSocket ? `, WebSocket on ${b.port + 1}` : ''}`
        : `Connecting to ${config.client.url}`;
}
