"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ClientTransport = void 0;
const log_once_1 = require("../log-once");
const handlers_1 = require("./handlers");
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
/** Kinds that need the user to change something: logged as errors. The others may heal by themselves. */
const CONFIG_KINDS = new Set(['dns', 'tls', 'credentials', 'client-id']);
const SUPPORTED_SCHEMES = new Set(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'tls:', 'ws:', 'wss:']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|EPROTO$)/;
/** How long an own publish is remembered to drop its echo from the broker (we subscribe to what we publish). */
const ECHO_WINDOW_MS = 30_000;
const ECHO_MAX_ENTRIES = 500;
function errorCode(err) {
    const code = err?.code;
    return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}
function classify(err) {
    const code = errorCode(err);
    if (typeof code === 'number') {
        // CONNACK return codes (MQTT 3.1.1) and reason codes (MQTT 5).
        switch (code) {
            // One kind: Mosquitto answers a wrong password with 5 "not authorized" on MQTT 3.1.1, others with 4.
            case 4:
            case 0x86:
            case 5:
            case 0x87:
            case 0x8a: // banned
                return 'credentials';
            case 2:
            case 0x85:
                return 'client-id';
            case 3:
            case 0x88:
            case 0x89:
                return 'unavailable';
            default:
                return 'connack';
        }
    }
    if (typeof code === 'string') {
        if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'].includes(code)) {
            return 'dns';
        }
        if (code === 'ECONNREFUSED') {
            return 'refused';
        }
        if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN'].includes(code)) {
            return 'unreachable';
        }
        if (code === 'ECONNRESET' || code === 'EPIPE') {
            return 'reset';
        }
        if (TLS_CODE.test(code)) {
            return 'tls';
        }
    }
    if (/connack timeout/i.test((0, handlers_1.errorText)(err))) {
        return 'timeout';
    }
    return 'other';
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
/** Exact own publications for a short time: the broker sends them back to us, the embedded broker does not. */
class EchoFilter {
    now;
    /** key → pending echoes and when they are forgotten. Map order = insertion order = expiry order. */
    recent = new Map();
    constructor(now = Date.now) {
        this.now = now;
    }
    remember(topic, payload) {
        this.expire();
        const key = EchoFilter.key(topic, payload);
        const count = (this.recent.get(key)?.count ?? 0) + 1;
        this.recent.delete(key);
        if (this.recent.size >= ECHO_MAX_ENTRIES) {
            const oldest = this.recent.keys().next().value;
            if (oldest !== undefined) {
                this.recent.delete(oldest);
            }
        }
        this.recent.set(key, { count, expires: this.now() + ECHO_WINDOW_MS });
    }
    /** True when this message is the echo of an own publication (each publication is matched once). */
    isEcho(topic, payload) {
        if (this.recent.size === 0) {
            return false;
        }
        this.expire();
        const key = EchoFilter.key(topic, payload);
        const entry = this.recent.get(key);
        if (!entry) {
            return false;
        }
        if (--entry.count === 0) {
            this.recent.delete(key);
        }
        return true;
    }
    expire() {
        const now = this.now();
        for (const [key, entry] of this.recent) {
            if (entry.expires > now) {
                break;
            }
            this.recent.delete(key);
        }
    }
    static key(topic, payload) {
        return `${topic}\n${payload.toString('base64')}`;
    }
}
class ClientTransport {
    options;
    mode = 'client';
    log;
    timers;
    url;
    reconnectMinMs;
    reconnectMaxMs;
    connectTimeoutMs;
    stableAfterMs;
    messageHandlers;
    statusHandlers;
    echo = new EchoFilter();
    subscriptionLog = new handlers_1.LogLimiter();
    client;
    connected = false;
    everConnected = false;
    started = false;
    stopped = false;
    /** connect() calls since the last stable connection (or the start), the first one excluded. */
    reconnectAttempts = 0;
    /** Consecutive sessions that broke before `stableAfterMs` (flapping): they, not the refused attempts, grow the delay. */
    quickDrops = 0;
    reconnectTimer;
    /** Failure kinds already logged at warn/error since the last stable connection. */
    loggedKinds = new Set();
    constructor(options) {
        this.options = options;
        (0, handlers_1.useLeanMqttEncoding)();
        this.log = options.logger;
        this.timers = options.timers;
        this.url = displayUrl(options.url);
        this.reconnectMinMs = Math.max(1, options.reconnectMinMs ?? 1000);
        this.reconnectMaxMs = Math.max(this.reconnectMinMs, options.reconnectMaxMs ?? 5_000);
        this.connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
        this.stableAfterMs = options.stableAfterMs ?? 30_000;
        this.messageHandlers = new handlers_1.HandlerList('message', this.log);
        this.statusHandlers = new handlers_1.HandlerList('status', this.log);
    }
    /**
     * Validates the URL and starts connecting. Resolves without waiting for the broker: an unreachable broker
     * is not fatal, the reconnect loop keeps trying and onStatus reports when the connection is up.
     */
    start() {
        if (this.started) {
            return Promise.reject(new Error('the MQTT client cannot be started twice'));
        }
        let scheme;
        try {
            scheme = new URL(this.options.url).protocol;
        }
        catch {
            return Promise.reject(new Error(`"${this.url}" is not a valid broker URL (e.g. mqtt://192.168.1.10:1883)`));
        }
        if (!SUPPORTED_SCHEMES.has(scheme)) {
            return Promise.reject(new Error(`Unsupported scheme "${scheme}" in "${this.url}": use mqtt://, mqtts://, ws:// or wss://`));
        }
        this.started = true;
        this.connect();
        return Promise.resolve();
    }
    async stop() {
        this.stopped = true;
        if (this.reconnectTimer !== undefined) {
            this.timers.clearTimeout(this.reconnectTimer);
            this.reconnectTimer = undefined;
        }
        const client = this.client;
        this.client = undefined; // its 'close' event is ignored from now on
        this.setConnected(false);
        if (client) {
            await endClient(client);
        }
    }
    publish(topic, payload, qos = this.options.qos) {
        const client = this.client;
        if (!client || !this.connected) {
            return Promise.reject(new Error(`not connected to the MQTT broker ${this.url}`));
        }
        const buffer = Buffer.from(payload);
        this.echo.remember(topic, buffer);
        return new Promise((resolve, reject) => {
            client.publish(topic, buffer, { qos }, err => (err ? reject(err) : resolve()));
        });
    }
    status() {
        return { connected: this.connected, clients: [] };
    }
    onMessage(handler) {
        this.messageHandlers.add(handler);
    }
    onStatus(handler) {
        this.statusHandlers.add(handler);
    }
    /** One connection attempt with a fresh MQTT.js client (clean session; subscriptions are renewed on connect). */
    connect() {
        this.reconnectTimer = undefined;
        if (this.stopped) {
            return;
        }
        const { user, pass, ca } = this.options;
        const options = {
            clientId: this.options.clientId,
            username: user || undefined,
            password: pass || undefined,
            clean: true,
            reconnectPeriod: 0, // our own loop (scheduleReconnect)
            connectTimeout: this.connectTimeoutMs,
            keepalive: this.options.keepaliveSeconds ?? 60,
            protocolVersion: 4, // 3.1.1: what Meshtastic firmware and every public broker speak
            rejectUnauthorized: this.options.rejectUnauthorized,
            ca: ca || undefined,
            resubscribe: false,
            queueQoSZero: false, // nothing is queued while disconnected: publish() rejects instead
        };
        let client;
        try {
            client = mqttConnect(this.options.url, options);
        }
        catch (e) {
            // Synchronous failures (an unusable option) repeat on every attempt: report and retry slowly.
            this.reportFailure('other', e);
            this.scheduleReconnect();
            return;
        }
        this.client = client;
        let firstError;
        let connectedAt;
        client.on('connect', () => {
            if (this.client !== client) {
                return;
            }
            connectedAt = Date.now();
            this.connectedNow(client);
        });
        client.on('message', (topic, payload) => {
            if (this.client === client) {
                this.inbound(topic, payload);
            }
        });
        client.on('error', (err) => {
            // Reported when the attempt ends ('close' always follows with reconnectPeriod 0), once per attempt.
            firstError ??= err;
            this.log.debug(`MQTT client (${this.url}): ${err.message}`);
        });
        client.on('close', () => this.closed(client, connectedAt, firstError));
    }
    connectedNow(client) {
        if (this.loggedKinds.has('dropped')) {
            // Flapping: the last connections broke right after they were made. Said once already.
            this.log.debug(`Connected to ${this.url} again`);
        }
        else if (this.reconnectAttempts > 0) {
            const n = this.reconnectAttempts;
            this.log.info(`${this.everConnected ? 'Reconnected' : 'Connected'} to ${this.url} after ${n} attempt${n === 1 ? '' : 's'}`);
        }
        else {
            this.log.info(`Connected to ${this.url}`);
        }
        this.everConnected = true;
        this.subscribe(client);
        this.setConnected(true);
    }
    subscribe(client) {
        const topics = this.options.subscriptions;
        if (topics.length === 0) {
            return;
        }
        client.subscribe(topics, { qos: this.options.qos }, (err, granted) => {
            if (err) {
                if (this.client === client) {
                    this.log.warn(`Subscribing at ${this.url} failed: ${err.message}`);
                }
                return;
            }
            for (const grant of granted ?? []) {
                if (grant.qos === 128 && this.subscriptionLog.allow(grant.topic) !== undefined) {
                    this.log.warn(`The broker ${this.url} refused the subscription to "${grant.topic}" (not authorized?)`);
                }
            }
        });
    }
    inbound(topic, payload) {
        if (this.echo.isEcho(topic, payload)) {
            return; // own publication: the embedded broker does not report those either
        }
        this.messageHandlers.emit({ topic, payload, arrival: Date.now() });
    }
    closed(client, connectedAt, error) {
        if (this.client !== client) {
            return; // stopped, or an old attempt
        }
        this.client = undefined;
        // Rejects publishes still waiting for PUBACK and releases the client's resources.
        void endClient(client);
        if (connectedAt !== undefined) {
            this.setConnected(false);
            const lasted = Date.now() - connectedAt;
            if (lasted >= this.stableAfterMs) {
                // A real session ended: a fresh outage, with fresh log lines and a fresh backoff.
                this.reconnectAttempts = 0;
                this.quickDrops = 0;
                this.loggedKinds.clear();
                this.reportLost(error);
            }
            else {
                // A session was made: the refused attempts before it no longer count (a restarted broker comes back at
                // once), but each quick drop in a row still doubles the first delay (protection against a takeover storm).
                this.reconnectAttempts = this.quickDrops;
                this.quickDrops++;
                this.reportFailure('dropped', error, lasted);
            }
        }
        else {
            this.reportFailure(error === undefined ? 'closed' : classify(error), error);
        }
        this.scheduleReconnect();
    }
    scheduleReconnect() {
        if (this.stopped || this.reconnectTimer !== undefined) {
            return;
        }
        this.reconnectAttempts++;
        const delay = this.reconnectDelay(this.reconnectAttempts);
        this.log.debug(`Reconnecting to ${this.url} in ${delay} ms (attempt ${this.reconnectAttempts})`);
        this.reconnectTimer = this.timers.setTimeout(() => this.connect(), delay);
    }
    /** min · 2^(attempt−1), capped at max, minus up to 10 % jitter so many instances do not reconnect in step. */
    reconnectDelay(attempt) {
        const base = Math.min(this.reconnectMaxMs, this.reconnectMinMs * 2 ** Math.min(attempt - 1, 30));
        return Math.max(1, Math.round(base * (1 - Math.random() * 0.1)));
    }
    setConnected(connected) {
        if (this.connected === connected) {
            return;
        }
        this.connected = connected;
        this.statusHandlers.emit(this.status());
    }
    reportLost(error) {
        const reason = error === undefined ? '' : `: ${(0, handlers_1.errorText)(error)}`;
        this.log.warn(`Connection to the MQTT broker ${this.url} lost${reason}; reconnecting`);
    }
    reportFailure(kind, error, lastedMs = 0) {
        const text = this.describe(kind, error, lastedMs);
        if (this.loggedKinds.has(kind)) {
            this.log.debug(text);
            return;
        }
        this.loggedKinds.add(kind);
        if (CONFIG_KINDS.has(kind)) {
            this.log.error(text);
        }
        else {
            this.log.warn(text);
        }
    }
    describe(kind, error, lastedMs) {
        const url = this.url;
        const code = errorCode(error);
        const detail = error === undefined ? '' : (0, handlers_1.errorText)(error);
        const retry = 'retrying with growing pauses';
        switch (kind) {
            case 'dns':
                return `Cannot resolve the broker's host name in ${url} (${code}): check the URL; ${retry}`;
            case 'refused':
                return `The broker ${url} refused the TCP connection (ECONNREFUSED): is it running and listening on that port? ${retry}`;
            case 'unreachable':
                return `The broker ${url} is unreachable (${code}); ${retry}`;
            case 'reset':
                return `The broker ${url} reset the connection (${code}); ${retry}`;
            case 'timeout':
                return `The broker ${url} did not accept the connection within ${this.connectTimeoutMs} ms; ${retry}`;
            case 'tls':
                return (`TLS connection to ${url} failed: ${detail}. For a broker with a self-signed or private certificate ` +
                    `set its CA certificate, or turn certificate verification off; ${retry}`);
            case 'credentials': {
                const answer = code === 4 || code === 0x86
                    ? 'bad user name or password'
                    : detail.replace(/^Connection refused: /, '').toLowerCase();
                return `The broker ${url} refused the login: ${answer} (code ${code}); check user name and password; ${retry}`;
            }
            case 'client-id':
                return `The broker ${url} rejected the client id "${(0, log_once_1.printable)(this.options.clientId, 64)}" (code ${code}); set another client id; ${retry}`;
            case 'unavailable':
                return `The broker ${url} is unavailable or busy (code ${code}); ${retry}`;
            case 'connack':
                return `The broker ${url} refused the connection: ${detail}; ${retry}`;
            case 'closed':
                return `The broker ${url} closed the connection before accepting it; ${retry}`;
            case 'dropped':
                return (`The connection to ${url} broke ${lastedMs} ms after it was made${detail ? ` (${detail})` : ''}. ` +
                    'Does another client use the same client id? Further drops are logged at debug level; ' +
                    `${retry}`);
            default:
                return `Cannot connect to ${url}: ${detail}; ${retry}`;
        }
    }
}
exports.ClientTransport = ClientTransport;
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
