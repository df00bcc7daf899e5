"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BrokerTransport = void 0;
const log_once_1 = require("../log-once");
const broker_auth_1 = require("./broker-auth");
const broker_context_1 = require("./broker-context");
const broker_guards_1 = require("./broker-guards");
const broker_intake_1 = require("./broker-intake");
const broker_listeners_1 = require("./broker-listeners");
const handlers_1 = require("./handlers");
/** Connections that have not sent CONNECT yet are dropped after this long (aedes default: 30 s). */
const CONNECT_TIMEOUT_MS = 10_000;
/** A frozen subscriber is disconnected after this long instead of stalling delivery to everyone. */
const DRAIN_TIMEOUT_MS = 30_000;
class BrokerTransport {
    options;
    mode = 'broker';
    log;
    messageHandlers;
    statusHandlers;
    ctx;
    admission;
    intake;
    listeners;
    aedes;
    /** Peer address per connection object handed to aedes (client.conn). */
    addresses = new WeakMap();
    /** Clients that completed CONNECT/CONNACK: what status() reports. */
    ready = new Set();
    lastStatus = { connected: false, clients: [] };
    state = 'new';
    starting;
    stopping;
    constructor(options) {
        this.options = options;
        (0, handlers_1.useLeanMqttEncoding)();
        this.log = options.logger;
        this.messageHandlers = new handlers_1.HandlerList('message', this.log);
        this.statusHandlers = new handlers_1.HandlerList('status', this.log);
        const limiter = new handlers_1.LogLimiter();
        this.ctx = {
            log: this.log,
            limiter,
            counters: (0, broker_context_1.emptyStats)(),
            addressOf: client => (client ? (this.addresses.get(client.conn) ?? '?') : '?'),
        };
        this.admission = new broker_auth_1.ConnectAdmission(options, this.ctx);
        this.intake = new broker_intake_1.PublishIntake(options.maxTopicLength, this.ctx, message => this.messageHandlers.emit(message));
        this.listeners = new broker_listeners_1.BrokerListeners({ ...options, limiter }, (stream, address, req) => this.handle(stream, address, req));
    }
    start() {
        if (this.state !== 'new') {
            return Promise.reject(new Error(`the MQTT broker cannot be started twice (state: ${this.state})`));
        }
        this.state = 'starting';
        this.starting = this.startOrCleanUp();
        return this.starting;
    }
    stop() {
        if (!this.stopping) {
            const starting = this.starting;
            this.state = 'stopped';
            // A start in progress finishes (or fails) first, so nothing it opens outlives stop().
            this.stopping = (starting ?? Promise.resolve()).catch(() => undefined).then(() => this.shutdown());
        }
        return this.stopping;
    }
    publish(topic, payload, qos = 0) {
        const aedes = this.aedes;
        if (!aedes || this.state !== 'running') {
            return Promise.reject(new Error('the embedded MQTT broker is not running'));
        }
        const packet = {
            cmd: 'publish',
            topic,
            payload: Buffer.from(payload),
            qos,
            retain: false,
            dup: false,
        };
        this.intake.markOwn(packet);
        return new Promise((resolve, reject) => {
            aedes.publish(packet, err => (err ? reject(err) : resolve()));
        });
    }
    status() {
        return { connected: this.lastStatus.connected, clients: [...this.lastStatus.clients] };
    }
    stats() {
        return { ...this.ctx.counters };
    }
    onMessage(handler) {
        this.messageHandlers.add(handler);
    }
    onStatus(handler) {
        this.statusHandlers.add(handler);
    }
    async startOrCleanUp() {
        try {
            await this.startBroker();
            if (this.state !== 'starting') {
                throw new Error('the MQTT broker was stopped while starting');
            }
        }
        catch (e) {
            await this.shutdown();
            if (this.state === 'starting') {
                this.state = 'stopped';
            }
            throw e instanceof Error ? e : new Error(String(e));
        }
        this.state = 'running';
    }
    async startBroker() {
        // aedes 1.x is an ES module: loaded with import(), which this CommonJS build keeps as a real import.
        const { Aedes: AedesBroker } = await import('aedes');
        const { admission, intake } = this;
        const aedes = new AedesBroker({
            connectTimeout: CONNECT_TIMEOUT_MS,
            drainTimeout: DRAIN_TIMEOUT_MS,
            authenticate: (client, username, password, done) => admission.authenticate(client, username, password, done),
            authorizePublish: (client, packet, done) => intake.authorizePublish(client, packet, done),
            authorizeSubscribe: (client, subscription, done) => intake.authorizeSubscribe(client, subscription, done),
            authorizeForward: (_client, packet) => intake.authorizeForward(packet),
        });
        this.aedes = aedes;
        // aedes' typings omit 'error' (persistence failures); unhandled, it would crash the adapter.
        aedes.on('error', (err) => this.log.error(`MQTT broker error: ${(0, handlers_1.errorText)(err)}`));
        aedes.on('clientReady', client => this.clientReady(client));
        aedes.on('clientDisconnect', client => this.clientGone(client));
        aedes.on('clientError', (client, err) => this.connectionError(client, err));
        aedes.on('connectionError', (client, err) => this.connectionError(client, err));
        aedes.on('publish', (packet, client) => intake.published(packet, client));
        await aedes.listen();
        await this.listeners.start();
    }
    /** Hands one connection (TCP/TLS socket or WebSocket stream) to aedes, behind the guards. */
    handle(stream, remoteAddress, req) {
        const aedes = this.aedes;
        if (!aedes || this.state === 'stopped') {
            stream.destroy();
            return;
        }
        const address = remoteAddress ?? '?';
        // Filled right after aedes.handle(); oversized packets arrive later, so the id is known by then if sent.
        const owner = {};
        const connection = (0, broker_guards_1.guardConnection)(stream, address, this.options.maxPacketSize, this.ctx, () => owner.client?.id);
        this.addresses.set(connection, address);
        owner.client = aedes.handle(connection, req);
    }
    clientReady(client) {
        this.ready.add(client);
        // Also on a closed connection without DISCONNECT bookkeeping, the client must leave the list.
        client.conn.once('close', () => this.clientGone(client));
        this.log.debug(`MQTT client "${(0, log_once_1.printable)(client.id, 64)}" connected from ${this.ctx.addressOf(client)}`);
        this.updateStatus();
    }
    clientGone(client) {
        if (this.ready.delete(client)) {
            this.log.debug(`MQTT client "${(0, log_once_1.printable)(client.id, 64)}" disconnected`);
            this.updateStatus();
        }
    }
    connectionError(client, err) {
        // Resets, keepalive timeouts, protocol violations: normal life on a network, debug only.
        this.log.debug(`MQTT client "${(0, log_once_1.printable)(client.id ?? '', 64)}" from ${this.ctx.addressOf(client)}: ${err.message}`);
    }
    updateStatus() {
        const clients = [...new Set([...this.ready].map(c => c.id))].sort();
        const status = { connected: clients.length > 0, clients };
        if (status.connected === this.lastStatus.connected &&
            status.clients.join('\n') === this.lastStatus.clients.join('\n')) {
            return;
        }
        this.lastStatus = status;
        this.statusHandlers.emit(this.status());
    }
    async shutdown() {
        const aedes = this.aedes;
        if (aedes) {
            // Closes every registered client (their sessions end, wills are published as on any broker stop).
            await new Promise(resolve => aedes.close(() => resolve()));
        }
        await this.listeners.close();
        this.ready.clear();
        this.admission.clear();
        this.updateStatus();
    }
}
exports.BrokerTransport = BrokerTransport;
