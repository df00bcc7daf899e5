/**
 * The embedded broker's test bench: a BrokerTransport on fresh ports that records its messages, statuses and log,
 * and real MQTT.js clients that are ended after each test. Not compiled into the build.
 */
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { BrokerTransport, type BrokerOptions } from '../lib/transport/broker';
import type { InboundMessage, TransportStatus } from '../lib/transport/types';
import { CapturedLog, HOST } from './transport-fixtures.test';

let nextPort = 21100;
/** Every test gets fresh ports (and port + 1 for WebSocket), so a slow close never bites the next test. */
export function freshPort(): number {
    nextPort += 2;
    return nextPort;
}

export type BenchClientOptions = IClientOptions & { protocol?: 'mqtt' | 'mqtts' | 'ws' | 'wss'; port?: number };

export class BrokerBench {
    broker?: BrokerTransport;
    log = new CapturedLog();
    messages: InboundMessage[] = [];
    statuses: TransportStatus[] = [];
    private readonly clients: MqttClient[] = [];

    /** A started broker with test defaults (fresh port, no WebSocket, 10 clients, topics ≤ 100, packets ≤ 4096). */
    async start(overrides: Partial<BrokerOptions> = {}): Promise<BrokerTransport> {
        this.log = new CapturedLog();
        this.messages = [];
        this.statuses = [];
        const transport = new BrokerTransport({
            bind: HOST,
            port: freshPort(),
            webSocket: false,
            maxClients: 10,
            maxTopicLength: 100,
            maxPacketSize: 4096,
            logger: this.log,
            ...overrides,
        });
        transport.onMessage(m => this.messages.push(m));
        transport.onStatus(s => this.statuses.push(s));
        await transport.start();
        this.broker = transport;
        return transport;
    }

    /** The main port of the started broker. */
    get port(): number {
        return portOf(this.broker!);
    }

    /** A connected MQTT.js client (no reconnect), ended after the test. */
    async client(options: BenchClientOptions = {}): Promise<MqttClient> {
        const { protocol = 'mqtt', port = this.port, ...rest } = options;
        const c = await connectAsync(`${protocol}://${HOST}:${port}`, {
            reconnectPeriod: 0,
            connectTimeout: 5000,
            ...rest,
        });
        this.clients.push(c);
        return c;
    }

    /** The error of a connection the broker must refuse. */
    async refusal(options: BenchClientOptions): Promise<Error & { code?: unknown }> {
        try {
            await this.client(options);
        } catch (e) {
            return e as Error & { code?: unknown };
        }
        throw new Error('the connection was accepted but should have been refused');
    }

    /** A client made elsewhere, ended after the test too. */
    track(client: MqttClient): void {
        this.clients.push(client);
    }

    async cleanup(): Promise<void> {
        await Promise.all(this.clients.splice(0).map(c => c.endAsync(true)));
        await this.broker?.stop();
        this.broker = undefined;
    }
}

export function portOf(transport: BrokerTransport): number {
    return (transport as unknown as { options: BrokerOptions }).options.port;
}

/** A bench for the tests of the enclosing describe(), cleaned up after each. */
export function useBrokerBench(): BrokerBench {
    const bench = new BrokerBench();
    afterEach(() => bench.cleanup());
    return bench;
}
