"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ClientTransport = void 0;
const client_backoff_1 = require("./client-backoff");
const client_failures_1 = require("./client-failures");
const client_options_1 = require("./client-options");
const client_probe_1 = require("./client-probe");
const client_subscription_1 = require("./client-subscription");
const echo_filter_1 = require("./echo-filter");
const handlers_1 = require("./handlers");
/** Reachability probes in flight at most (each lasts a fraction of a second). */
const MAX_PROBES = 4;
class ClientTransport {
    options;
    mode = 'client';
    log;
    timers;
    url;
    connectTimeoutMs;
    failure;
    backoff;
    drops = new client_backoff_1.DropDiagnosis();
    messageHandlers;
    statusHandlers;
    echo = new echo_filter_1.EchoFilter();
    subscriptionLog = new handlers_1.LogLimiter();
    client;
    connected = false;
    everConnected = false;
    started = false;
    stopped = false;
    reconnectTimer;
    /** Cancel functions of the reachability probes in flight (one per quick drop, at most MAX_PROBES). */
    probes = new Set();
    /** Failure kinds already logged at warn/error since the last stable connection. */
    loggedKinds = new Set();
    /** The last loss was logged above debug: its reconnection is, too. */
    lossShown = false;
    constructor(options) {
        this.options = options;
        (0, handlers_1.useLeanMqttEncoding)();
        this.log = options.logger;
        this.timers = options.timers;
        this.url = (0, client_options_1.displayUrl)(options.url);
        this.connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
        this.failure = { url: this.url, clientId: options.clientId, connectTimeoutMs: this.connectTimeoutMs };
        this.backoff = new client_backoff_1.ReconnectBackoff({
            minMs: options.reconnectMinMs ?? 1000,
            maxMs: options.reconnectMaxMs ?? 5_000,
            stableAfterMs: options.stableAfterMs ?? 30_000,
        });
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
        const problem = (0, client_options_1.urlProblem)(this.options.url, this.url);
        if (problem !== undefined) {
            return Promise.reject(new Error(problem));
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
        for (const probe of this.probes) {
            probe.cancel();
        }
        this.probes.clear();
        const client = this.client;
        this.client = undefined; // its 'close' event is ignored from now on
        this.setConnected(false);
        if (client) {
            await (0, client_options_1.endClient)(client);
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
        let client;
        try {
            client = (0, client_options_1.mqttConnect)(this.options.url, (0, client_options_1.mqttClientOptions)(this.options, this.connectTimeoutMs));
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
        const n = this.backoff.attempts;
        if (!this.everConnected && n === 0) {
            this.log.info(`Connected to ${this.url}`);
        }
        else if (this.everConnected && !this.lossShown) {
            // A quick drop that was not worth a line (flapping, or said once already): neither is its end.
            this.log.debug(`Connected to ${this.url} again`);
        }
        else {
            this.log.info(`${this.everConnected ? 'Reconnected' : 'Connected'} to ${this.url} after ${n} attempt${n === 1 ? '' : 's'}`);
        }
        this.lossShown = false;
        this.everConnected = true;
        (0, client_subscription_1.subscribeAll)(client, this.options.subscriptions, this.options.qos, {
            url: this.url,
            log: this.log,
            limiter: this.subscriptionLog,
            current: () => this.client === client,
        });
        this.setConnected(true);
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
        void (0, client_options_1.endClient)(client);
        if (connectedAt === undefined) {
            this.drops.attemptFailed();
            this.reportFailure(error === undefined ? 'closed' : (0, client_failures_1.classify)(error), error);
        }
        else {
            this.setConnected(false);
            const lasted = Date.now() - connectedAt;
            if (this.backoff.sessionEnded(lasted) === 'stable') {
                // A real session ended: a fresh outage, with fresh log lines and a fresh backoff.
                this.loggedKinds.clear();
                this.drops.reset();
                this.reportLost(error);
            }
            else {
                this.diagnoseQuickDrop(lasted, error);
            }
        }
        this.scheduleReconnect();
    }
    /** Asks whether the broker is still there before naming a cause; the reconnect timer runs meanwhile. */
    diagnoseQuickDrop(lasted, error) {
        const address = (0, client_options_1.brokerAddress)(this.options.url);
        if (this.probes.size >= MAX_PROBES) {
            this.log.debug((0, client_failures_1.describeFailure)(this.failure, 'dropped', error, lasted));
            return; // drops faster than probes finish: the probes in flight judge them
        }
        const probe = { cancel: () => undefined };
        const judge = (reachable) => {
            this.probes.delete(probe);
            if (this.stopped) {
                return;
            }
            const verdict = this.drops.quickDrop(reachable);
            if (verdict === 'unclear') {
                this.log.debug((0, client_failures_1.describeFailure)(this.failure, 'dropped', error, lasted));
            }
            else {
                this.reportFailure(verdict, error, lasted);
            }
        };
        if (address === undefined) {
            judge(false);
            return;
        }
        this.probes.add(probe); // before probing: a probe that fails at once calls judge synchronously
        probe.cancel = (0, client_probe_1.probeTcp)(address, judge);
    }
    scheduleReconnect() {
        if (this.stopped || this.reconnectTimer !== undefined) {
            return;
        }
        const { attempt, delayMs } = this.backoff.next();
        this.log.debug(`Reconnecting to ${this.url} in ${delayMs} ms (attempt ${attempt})`);
        this.reconnectTimer = this.timers.setTimeout(() => this.connect(), delayMs);
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
        this.lossShown = true;
        this.log.warn(`Connection to the MQTT broker ${this.url} lost${reason}; reconnecting`);
    }
    reportFailure(kind, error, lastedMs = 0) {
        const text = (0, client_failures_1.describeFailure)(this.failure, kind, error, lastedMs);
        if (this.loggedKinds.has(kind)) {
            this.log.debug(text);
            return;
        }
        this.loggedKinds.add(kind);
        if (kind !== 'taken-over') {
            this.lossShown = true;
        }
        if (client_failures_1.CONFIG_KINDS.has(kind)) {
            this.log.error(text);
        }
        else {
            this.log.warn(text);
        }
    }
}
exports.ClientTransport = ClientTransport;
