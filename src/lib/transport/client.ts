/**
 * Client mode: MQTT.js connected to a remote broker (Mosquitto, mqtt.meshtastic.org, …).
 * MQTT.js' own reconnect is off (`reconnectPeriod: 0`): this class reconnects with a capped exponential
 * backoff (client-backoff.ts) on the injected timers, so the behaviour is testable, never floods a broker and stops
 * with the adapter. Failures are logged once per kind (DNS, refused, credentials, TLS, …) per outage, that is until
 * a stable session ends again; the rest go to debug.
 */
import type * as Mqtt from 'mqtt';
import { DropDiagnosis, ReconnectBackoff } from './client-backoff';
import { CONFIG_KINDS, classify, describeFailure, type FailureContext, type FailureKind } from './client-failures';
import {
    brokerAddress,
    type ClientOptions,
    displayUrl,
    endClient,
    mqttClientOptions,
    mqttConnect,
    urlProblem,
} from './client-options';
import { probeTcp } from './client-probe';
import { subscribeAll } from './client-subscription';
import { EchoFilter } from './echo-filter';
import { errorText, HandlerList, LogLimiter, useLeanMqttEncoding } from './handlers';
import type { InboundMessage, Timers, Transport, TransportLogger, TransportStatus } from './types';

export type { ClientOptions } from './client-options';

/** Reachability probes in flight at most (each lasts a fraction of a second). */
const MAX_PROBES = 4;

export class ClientTransport implements Transport {
    readonly mode = 'client' as const;

    private readonly log: TransportLogger;
    private readonly timers: Timers;
    private readonly url: string;
    private readonly connectTimeoutMs: number;
    private readonly failure: FailureContext;
    private readonly backoff: ReconnectBackoff;
    private readonly drops = new DropDiagnosis();
    private readonly messageHandlers: HandlerList<InboundMessage>;
    private readonly statusHandlers: HandlerList<TransportStatus>;
    private readonly echo = new EchoFilter();
    private readonly subscriptionLog = new LogLimiter();

    private client?: Mqtt.MqttClient;
    private connected = false;
    private everConnected = false;
    private started = false;
    private stopped = false;
    private reconnectTimer?: unknown;
    /** Cancel functions of the reachability probes in flight (one per quick drop, at most MAX_PROBES). */
    private readonly probes = new Set<{ cancel: () => void }>();
    /** Failure kinds already logged at warn/error since the last stable connection. */
    private readonly loggedKinds = new Set<FailureKind>();
    /** The last loss was logged above debug: its reconnection is, too. */
    private lossShown = false;

    constructor(private readonly options: ClientOptions) {
        useLeanMqttEncoding();
        this.log = options.logger;
        this.timers = options.timers;
        this.url = displayUrl(options.url);
        this.connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
        this.failure = { url: this.url, clientId: options.clientId, connectTimeoutMs: this.connectTimeoutMs };
        this.backoff = new ReconnectBackoff({
            minMs: options.reconnectMinMs ?? 1000,
            maxMs: options.reconnectMaxMs ?? 5_000,
            stableAfterMs: options.stableAfterMs ?? 30_000,
        });
        this.messageHandlers = new HandlerList('message', this.log);
        this.statusHandlers = new HandlerList('status', this.log);
    }

    /**
     * Validates the URL and starts connecting. Resolves without waiting for the broker: an unreachable broker
     * is not fatal, the reconnect loop keeps trying and onStatus reports when the connection is up.
     */
    start(): Promise<void> {
        if (this.started) {
            return Promise.reject(new Error('the MQTT client cannot be started twice'));
        }
        const problem = urlProblem(this.options.url, this.url);
        if (problem !== undefined) {
            return Promise.reject(new Error(problem));
        }
        this.started = true;
        this.connect();
        return Promise.resolve();
    }

    async stop(): Promise<void> {
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
            await endClient(client);
        }
    }

    publish(topic: string, payload: Uint8Array, qos: 0 | 1 = this.options.qos): Promise<void> {
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

    status(): TransportStatus {
        return { connected: this.connected, clients: [] };
    }

    onMessage(handler: (message: InboundMessage) => void): void {
        this.messageHandlers.add(handler);
    }

    onStatus(handler: (status: TransportStatus) => void): void {
        this.statusHandlers.add(handler);
    }

    /** One connection attempt with a fresh MQTT.js client (clean session; subscriptions are renewed on connect). */
    private connect(): void {
        this.reconnectTimer = undefined;
        if (this.stopped) {
            return;
        }
        let client: Mqtt.MqttClient;
        try {
            client = mqttConnect(this.options.url, mqttClientOptions(this.options, this.connectTimeoutMs));
        } catch (e) {
            // Synchronous failures (an unusable option) repeat on every attempt: report and retry slowly.
            this.reportFailure('other', e);
            this.scheduleReconnect();
            return;
        }
        this.client = client;
        let firstError: unknown;
        let connectedAt: number | undefined;
        client.on('connect', () => {
            if (this.client !== client) {
                return;
            }
            connectedAt = Date.now();
            this.connectedNow(client);
        });
        client.on('message', (topic: string, payload: Buffer) => {
            if (this.client === client) {
                this.inbound(topic, payload);
            }
        });
        client.on('error', (err: Error) => {
            // Reported when the attempt ends ('close' always follows with reconnectPeriod 0), once per attempt.
            firstError ??= err;
            this.log.debug(`MQTT client (${this.url}): ${err.message}`);
        });
        client.on('close', () => this.closed(client, connectedAt, firstError));
    }

    private connectedNow(client: Mqtt.MqttClient): void {
        const n = this.backoff.attempts;
        if (!this.everConnected && n === 0) {
            this.log.info(`Connected to ${this.url}`);
        } else if (this.everConnected && !this.lossShown) {
            // A quick drop that was not worth a line (flapping, or said once already): neither is its end.
            this.log.debug(`Connected to ${this.url} again`);
        } else {
            this.log.info(
                `${this.everConnected ? 'Reconnected' : 'Connected'} to ${this.url} after ${n} attempt${n === 1 ? '' : 's'}`,
            );
        }
        this.lossShown = false;
        this.everConnected = true;
        subscribeAll(client, this.options.subscriptions, this.options.qos, {
            url: this.url,
            log: this.log,
            limiter: this.subscriptionLog,
            current: () => this.client === client,
        });
        this.setConnected(true);
    }

    private inbound(topic: string, payload: Buffer): void {
        if (this.echo.isEcho(topic, payload)) {
            return; // own publication: the embedded broker does not report those either
        }
        this.messageHandlers.emit({ topic, payload, arrival: Date.now() });
    }

    private closed(client: Mqtt.MqttClient, connectedAt: number | undefined, error: unknown): void {
        if (this.client !== client) {
            return; // stopped, or an old attempt
        }
        this.client = undefined;
        // Rejects publishes still waiting for PUBACK and releases the client's resources.
        void endClient(client);
        if (connectedAt === undefined) {
            this.drops.attemptFailed();
            this.reportFailure(error === undefined ? 'closed' : classify(error), error);
        } else {
            this.setConnected(false);
            const lasted = Date.now() - connectedAt;
            if (this.backoff.sessionEnded(lasted) === 'stable') {
                // A real session ended: a fresh outage, with fresh log lines and a fresh backoff.
                this.loggedKinds.clear();
                this.drops.reset();
                this.reportLost(error);
            } else {
                this.diagnoseQuickDrop(lasted, error);
            }
        }
        this.scheduleReconnect();
    }

    /** Asks whether the broker is still there before naming a cause; the reconnect timer runs meanwhile. */
    private diagnoseQuickDrop(lasted: number, error: unknown): void {
        const address = brokerAddress(this.options.url);
        if (this.probes.size >= MAX_PROBES) {
            this.log.debug(describeFailure(this.failure, 'dropped', error, lasted));
            return; // drops faster than probes finish: the probes in flight judge them
        }
        const probe = { cancel: (): void => undefined };
        const judge = (reachable: boolean): void => {
            this.probes.delete(probe);
            if (this.stopped) {
                return;
            }
            const verdict = this.drops.quickDrop(reachable);
            if (verdict === 'unclear') {
                this.log.debug(describeFailure(this.failure, 'dropped', error, lasted));
            } else {
                this.reportFailure(verdict, error, lasted);
            }
        };
        if (address === undefined) {
            judge(false);
            return;
        }
        this.probes.add(probe); // before probing: a probe that fails at once calls judge synchronously
        probe.cancel = probeTcp(address, judge);
    }

    private scheduleReconnect(): void {
        if (this.stopped || this.reconnectTimer !== undefined) {
            return;
        }
        const { attempt, delayMs } = this.backoff.next();
        this.log.debug(`Reconnecting to ${this.url} in ${delayMs} ms (attempt ${attempt})`);
        this.reconnectTimer = this.timers.setTimeout(() => this.connect(), delayMs);
    }

    private setConnected(connected: boolean): void {
        if (this.connected === connected) {
            return;
        }
        this.connected = connected;
        this.statusHandlers.emit(this.status());
    }

    private reportLost(error: unknown): void {
        const reason = error === undefined ? '' : `: ${errorText(error)}`;
        this.lossShown = true;
        this.log.warn(`Connection to the MQTT broker ${this.url} lost${reason}; reconnecting`);
    }

    private reportFailure(kind: FailureKind, error: unknown, lastedMs = 0): void {
        const text = describeFailure(this.failure, kind, error, lastedMs);
        if (this.loggedKinds.has(kind)) {
            this.log.debug(text);
            return;
        }
        this.loggedKinds.add(kind);
        if (kind !== 'taken-over') {
            this.lossShown = true;
        }
        if (CONFIG_KINDS.has(kind)) {
            this.log.error(text);
        } else {
            this.log.warn(text);
        }
    }
}
