/**
 * Broker mode: an embedded aedes MQTT broker on TCP (or TLS) and optionally WebSocket on port + 1.
 * Gateways publish to it and receive each other's messages as from any broker; the adapter sees every
 * publish (aedes' `publish` event) and publishes downlink through aedes so subscribed gateways get it.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Aedes, Client as AedesClient, PublishPacket } from 'aedes' with { 'resolution-mode': 'import' };
import { printable } from '../log-once';
import { ConnectAdmission } from './broker-auth';
import { type BrokerContext, type BrokerStats, emptyStats } from './broker-context';
import { guardConnection } from './broker-guards';
import { PublishIntake } from './broker-intake';
import { BrokerListeners, type BrokerTlsOptions } from './broker-listeners';
import { errorText, HandlerList, LogLimiter, useLeanMqttEncoding } from './handlers';
import type { InboundMessage, Timers, Transport, TransportLogger, TransportStatus } from './types';

export type { BrokerStats } from './broker-context';
export type { BrokerTlsOptions } from './broker-listeners';

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

/** Connections that have not sent CONNECT yet are dropped after this long (aedes default: 30 s). */
const CONNECT_TIMEOUT_MS = 10_000;
/** A frozen subscriber is disconnected after this long instead of stalling delivery to everyone. */
const DRAIN_TIMEOUT_MS = 30_000;

export class BrokerTransport implements Transport {
    readonly mode = 'broker' as const;

    private readonly log: TransportLogger;
    private readonly messageHandlers: HandlerList<InboundMessage>;
    private readonly statusHandlers: HandlerList<TransportStatus>;
    private readonly ctx: BrokerContext;
    private readonly admission: ConnectAdmission;
    private readonly intake: PublishIntake;
    private readonly listeners: BrokerListeners;

    private aedes?: Aedes;
    /** Peer address per connection object handed to aedes (client.conn). */
    private readonly addresses = new WeakMap<object, string>();
    /** Clients that completed CONNECT/CONNACK: what status() reports. */
    private readonly ready = new Set<AedesClient>();
    private lastStatus: TransportStatus = { connected: false, clients: [] };
    private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
    private starting?: Promise<void>;
    private stopping?: Promise<void>;

    constructor(private readonly options: BrokerOptions) {
        useLeanMqttEncoding();
        this.log = options.logger;
        this.messageHandlers = new HandlerList('message', this.log);
        this.statusHandlers = new HandlerList('status', this.log);
        const limiter = new LogLimiter();
        this.ctx = {
            log: this.log,
            limiter,
            counters: emptyStats(),
            addressOf: client => (client ? (this.addresses.get(client.conn) ?? '?') : '?'),
        };
        this.admission = new ConnectAdmission(options, this.ctx);
        this.intake = new PublishIntake(options.maxTopicLength, this.ctx, message =>
            this.messageHandlers.emit(message),
        );
        this.listeners = new BrokerListeners({ ...options, limiter }, (stream, address, req) =>
            this.handle(stream, address, req),
        );
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
        this.intake.markOwn(packet);
        return new Promise((resolve, reject) => {
            aedes.publish(packet, err => (err ? reject(err) : resolve()));
        });
    }

    status(): TransportStatus {
        return { connected: this.lastStatus.connected, clients: [...this.lastStatus.clients] };
    }

    stats(): BrokerStats {
        return { ...this.ctx.counters };
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
        // aedes 1.x is an ES module: loaded with import(), which this CommonJS build keeps as a real import.
        const { Aedes: AedesBroker } = await import('aedes');
        const { admission, intake } = this;
        const aedes = new AedesBroker({
            connectTimeout: CONNECT_TIMEOUT_MS,
            drainTimeout: DRAIN_TIMEOUT_MS,
            authenticate: (client, username, password, done) =>
                admission.authenticate(client, username, password, done),
            authorizePublish: (client, packet, done) => intake.authorizePublish(client, packet, done),
            authorizeSubscribe: (client, subscription, done) => intake.authorizeSubscribe(client, subscription, done),
            authorizeForward: (_client, packet) => intake.authorizeForward(packet),
        });
        this.aedes = aedes;
        // aedes' typings omit 'error' (persistence failures); unhandled, it would crash the adapter.
        (aedes as EventEmitter).on('error', (err: unknown) => this.log.error(`MQTT broker error: ${errorText(err)}`));
        aedes.on('clientReady', client => this.clientReady(client));
        aedes.on('clientDisconnect', client => this.clientGone(client));
        aedes.on('clientError', (client, err) => this.connectionError(client, err));
        aedes.on('connectionError', (client, err) => this.connectionError(client, err));
        aedes.on('publish', (packet, client) => intake.published(packet, client));
        await aedes.listen();
        await this.listeners.start();
    }

    /** Hands one connection (TCP/TLS socket or WebSocket stream) to aedes, behind the guards. */
    private handle(stream: Duplex, remoteAddress: string | undefined, req?: IncomingMessage): void {
        const aedes = this.aedes;
        if (!aedes || this.state === 'stopped') {
            stream.destroy();
            return;
        }
        const address = remoteAddress ?? '?';
        // Filled right after aedes.handle(); oversized packets arrive later, so the id is known by then if sent.
        const owner: { client?: AedesClient } = {};
        const connection = guardConnection(
            stream,
            address,
            this.options.maxPacketSize,
            this.ctx,
            () => owner.client?.id,
        );
        this.addresses.set(connection, address);
        owner.client = aedes.handle(connection, req);
    }

    private clientReady(client: AedesClient): void {
        this.ready.add(client);
        // Also on a closed connection without DISCONNECT bookkeeping, the client must leave the list.
        client.conn.once('close', () => this.clientGone(client));
        this.log.debug(`MQTT client "${printable(client.id, 64)}" connected from ${this.ctx.addressOf(client)}`);
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
            `MQTT client "${printable(client.id ?? '', 64)}" from ${this.ctx.addressOf(client)}: ${err.message}`,
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
        await this.listeners.close();
        this.ready.clear();
        this.admission.clear();
        this.updateStatus();
    }
}
