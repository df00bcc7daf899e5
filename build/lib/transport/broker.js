"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BrokerTransport = void 0;
/**
 * Broker mode: an embedded aedes MQTT broker on TCP (or TLS) and optionally WebSocket on port + 1.
 * Gateways publish to it and receive each other's messages as from any broker; the adapter sees every
 * publish (aedes' `publish` event) and publishes downlink through aedes so subscribed gateways get it.
 */
const node_crypto_1 = require("node:crypto");
const node_http_1 = require("node:http");
const node_https_1 = require("node:https");
const node_net_1 = require("node:net");
const node_tls_1 = require("node:tls");
const ws_1 = require("ws");
const log_once_1 = require("../log-once");
const handlers_1 = require("./handlers");
const packet_size_guard_1 = require("./packet-size-guard");
const SYS_PREFIX = '$SYS/';
/** Connections that have not sent CONNECT yet are dropped after this long (aedes default: 30 s). */
const CONNECT_TIMEOUT_MS = 10_000;
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** A frozen subscriber is disconnected after this long instead of stalling delivery to everyone. */
const DRAIN_TIMEOUT_MS = 30_000;
/** Extra sockets allowed beyond maxClients: connections still in CONNECT, or about to be refused politely. */
const CONNECTION_SLACK = 32;
/** CONNACK return codes (MQTT 3.1.1; aedes does not speak MQTT 5). */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
function connackError(message, returnCode) {
    return Object.assign(new Error(message), { returnCode });
}
function sha256(value) {
    return (0, node_crypto_1.createHash)('sha256')
        .update(value ?? '')
        .digest();
}
/** Configured credentials, kept as digests so the comparison is constant-time whatever the lengths. */
class Credentials {
    user;
    pass;
    constructor(user, pass) {
        this.user = sha256(user);
        this.pass = sha256(pass);
    }
    matches(user, pass) {
        // Both comparisons always run: no early exit that tells which part was wrong.
        const userOk = (0, node_crypto_1.timingSafeEqual)(sha256(user), this.user);
        const passOk = (0, node_crypto_1.timingSafeEqual)(sha256(pass), this.pass);
        return userOk && passOk;
    }
}
function listen(server, port, host) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
}
function closeServer(server) {
    return new Promise(resolve => {
        if (!server.listening) {
            resolve();
            return;
        }
        server.close(() => resolve());
    });
}
/** The message a user can act on, for a failed listen(). */
function listenErrorMessage(err, what, bind, port) {
    const code = err?.code;
    switch (code) {
        case 'EADDRINUSE':
            return (`Port ${port} on ${bind} is already in use (${what}): another MQTT broker (Mosquitto, the mqtt adapter, ` +
                'another instance of this adapter?) is listening there. Stop it or choose another port.');
        case 'EACCES':
            return `Port ${port} on ${bind} (${what}) may not be opened by this user (ports below 1024 need special rights): choose a port above 1023.`;
        case 'EADDRNOTAVAIL':
            return `Address ${bind} (${what}) does not belong to this host: bind to 0.0.0.0 or to one of the host's own addresses.`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `Bind address "${bind}" (${what}) cannot be resolved: use an IP address such as 0.0.0.0.`;
        default:
            return `Cannot listen on ${bind}:${port} (${what}): ${(0, handlers_1.errorText)(err)}`;
    }
}
class BrokerTransport {
    options;
    mode = 'broker';
    log;
    credentials;
    messageHandlers;
    statusHandlers;
    counters = {
        refusedAuth: 0,
        oversizedTopics: 0,
        oversizedPackets: 0,
        refusedClients: 0,
        invalidUtf8: 0,
    };
    limiter = new handlers_1.LogLimiter();
    aedes;
    tcpServer;
    httpServer;
    wsServer;
    /** Every open socket of both servers, so stop() can cut connections that never sent CONNECT. */
    sockets = new Set();
    /** Peer address per connection object handed to aedes (client.conn). */
    addresses = new WeakMap();
    /** Clients that passed authentication and still have an open connection (the maxClients count). */
    admitted = new Set();
    /** Clients that completed CONNECT/CONNACK: what status() reports. */
    ready = new Set();
    /** Packets the adapter published itself: not reported back as inbound messages. */
    ownPackets = new WeakSet();
    lastStatus = { connected: false, clients: [] };
    limitReported = false;
    state = 'new';
    starting;
    stopping;
    constructor(options) {
        this.options = options;
        (0, handlers_1.useLeanMqttEncoding)();
        this.log = options.logger;
        if (options.user || options.pass) {
            this.credentials = new Credentials(options.user ?? '', options.pass ?? '');
        }
        this.messageHandlers = new handlers_1.HandlerList('message', this.log);
        this.statusHandlers = new handlers_1.HandlerList('status', this.log);
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
        this.ownPackets.add(packet);
        return new Promise((resolve, reject) => {
            aedes.publish(packet, err => (err ? reject(err) : resolve()));
        });
    }
    status() {
        return { connected: this.lastStatus.connected, clients: [...this.lastStatus.clients] };
    }
    stats() {
        return { ...this.counters };
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
        const { bind, port, tls, webSocket } = this.options;
        // aedes 1.x is an ES module: loaded with import(), which this CommonJS build keeps as a real import.
        const { Aedes: AedesBroker } = await import('aedes');
        const aedes = new AedesBroker({
            connectTimeout: CONNECT_TIMEOUT_MS,
            drainTimeout: DRAIN_TIMEOUT_MS,
            authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
            authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
            authorizeSubscribe: (client, subscription, done) => this.authorizeSubscribe(client, subscription, done),
            // Dropped (overlong) topics are acknowledged but must not reach other clients.
            authorizeForward: (_client, packet) => (packet.topic.length > this.options.maxTopicLength ? null : packet),
        });
        this.aedes = aedes;
        // aedes' typings omit 'error' (persistence failures); unhandled, it would crash the adapter.
        aedes.on('error', (err) => this.log.error(`MQTT broker error: ${(0, handlers_1.errorText)(err)}`));
        aedes.on('clientReady', client => this.clientReady(client));
        aedes.on('clientDisconnect', client => this.clientGone(client));
        aedes.on('clientError', (client, err) => this.connectionError(client, err));
        aedes.on('connectionError', (client, err) => this.connectionError(client, err));
        aedes.on('publish', (packet, client) => this.published(packet, client));
        await aedes.listen();
        let tcpServer;
        try {
            tcpServer = tls
                ? (0, node_tls_1.createServer)({
                    key: tls.key,
                    cert: tls.cert,
                    ca: tls.ca,
                    handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
                })
                : (0, node_net_1.createServer)();
        }
        catch (e) {
            throw new Error(`The TLS certificate or key cannot be used: ${(0, handlers_1.errorText)(e)}`);
        }
        this.tcpServer = tcpServer;
        tcpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        tcpServer.on('connection', (socket) => this.track(socket));
        if (tls) {
            tcpServer.on('secureConnection', (socket) => this.handle(socket, socket.remoteAddress));
            tcpServer.on('tlsClientError', (err, socket) => {
                const address = socket.remoteAddress ?? '?';
                if (this.limiter.allow(`tls:${address}`) !== undefined) {
                    this.log.info(`TLS handshake with ${address} failed: ${err.message}`);
                }
                else {
                    this.log.debug(`TLS handshake with ${address} failed: ${err.message}`);
                }
            });
        }
        else {
            tcpServer.on('connection', (socket) => this.handle(socket, socket.remoteAddress));
        }
        try {
            await listen(tcpServer, port, bind);
        }
        catch (e) {
            throw new Error(listenErrorMessage(e, tls ? 'MQTT over TLS' : 'MQTT', bind, port));
        }
        tcpServer.on('error', err => this.log.error(`MQTT server on ${bind}:${port}: ${err.message}`));
        if (webSocket) {
            await this.startWebSocket(bind, port + 1, tls);
        }
    }
    async startWebSocket(bind, port, tls) {
        const answerPlainHttp = (_req, res) => {
            res.writeHead(426, { 'Content-Type': 'text/plain' });
            res.end('MQTT over WebSocket only\n');
        };
        const httpServer = tls
            ? (0, node_https_1.createServer)({ key: tls.key, cert: tls.cert, ca: tls.ca, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, answerPlainHttp)
            : (0, node_http_1.createServer)(answerPlainHttp);
        this.httpServer = httpServer;
        httpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        httpServer.on('connection', (socket) => this.track(socket));
        // noServer: upgrades are passed explicitly, so the WebSocket server never re-emits the HTTP server's errors.
        // A frame may carry more than one MQTT packet; the MQTT packet limit itself is enforced by the size guard.
        const wsServer = new ws_1.WebSocketServer({ noServer: true, maxPayload: 2 * this.options.maxPacketSize + 1024 });
        this.wsServer = wsServer;
        wsServer.on('connection', (ws, req) => {
            ws.on('error', err => this.log.debug(`WebSocket from ${req.socket.remoteAddress ?? '?'}: ${err.message}`));
            this.handle((0, ws_1.createWebSocketStream)(ws), req.socket.remoteAddress, req);
        });
        httpServer.on('upgrade', (req, socket, head) => {
            wsServer.handleUpgrade(req, socket, head, ws => wsServer.emit('connection', ws, req));
        });
        try {
            await listen(httpServer, port, bind);
        }
        catch (e) {
            throw new Error(listenErrorMessage(e, 'MQTT over WebSocket, always main port + 1', bind, port));
        }
        httpServer.on('error', err => this.log.error(`MQTT WebSocket server on ${bind}:${port}: ${err.message}`));
    }
    track(socket) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
    }
    /** Hands one connection (TCP/TLS socket or WebSocket stream) to aedes, behind the packet size guard. */
    handle(stream, remoteAddress, req) {
        const aedes = this.aedes;
        if (!aedes || this.state === 'stopped') {
            stream.destroy();
            return;
        }
        const address = remoteAddress ?? '?';
        // Filled right after aedes.handle(); oversized packets arrive later, so the id is known by then if sent.
        const owner = {};
        const connection = new packet_size_guard_1.SizeGuardedConnection(stream, this.options.maxPacketSize, size => {
            this.counters.oversizedPackets++;
            const clientId = owner.client?.id;
            const id = clientId ? `"${(0, log_once_1.printable)(clientId, 64)}"` : '(before CONNECT)';
            const text = `MQTT client ${id} from ${address} sent a packet of ` +
                `${Number.isFinite(size) ? `${size} bytes` : 'an impossible size'} (limit ${this.options.maxPacketSize}): connection closed`;
            const suppressed = this.limiter.allow(`packet:${address}`);
            if (suppressed === undefined) {
                this.log.debug(text);
            }
            else {
                this.log.warn(suppressed ? `${text} (${suppressed} more since the last report)` : text);
            }
        }, field => this.reportInvalidUtf8(field, address));
        connection.on('error', () => {
            // aedes listens too and closes the client; this only keeps an error without listener from throwing.
        });
        this.addresses.set(connection, address);
        owner.client = aedes.handle(connection, req);
    }
    /** MQTT-1.5.3-1/-2: such a connection is closed. One line per window for all clients (the kind is fixed). */
    reportInvalidUtf8(field, address) {
        this.counters.invalidUtf8++;
        const text = `MQTT client from ${address} sent ${field} that is not valid UTF-8 (or contains U+0000): connection closed, as MQTT requires`;
        const suppressed = this.limiter.allow('invalid-utf8');
        if (suppressed === undefined) {
            this.log.debug(text);
        }
        else {
            this.log.warn(suppressed ? `${text} (${suppressed} more since the last report)` : text);
        }
    }
    addressOf(client) {
        return this.addresses.get(client.conn) ?? '?';
    }
    authenticate(client, username, password, done) {
        const address = this.addressOf(client);
        const id = (0, log_once_1.printable)(client.id ?? '', 64);
        if (this.credentials && !this.credentials.matches(username, password)) {
            this.counters.refusedAuth++;
            // Never the password (nor the user name: people type passwords into it). One line per address and window.
            const text = `MQTT client "${id}" from ${address} refused: bad user name or password`;
            const suppressed = this.limiter.allow(`auth:${address}`);
            if (suppressed === undefined) {
                this.log.debug(text);
            }
            else {
                this.log.warn(suppressed ? `${text} (${suppressed} more refusals from this address since the last report)` : text);
            }
            done(connackError('bad user name or password', BAD_USERNAME_OR_PASSWORD), false);
            return;
        }
        const max = this.options.maxClients;
        if (this.admitted.size >= max && ![...this.admitted].some(c => c.id === client.id)) {
            // A reconnect with a known id is let through: aedes replaces the old session, so the count stays.
            this.counters.refusedClients++;
            if (!this.limitReported) {
                this.limitReported = true;
                this.log.warn(`MQTT client limit reached (${max} connected): refusing "${id}" from ${address} and further clients ` +
                    'until one disconnects. Raise the maximum number of clients if this is expected.');
            }
            else {
                this.log.debug(`MQTT client "${id}" from ${address} refused: client limit (${max}) reached`);
            }
            done(connackError('server unavailable: client limit reached', SERVER_UNAVAILABLE), false);
            return;
        }
        this.admitted.add(client);
        client.conn.once('close', () => {
            this.admitted.delete(client);
            if (this.admitted.size < max) {
                this.limitReported = false;
            }
        });
        done(null, true);
    }
    authorizePublish(client, packet, done) {
        if (packet.topic.startsWith(SYS_PREFIX)) {
            // As aedes' default: clients must not fake broker status topics. The connection is closed.
            done(new Error(`${SYS_PREFIX} topics are reserved`));
            return;
        }
        if (packet.topic.length > this.options.maxTopicLength) {
            // Acknowledged and dropped (allowed by MQTT-3.3.5-2) rather than disconnecting: a gateway that keeps
            // publishing such a topic would otherwise reconnect in a loop and lose its valid messages too.
            this.counters.oversizedTopics++;
            this.reportLongTopic(client, packet.topic, 'publish');
            packet.retain = false; // never stored as a retained message either
        }
        done(null);
    }
    authorizeSubscribe(client, subscription, done) {
        if (subscription.topic.length > this.options.maxTopicLength) {
            this.counters.oversizedTopics++;
            this.reportLongTopic(client, subscription.topic, 'subscribe to');
            done(null, null); // SUBACK 0x80 (failure) for this filter; the connection stays
            return;
        }
        done(null, subscription);
    }
    reportLongTopic(client, topic, action) {
        const address = client ? this.addressOf(client) : '?';
        const text = `MQTT client "${(0, log_once_1.printable)(client?.id ?? '', 64)}" from ${address} tried to ${action} a topic of ${topic.length} ` +
            `characters (limit ${this.options.maxTopicLength}): "${(0, log_once_1.printable)(topic, 60)}" ignored`;
        if (this.limiter.allow(`topic:${address}`) === undefined) {
            this.log.debug(text);
        }
        else {
            this.log.warn(text);
        }
    }
    published(packet, client) {
        if (this.ownPackets.has(packet) || packet.topic.startsWith(SYS_PREFIX)) {
            return;
        }
        if (packet.topic.length > this.options.maxTopicLength) {
            return; // counted in authorizePublish
        }
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        this.messageHandlers.emit({
            topic: packet.topic,
            payload,
            arrival: Date.now(),
            clientId: client?.id ?? undefined,
        });
    }
    clientReady(client) {
        this.ready.add(client);
        // Also on a closed connection without DISCONNECT bookkeeping, the client must leave the list.
        client.conn.once('close', () => this.clientGone(client));
        this.log.debug(`MQTT client "${(0, log_once_1.printable)(client.id, 64)}" connected from ${this.addressOf(client)}`);
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
        this.log.debug(`MQTT client "${(0, log_once_1.printable)(client.id ?? '', 64)}" from ${this.addressOf(client)}: ${err.message}`);
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
        if (this.wsServer) {
            for (const ws of this.wsServer.clients) {
                ws.terminate();
            }
            this.wsServer.close();
        }
        // Connections that never completed CONNECT are not aedes clients: cut them, or close() would wait for them.
        for (const socket of this.sockets) {
            socket.destroy();
        }
        this.sockets.clear();
        await Promise.all([this.tcpServer, this.httpServer].map(server => (server ? closeServer(server) : Promise.resolve())));
        this.ready.clear();
        this.admitted.clear();
        this.updateStatus();
    }
}
exports.BrokerTransport = BrokerTransport;
