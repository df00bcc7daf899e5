/**
 * Broker mode: an embedded aedes MQTT broker on TCP (or TLS) and optionally WebSocket on port + 1.
 * Gateways publish to it and receive each other's messages as from any broker; the adapter sees every
 * publish (aedes' `publish` event) and publishes downlink through aedes so subscribed gateways get it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import {
    createServer as createHttpServer,
    type IncomingMessage,
    type Server as HttpServer,
    type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type {
    Aedes,
    AedesPublishPacket,
    AuthenticateError,
    Client as AedesClient,
    PublishPacket,
    Subscription,
} from 'aedes' with { 'resolution-mode': 'import' };
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { printable } from '../log-once';
import { errorText, HandlerList, LogLimiter, useLeanMqttEncoding } from './handlers';
import { SizeGuardedConnection } from './packet-size-guard';
import type { InboundMessage, Timers, Transport, TransportLogger, TransportStatus } from './types';

export interface BrokerTlsOptions {
    /** PEM private key. */
    key: string;
    /** PEM certificate (chain). */
    cert: string;
    /** PEM CA certificate(s) for the chain. */
    ca?: string;
}

export interface BrokerOptions {
    /** Address to bind to (0.0.0.0, 127.0.0.1, ::, …). */
    bind: string;
    port: number;
    /** MQTT over WebSocket on port + 1 (same TLS setting as the main port). */
    webSocket: boolean;
    tls?: BrokerTlsOptions;
    /** When user or pass is set, clients must send both (compared in constant time). */
    user?: string;
    pass?: string;
    maxClients: number;
    /** Longer topics are acknowledged but neither routed nor passed to the adapter. */
    maxTopicLength: number;
    /** Bytes per MQTT packet (fixed header included); a larger packet closes the connection. */
    maxPacketSize: number;
    logger: TransportLogger;
    /** Not needed by the broker (aedes and node servers keep their own timers); accepted for a uniform factory. */
    timers?: Timers;
}

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

function connackError(message: string, returnCode: number): AuthenticateError {
    return Object.assign(new Error(message), { returnCode });
}

function sha256(value: string | Buffer | undefined): Buffer {
    return createHash('sha256')
        .update(value ?? '')
        .digest();
}

/** Configured credentials, kept as digests so the comparison is constant-time whatever the lengths. */
class Credentials {
    private readonly user: Buffer;
    private readonly pass: Buffer;

    constructor(user: string, pass: string) {
        this.user = sha256(user);
        this.pass = sha256(pass);
    }

    matches(user: string | undefined, pass: Buffer | undefined): boolean {
        // Both comparisons always run: no early exit that tells which part was wrong.
        const userOk = timingSafeEqual(sha256(user), this.user);
        const passOk = timingSafeEqual(sha256(pass), this.pass);
        return userOk && passOk;
    }
}

function listen(server: NetServer | HttpServer, port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
    return new Promise(resolve => {
        if (!server.listening) {
            resolve();
            return;
        }
        server.close(() => resolve());
    });
}

/** The message a user can act on, for a failed listen(). */
function listenErrorMessage(err: unknown, what: string, bind: string, port: number): string {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    switch (code) {
        case 'EADDRINUSE':
            return (
                `Port ${port} on ${bind} is already in use (${what}): another MQTT broker (Mosquitto, the mqtt adapter, ` +
                'another instance of this adapter?) is listening there. Stop it or choose another port.'
            );
        case 'EACCES':
            return `Port ${port} on ${bind} (${what}) may not be opened by this user (ports below 1024 need special rights): choose a port above 1023.`;
        case 'EADDRNOTAVAIL':
            return `Address ${bind} (${what}) does not belong to this host: bind to 0.0.0.0 or to one of the host's own addresses.`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `Bind address "${bind}" (${what}) cannot be resolved: use an IP address such as 0.0.0.0.`;
        default:
            return `Cannot listen on ${bind}:${port} (${what}): ${errorText(err)}`;
    }
}

export class BrokerTransport implements Transport {
    readonly mode = 'broker' as const;

    private readonly log: TransportLogger;
    private readonly credentials?: Credentials;
    private readonly messageHandlers: HandlerList<InboundMessage>;
    private readonly statusHandlers: HandlerList<TransportStatus>;
    private readonly counters: BrokerStats = {
        refusedAuth: 0,
        oversizedTopics: 0,
        oversizedPackets: 0,
        refusedClients: 0,
        invalidUtf8: 0,
    };
    private readonly limiter = new LogLimiter();

    private aedes?: Aedes;
    private tcpServer?: NetServer;
    private httpServer?: HttpServer;
    private wsServer?: WebSocketServer;
    /** Every open socket of both servers, so stop() can cut connections that never sent CONNECT. */
    private readonly sockets = new Set<Socket>();
    /** Peer address per connection object handed to aedes (client.conn). */
    private readonly addresses = new WeakMap<object, string>();
    /** Clients that passed authentication and still have an open connection (the maxClients count). */
    private readonly admitted = new Set<AedesClient>();
    /** Clients that completed CONNECT/CONNACK: what status() reports. */
    private readonly ready = new Set<AedesClient>();
    /** Packets the adapter published itself: not reported back as inbound messages. */
    private readonly ownPackets = new WeakSet<object>();
    private lastStatus: TransportStatus = { connected: false, clients: [] };
    private limitReported = false;
    private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
    private starting?: Promise<void>;
    private stopping?: Promise<void>;

    constructor(private readonly options: BrokerOptions) {
        useLeanMqttEncoding();
        this.log = options.logger;
        if (options.user || options.pass) {
            this.credentials = new Credentials(options.user ?? '', options.pass ?? '');
        }
        this.messageHandlers = new HandlerList('message', this.log);
        this.statusHandlers = new HandlerList('status', this.log);
    }

    start(): Promise<void> {
        if (this.state !== 'new') {
            return Promise.reject(new Error(`the MQTT broker cannot be started twice (state: ${this.state})`));
        }
        this.state = 'starting';
        this.starting = this.startOrCleanUp();
        return this.starting;
    }

    stop(): Promise<void> {
        if (!this.stopping) {
            const starting = this.starting;
            this.state = 'stopped';
            // A start in progress finishes (or fails) first, so nothing it opens outlives stop().
            this.stopping = (starting ?? Promise.resolve()).catch(() => undefined).then(() => this.shutdown());
        }
        return this.stopping;
    }

    publish(topic: string, payload: Uint8Array, qos: 0 | 1 = 0): Promise<void> {
        const aedes = this.aedes;
        if (!aedes || this.state !== 'running') {
            return Promise.reject(new Error('the embedded MQTT broker is not running'));
        }
        const packet: PublishPacket = {
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

    status(): TransportStatus {
        return { connected: this.lastStatus.connected, clients: [...this.lastStatus.clients] };
    }

    stats(): BrokerStats {
        return { ...this.counters };
    }

    onMessage(handler: (message: InboundMessage) => void): void {
        this.messageHandlers.add(handler);
    }

    onStatus(handler: (status: TransportStatus) => void): void {
        this.statusHandlers.add(handler);
    }

    private async startOrCleanUp(): Promise<void> {
        try {
            await this.startBroker();
            if (this.state !== 'starting') {
                throw new Error('the MQTT broker was stopped while starting');
            }
        } catch (e) {
            await this.shutdown();
            if (this.state === 'starting') {
                this.state = 'stopped';
            }
            throw e instanceof Error ? e : new Error(String(e));
        }
        this.state = 'running';
    }

    private async startBroker(): Promise<void> {
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
        (aedes as EventEmitter).on('error', (err: unknown) => this.log.error(`MQTT broker error: ${errorText(err)}`));
        aedes.on('clientReady', client => this.clientReady(client));
        aedes.on('clientDisconnect', client => this.clientGone(client));
        aedes.on('clientError', (client, err) => this.connectionError(client, err));
        aedes.on('connectionError', (client, err) => this.connectionError(client, err));
        aedes.on('publish', (packet, client) => this.published(packet, client));
        await aedes.listen();

        let tcpServer: NetServer;
        try {
            tcpServer = tls
                ? createTlsServer({
                      key: tls.key,
                      cert: tls.cert,
                      ca: tls.ca,
                      handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
                  })
                : createNetServer();
        } catch (e) {
            throw new Error(`The TLS certificate or key cannot be used: ${errorText(e)}`);
        }
        this.tcpServer = tcpServer;
        tcpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        tcpServer.on('connection', (socket: Socket) => this.track(socket));
        if (tls) {
            tcpServer.on('secureConnection', (socket: TLSSocket) => this.handle(socket, socket.remoteAddress));
            tcpServer.on('tlsClientError', (err: Error, socket: TLSSocket) => {
                const address = socket.remoteAddress ?? '?';
                if (this.limiter.allow(`tls:${address}`) !== undefined) {
                    this.log.info(`TLS handshake with ${address} failed: ${err.message}`);
                } else {
                    this.log.debug(`TLS handshake with ${address} failed: ${err.message}`);
                }
            });
        } else {
            tcpServer.on('connection', (socket: Socket) => this.handle(socket, socket.remoteAddress));
        }
        try {
            await listen(tcpServer, port, bind);
        } catch (e) {
            throw new Error(listenErrorMessage(e, tls ? 'MQTT over TLS' : 'MQTT', bind, port));
        }
        tcpServer.on('error', err => this.log.error(`MQTT server on ${bind}:${port}: ${err.message}`));

        if (webSocket) {
            await this.startWebSocket(bind, port + 1, tls);
        }
    }

    private async startWebSocket(bind: string, port: number, tls?: BrokerTlsOptions): Promise<void> {
        const answerPlainHttp = (_req: IncomingMessage, res: ServerResponse): void => {
            res.writeHead(426, { 'Content-Type': 'text/plain' });
            res.end('MQTT over WebSocket only\n');
        };
        const httpServer = tls
            ? createHttpsServer(
                  { key: tls.key, cert: tls.cert, ca: tls.ca, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS },
                  answerPlainHttp,
              )
            : createHttpServer(answerPlainHttp);
        this.httpServer = httpServer;
        httpServer.maxConnections = this.options.maxClients + CONNECTION_SLACK;
        httpServer.on('connection', (socket: Socket) => this.track(socket));
        // noServer: upgrades are passed explicitly, so the WebSocket server never re-emits the HTTP server's errors.
        // A frame may carry more than one MQTT packet; the MQTT packet limit itself is enforced by the size guard.
        const wsServer = new WebSocketServer({ noServer: true, maxPayload: 2 * this.options.maxPacketSize + 1024 });
        this.wsServer = wsServer;
        wsServer.on('connection', (ws: WebSocket, req: IncomingMessage) => {
            ws.on('error', err => this.log.debug(`WebSocket from ${req.socket.remoteAddress ?? '?'}: ${err.message}`));
            this.handle(createWebSocketStream(ws), req.socket.remoteAddress, req);
        });
        httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
            wsServer.handleUpgrade(req, socket, head, ws => wsServer.emit('connection', ws, req));
        });
        try {
            await listen(httpServer, port, bind);
        } catch (e) {
            throw new Error(listenErrorMessage(e, 'MQTT over WebSocket, always main port + 1', bind, port));
        }
        httpServer.on('error', err => this.log.error(`MQTT WebSocket server on ${bind}:${port}: ${err.message}`));
    }

    private track(socket: Socket): void {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
    }

    /** Hands one connection (TCP/TLS socket or WebSocket stream) to aedes, behind the packet size guard. */
    private handle(stream: Duplex, remoteAddress: string | undefined, req?: IncomingMessage): void {
        const aedes = this.aedes;
        if (!aedes || this.state === 'stopped') {
            stream.destroy();
            return;
        }
        const address = remoteAddress ?? '?';
        // Filled right after aedes.handle(); oversized packets arrive later, so the id is known by then if sent.
        const owner: { client?: AedesClient } = {};
        const connection = new SizeGuardedConnection(
            stream,
            this.options.maxPacketSize,
            size => {
                this.counters.oversizedPackets++;
                const clientId = owner.client?.id;
                const id = clientId ? `"${printable(clientId, 64)}"` : '(before CONNECT)';
                const text =
                    `MQTT client ${id} from ${address} sent a packet of ` +
                    `${Number.isFinite(size) ? `${size} bytes` : 'an impossible size'} (limit ${this.options.maxPacketSize}): connection closed`;
                const suppressed = this.limiter.allow(`packet:${address}`);
                if (suppressed === undefined) {
                    this.log.debug(text);
                } else {
                    this.log.warn(suppressed ? `${text} (${suppressed} more since the last report)` : text);
                }
            },
            field => this.reportInvalidUtf8(field, address),
        );
        connection.on('error', () => {
            // aedes listens too and closes the client; this only keeps an error without listener from throwing.
        });
        this.addresses.set(connection, address);
        owner.client = aedes.handle(connection, req);
    }

    /** MQTT-1.5.3-1/-2: such a connection is closed. One line per window for all clients (the kind is fixed). */
    private reportInvalidUtf8(field: string, address: string): void {
        this.counters.invalidUtf8++;
        const text = `MQTT client from ${address} sent ${field} that is not valid UTF-8 (or contains U+0000): connection closed, as MQTT requires`;
        const suppressed = this.limiter.allow('invalid-utf8');
        if (suppressed === undefined) {
            this.log.debug(text);
        } else {
            this.log.warn(suppressed ? `${text} (${suppressed} more since the last report)` : text);
        }
    }

    private addressOf(client: AedesClient): string {
        return this.addresses.get(client.conn) ?? '?';
    }

    private authenticate(
        client: AedesClient,
        username: string | undefined,
        password: Buffer | undefined,
        done: (error: AuthenticateError | null, success: boolean | null) => void,
    ): void {
        const address = this.addressOf(client);
        const id = printable(client.id ?? '', 64);
        if (this.credentials && !this.credentials.matches(username, password)) {
            this.counters.refusedAuth++;
            // Never the password (nor the user name: people type passwords into it). One line per address and window.
            const text = `MQTT client "${id}" from ${address} refused: bad user name or password`;
            const suppressed = this.limiter.allow(`auth:${address}`);
            if (suppressed === undefined) {
                this.log.debug(text);
            } else {
                this.log.warn(
                    suppressed ? `${text} (${suppressed} more refusals from this address since the last report)` : text,
                );
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
                this.log.warn(
                    `MQTT client limit reached (${max} connected): refusing "${id}" from ${address} and further clients ` +
                        'until one disconnects. Raise the maximum number of clients if this is expected.',
                );
            } else {
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

    private authorizePublish(
        client: AedesClient | null,
        packet: PublishPacket,
        done: (error?: Error | null) => void,
    ): void {
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

    private authorizeSubscribe(
        client: AedesClient,
        subscription: Subscription,
        done: (error: Error | null, subscription?: Subscription | null) => void,
    ): void {
        if (subscription.topic.length > this.options.maxTopicLength) {
            this.counters.oversizedTopics++;
            this.reportLongTopic(client, subscription.topic, 'subscribe to');
            done(null, null); // SUBACK 0x80 (failure) for this filter; the connection stays
            return;
        }
        done(null, subscription);
    }

    private reportLongTopic(client: AedesClient | null, topic: string, action: string): void {
        const address = client ? this.addressOf(client) : '?';
        const text =
            `MQTT client "${printable(client?.id ?? '', 64)}" from ${address} tried to ${action} a topic of ${topic.length} ` +
            `characters (limit ${this.options.maxTopicLength}): "${printable(topic, 60)}" ignored`;
        if (this.limiter.allow(`topic:${address}`) === undefined) {
            this.log.debug(text);
        } else {
            this.log.warn(text);
        }
    }

    private published(packet: AedesPublishPacket, client: AedesClient | null): void {
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

    private clientReady(client: AedesClient): void {
        this.ready.add(client);
        // Also on a closed connection without DISCONNECT bookkeeping, the client must leave the list.
        client.conn.once('close', () => this.clientGone(client));
        this.log.debug(`MQTT client "${printable(client.id, 64)}" connected from ${this.addressOf(client)}`);
        this.updateStatus();
    }

    private clientGone(client: AedesClient): void {
        if (this.ready.delete(client)) {
            this.log.debug(`MQTT client "${printable(client.id, 64)}" disconnected`);
            this.updateStatus();
        }
    }

    private connectionError(client: AedesClient, err: Error): void {
        // Resets, keepalive timeouts, protocol violations: normal life on a network, debug only.
        this.log.debug(
            `MQTT client "${printable(client.id ?? '', 64)}" from ${this.addressOf(client)}: ${err.message}`,
        );
    }

    private updateStatus(): void {
        const clients = [...new Set([...this.ready].map(c => c.id))].sort();
        const status: TransportStatus = { connected: clients.length > 0, clients };
        if (
            status.connected === this.lastStatus.connected &&
            status.clients.join('\n') === this.lastStatus.clients.join('\n')
        ) {
            return;
        }
        this.lastStatus = status;
        this.statusHandlers.emit(this.status());
    }

    private async shutdown(): Promise<void> {
        const aedes = this.aedes;
        if (aedes) {
            // Closes every registered client (their sessions end, wills are published as on any broker stop).
            await new Promise<void>(resolve => aedes.close(() => resolve()));
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
        await Promise.all(
            [this.tcpServer, this.httpServer].map(server => (server ? closeServer(server) : Promise.resolve())),
        );
        this.ready.clear();
        this.admitted.clear();
        this.updateStatus();
    }
}
