/**
 * The MQTT client's test bench: a ClientTransport with fast test defaults (against the Mosquitto of the client
 * tests unless told otherwise) that records its messages, statuses, log and timer delays, stopped after each test.
 * Not compiled into the build.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { ClientTransport, type ClientOptions } from '../lib/transport/client';
import type { InboundMessage, TransportStatus } from '../lib/transport/types';
import {
    CapturedLog,
    CountingTimers,
    HOST,
    type Mosquitto,
    mosquittoAvailable,
    startMosquitto,
    waitFor,
} from './transport-fixtures.test';

export const MOSQUITTO_PORT = 21201;
export const USER = 'iob-user';
export const PASS = 'Mosq-Secret-77';
/** Nothing listens here: connection refused. */
export const CLOSED_PORT = 21299;

export class ClientBench {
    transport?: ClientTransport;
    log = new CapturedLog();
    timers = new CountingTimers();
    messages: InboundMessage[] = [];
    statuses: TransportStatus[] = [];

    create(overrides: Partial<ClientOptions> = {}): ClientTransport {
        this.log = new CapturedLog();
        this.timers = new CountingTimers();
        this.messages = [];
        this.statuses = [];
        const client = new ClientTransport({
            url: `mqtt://${HOST}:${MOSQUITTO_PORT}`,
            user: USER,
            pass: PASS,
            clientId: 'iobroker-test',
            qos: 1,
            rejectUnauthorized: true,
            subscriptions: ['msh/EU_868/2/e/LongFast/#', 'msh/EU_868/2/map/#'],
            reconnectMinMs: 50,
            reconnectMaxMs: 400,
            connectTimeoutMs: 3000,
            stableAfterMs: 0, // every connection counts as stable unless a test says otherwise
            logger: this.log,
            timers: this.timers,
            ...overrides,
        });
        client.onMessage(m => this.messages.push(m));
        client.onStatus(s => this.statuses.push(s));
        this.transport = client;
        return client;
    }

    /** Other MQTT clients of the test (gateways, twins), ended after it. */
    readonly peers: MqttClient[] = [];

    /** A connected client of the test Mosquitto. */
    async peer(clientId: string): Promise<MqttClient> {
        const c = await connectAsync(`mqtt://${HOST}:${MOSQUITTO_PORT}`, {
            username: USER,
            password: PASS,
            clientId,
            reconnectPeriod: 0,
            connectTimeout: 5000,
        });
        this.peers.push(c);
        return c;
    }

    /** Publishes until the transport receives it: the SUBSCRIBE may still be in flight right after CONNACK. */
    deliver(from: MqttClient, topic: string, payload: string): Promise<InboundMessage> {
        return waitFor(
            () => {
                void from.publishAsync(topic, payload, { qos: 1 }).catch(() => undefined);
                return this.messages.find(m => m.topic === topic && m.payload.toString() === payload);
            },
            `"${topic}" to arrive`,
            10000,
        );
    }

    async cleanup(): Promise<void> {
        await Promise.all(this.peers.splice(0).map(p => p.endAsync(true)));
        await this.transport?.stop();
        this.transport = undefined;
    }
}

/** The test Mosquitto (user and password set) for the enclosing describe(), and a bench cleaned up after each test. */
export function useMosquittoBench(): { bench: ClientBench; mosquitto: () => Mosquitto } {
    const bench = new ClientBench();
    let mosquitto: Mosquitto | undefined;
    before(async function () {
        this.timeout(20000);
        if (!mosquittoAvailable()) {
            // Deliberately a failure, not a skip: CI installs the Debian package and must run these tests.
            throw new Error(
                'mosquitto is not installed: apt-get install -y mosquitto (client-mode tests need a real broker)',
            );
        }
        mosquitto = await startMosquitto({ port: MOSQUITTO_PORT, user: USER, pass: PASS });
    });
    after(async () => {
        await mosquitto?.stop();
    });
    afterEach(() => bench.cleanup());
    return { bench, mosquitto: () => mosquitto! };
}
