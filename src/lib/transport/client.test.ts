import { expect } from 'chai';
import { connect, connectAsync, type MqttClient } from 'mqtt';
import { BrokerTransport } from './broker';
import { ClientTransport, type ClientOptions } from './client';
import { createTransport } from './index';
import type { InboundMessage, Timers, TransportLogger, TransportStatus } from './types';

// test/support is plain CommonJS without typings: typed here.
interface Mosquitto {
    port: number;
    output(): string;
    stop(): Promise<void>;
    kill(): void;
    restart(): Promise<void>;
}
interface MosquittoSupport {
    startMosquitto(options: { port: number; user?: string; pass?: string }): Promise<Mosquitto>;
    mosquittoAvailable(): boolean;
}
interface CertsSupport {
    createSelfSignedCert(host?: string): { key: string; cert: string };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startMosquitto, mosquittoAvailable } = require('../../../test/support/mosquitto') as MosquittoSupport;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSelfSignedCert } = require('../../../test/support/certs') as CertsSupport;

const HOST = '127.0.0.1';
const MOSQUITTO_PORT = 21201;
const USER = 'iob-user';
const PASS = 'Mosq-Secret-77';
/** Nothing listens here: connection refused. */
const CLOSED_PORT = 21299;

class CapturedLog implements TransportLogger {
    readonly lines: { level: string; message: string }[] = [];
    error(message: string): void {
        this.lines.push({ level: 'error', message });
    }
    warn(message: string): void {
        this.lines.push({ level: 'warn', message });
    }
    info(message: string): void {
        this.lines.push({ level: 'info', message });
    }
    debug(message: string): void {
        this.lines.push({ level: 'debug', message });
    }
    text(): string {
        return this.lines.map(l => `${l.level}: ${l.message}`).join('\n');
    }
    /** Lines above debug: what a user sees at the default log level. */
    visible(): string[] {
        return this.lines.filter(l => l.level !== 'debug').map(l => `${l.level}: ${l.message}`);
    }
}

/** Real timers that remember every delay and know which handles are still pending. */
class CountingTimers implements Timers {
    readonly delays: number[] = [];
    readonly pending = new Set<NodeJS.Timeout>();

    setTimeout(callback: () => void, ms: number): unknown {
        this.delays.push(ms);
        const handle = setTimeout(() => {
            this.pending.delete(handle);
            callback();
        }, ms);
        this.pending.add(handle);
        return handle;
    }

    clearTimeout(handle: unknown): void {
        clearTimeout(handle as NodeJS.Timeout);
        this.pending.delete(handle as NodeJS.Timeout);
    }
}

/** The next message a real MQTT client receives (optionally: on exactly this topic). */
function nextMessage(client: MqttClient, topic?: string): Promise<{ topic: string; payload: Buffer }> {
    return new Promise(resolve => {
        const listener = (t: string, payload: Buffer): void => {
            if (topic === undefined || t === topic) {
                client.removeListener('message', listener);
                resolve({ topic: t, payload });
            }
        };
        client.on('message', listener);
    });
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) {
            return value;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(10);
    }
}

describe('transport/ClientTransport (MQTT.js against a real Mosquitto)', function () {
    this.timeout(20000);

    let mosquitto: Mosquitto | undefined;
    let transport: ClientTransport | undefined;
    let log: CapturedLog;
    let timers: CountingTimers;
    let messages: InboundMessage[];
    let statuses: TransportStatus[];
    const peers: MqttClient[] = [];

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

    afterEach(async () => {
        await Promise.all(peers.splice(0).map(p => p.endAsync(true)));
        await transport?.stop();
        transport = undefined;
    });

    function createClient(overrides: Partial<ClientOptions> = {}): ClientTransport {
        log = new CapturedLog();
        timers = new CountingTimers();
        messages = [];
        statuses = [];
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
            logger: log,
            timers,
            ...overrides,
        });
        client.onMessage(m => messages.push(m));
        client.onStatus(s => statuses.push(s));
        transport = client;
        return client;
    }

    async function peer(clientId: string): Promise<MqttClient> {
        const c = await connectAsync(`mqtt://${HOST}:${MOSQUITTO_PORT}`, {
            username: USER,
            password: PASS,
            clientId,
            reconnectPeriod: 0,
            connectTimeout: 5000,
        });
        peers.push(c);
        return c;
    }

    /** Publishes until the transport receives it: the SUBSCRIBE may still be in flight right after CONNACK. */
    async function deliver(from: MqttClient, topic: string, payload: string): Promise<InboundMessage> {
        return waitFor(() => {
            void from.publishAsync(topic, payload, { qos: 1 }).catch(() => undefined);
            return messages.find(m => m.topic === topic && m.payload.toString() === payload);
        }, `"${topic}" to arrive`);
    }

    it('connects, subscribes and passes on what other clients publish', async () => {
        const client = createClient();
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        expect(statuses).to.deep.equal([{ connected: true, clients: [] }]);
        const gw = await peer('gw-mosq');
        const topic = 'msh/EU_868/2/e/LongFast/!1234abcd';
        const message = await deliver(gw, topic, 'packet-1');
        expect(message.clientId).to.equal(undefined);
        expect(Buffer.isBuffer(message.payload)).to.equal(true);
        expect(message.arrival).to.be.within(Date.now() - 10000, Date.now());
        // Not subscribed: never arrives.
        await gw.publishAsync('msh/EU_868/2/e/MediumFast/!1', 'other channel', { qos: 1 });
        await deliver(gw, 'msh/EU_868/2/map/', 'map-report');
        expect(messages.map(m => m.topic)).not.to.include('msh/EU_868/2/e/MediumFast/!1');
        expect(log.visible()).to.deep.equal([`info: Connected to mqtt://${HOST}:${MOSQUITTO_PORT}`]);
        expect(log.text()).not.to.include(PASS);
    });

    it('publishes to the broker and drops the echo of its own publication', async () => {
        const client = createClient();
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        const gw = await peer('gw-listener');
        await gw.subscribeAsync('msh/EU_868/2/e/LongFast/#', { qos: 1 });
        // Wait until our own subscription is active (an echo could otherwise never come back).
        await deliver(gw, 'msh/EU_868/2/e/LongFast/!warmup', 'warm-up');
        const atGateway = nextMessage(gw, 'msh/EU_868/2/e/LongFast/!0000beef');
        await client.publish('msh/EU_868/2/e/LongFast/!0000beef', new Uint8Array([1, 2, 3]));
        await client.publish('msh/EU_868/2/e/LongFast/!0000beef', new Uint8Array([1, 2, 3])); // a resend: two echoes
        const { topic, payload } = await atGateway;
        expect(topic).to.equal('msh/EU_868/2/e/LongFast/!0000beef');
        expect([...payload]).to.deep.equal([1, 2, 3]);
        // The same bytes from someone else are a real message and do arrive.
        await deliver(gw, 'msh/EU_868/2/e/LongFast/!after', 'marker');
        expect(messages.filter(m => m.topic === 'msh/EU_868/2/e/LongFast/!0000beef')).to.have.length(0);
        await gw.publishAsync('msh/EU_868/2/e/LongFast/!0000beef', Buffer.from([1, 2, 3]), { qos: 1 });
        await waitFor(() => messages.find(m => m.topic === 'msh/EU_868/2/e/LongFast/!0000beef'), 'the peer copy');
    });

    it('logs wrong credentials once as a clear error, not on every retry', async () => {
        const client = createClient({ pass: 'Wrong-Pass-123' });
        await client.start();
        await waitFor(
            () => log.lines.filter(l => /refused the login/.test(l.message)).length >= 5,
            'five refused attempts',
        );
        const visible = log.visible();
        expect(visible).to.have.length(1);
        expect(visible[0]).to.match(
            /^error: The broker mqtt:\/\/127\.0\.0\.1:21201 refused the login: .*(bad user name or password|not authorized)/,
        );
        expect(log.text()).not.to.include('Wrong-Pass-123');
        expect(log.text()).not.to.include(PASS);
        expect(statuses).to.deep.equal([]);
        expect(client.status().connected).to.equal(false);
    });

    it('reports the lost broker, reconnects when it is back and subscribes again', async function () {
        this.timeout(30000);
        const client = createClient();
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        mosquitto!.kill();
        await waitFor(() => !client.status().connected, 'the disconnect');
        expect(statuses.at(-1)).to.deep.equal({ connected: false, clients: [] });
        // Several failed attempts while the broker is down.
        await waitFor(() => log.lines.filter(l => /ECONNREFUSED/.test(l.message)).length >= 3, 'refused attempts');
        try {
            await client.publish('msh/EU_868/2/e/LongFast/!x', new Uint8Array([1]));
            expect.fail('publish while disconnected must reject');
        } catch (e) {
            expect((e as Error).message).to.match(/not connected/);
        }
        await mosquitto!.restart();
        await waitFor(() => client.status().connected, 'the reconnect', 15000);
        expect(statuses.map(s => s.connected)).to.deep.equal([true, false, true]);
        const visible = log.visible();
        expect(visible.filter(l => /lost/.test(l))).to.have.length(1);
        expect(visible.filter(l => /ECONNREFUSED/.test(l))).to.have.length(1);
        expect(visible.filter(l => /^info: Reconnected to .* after \d+ attempts?$/.test(l))).to.have.length(1);
        const gw = await peer('gw-after-restart');
        await deliver(gw, 'msh/EU_868/2/e/LongFast/!again', 'after restart');
        expect(log.text()).not.to.include(PASS);
    });

    it('does not flood the log or the broker when the connection flaps (another client with the same id)', async () => {
        const client = createClient({ clientId: 'twin', reconnectMinMs: 20, reconnectMaxMs: 160, stableAfterMs: 5000 });
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        // The twin reconnects quickly and takes the session over each time: both keep kicking each other out.
        const twin = connect(`mqtt://${HOST}:${MOSQUITTO_PORT}`, {
            username: USER,
            password: PASS,
            clientId: 'twin',
            reconnectPeriod: 30,
        });
        twin.on('error', () => undefined);
        peers.push(twin);
        await waitFor(() => timers.delays.length >= 6, 'six reconnects', 15000);
        await twin.endAsync(true);
        const bases = [20, 40, 80, 160, 160, 160];
        timers.delays.slice(0, 6).forEach((delay, i) => {
            expect(delay, `delay ${i}`).to.be.within(Math.floor(bases[i] * 0.9), bases[i]);
        });
        const visible = log.visible();
        expect(visible[0]).to.equal(`info: Connected to mqtt://${HOST}:${MOSQUITTO_PORT}`);
        expect(visible.slice(1)).to.have.length(1);
        expect(visible[1]).to.match(/^warn: The connection to .* broke \d+ ms after it was made.*same client id/);
        // Once the twin is gone, the connection comes back and stays.
        await waitFor(() => client.status().connected, 'the connection without the twin');
    });

    it('rejects publish() before the connection is up', async () => {
        const client = createClient({ url: `mqtt://${HOST}:${CLOSED_PORT}` });
        try {
            await client.publish('msh/x', new Uint8Array([1]));
            expect.fail('publish before start must reject');
        } catch (e) {
            expect((e as Error).message).to.equal(`not connected to the MQTT broker mqtt://${HOST}:${CLOSED_PORT}`);
        }
    });

    it('backs off exponentially up to the maximum and logs a refused connection once', async () => {
        const client = createClient({ url: `mqtt://${HOST}:${CLOSED_PORT}`, reconnectMinMs: 20, reconnectMaxMs: 160 });
        await client.start();
        await waitFor(() => timers.delays.length >= 8, 'eight reconnect delays');
        await client.stop();
        const delays = timers.delays.slice(0, 8);
        // 20, 40, 80, 160, 160, … each minus up to 10 % jitter.
        const bases = [20, 40, 80, 160, 160, 160, 160, 160];
        delays.forEach((delay, i) => {
            expect(delay, `delay ${i}`).to.be.within(Math.floor(bases[i] * 0.9), bases[i]);
        });
        expect(log.visible()).to.have.length(1);
        expect(log.visible()[0]).to.match(/^warn: The broker .* refused the TCP connection \(ECONNREFUSED\)/);
    });

    it('stop() clears every timer, ends the connection and does not reconnect', async () => {
        // While waiting for the next attempt …
        const waiting = createClient({
            url: `mqtt://${HOST}:${CLOSED_PORT}`,
            reconnectMinMs: 5000,
            reconnectMaxMs: 5000,
        });
        await waiting.start();
        await waitFor(() => timers.pending.size === 1, 'the reconnect timer');
        await waiting.stop();
        expect(timers.pending.size).to.equal(0);
        await waiting.stop(); // idempotent

        // … and while connected.
        const connected = createClient();
        await connected.start();
        await waitFor(() => connected.status().connected, 'the connection');
        await connected.stop();
        expect(connected.status()).to.deep.equal({ connected: false, clients: [] });
        expect(statuses.map(s => s.connected)).to.deep.equal([true, false]);
        await sleep(200);
        expect(timers.pending.size).to.equal(0);
        expect(timers.delays).to.deep.equal([]);
        expect(log.visible().filter(l => /lost|refused/.test(l))).to.deep.equal([]);
    });

    it('names a host that does not resolve once, as an error', async () => {
        const client = createClient({
            url: 'mqtt://no-such-broker.invalid:1883',
            reconnectMinMs: 20,
            reconnectMaxMs: 40,
        });
        await client.start();
        await waitFor(() => timers.delays.length >= 3, 'three attempts');
        await client.stop();
        expect(log.visible()).to.have.length(1);
        expect(log.visible()[0]).to.match(
            /^error: Cannot resolve the broker's host name in mqtt:\/\/no-such-broker\.invalid:1883 \((ENOTFOUND|EAI_AGAIN)\)/,
        );
    });

    it('rejects an invalid or unsupported URL at start', async () => {
        for (const url of ['not a url', 'http://127.0.0.1:1883']) {
            const client = createClient({ url });
            let error: unknown;
            try {
                await client.start();
            } catch (e) {
                error = e;
            }
            expect((error as Error).message, url).to.match(/not a valid broker URL|Unsupported scheme/);
        }
    });

    it('hides a password given in the URL from the log', async () => {
        const client = createClient({
            url: `mqtt://user:Url-Secret-9@${HOST}:${CLOSED_PORT}`,
            reconnectMinMs: 20,
            reconnectMaxMs: 20,
        });
        await client.start();
        await waitFor(() => timers.delays.length >= 2, 'two attempts');
        await client.stop();
        expect(log.text()).not.to.include('Url-Secret-9');
        expect(log.text()).to.include(`mqtt://user:***@${HOST}:${CLOSED_PORT}`);
    });

    describe('TLS (against the embedded broker with a self-signed certificate)', () => {
        const pem = createSelfSignedCert(HOST);
        let broker: BrokerTransport | undefined;
        const TLS_PORT = 21220;

        beforeEach(async () => {
            broker = new BrokerTransport({
                bind: HOST,
                port: TLS_PORT,
                webSocket: false,
                tls: { key: pem.key, cert: pem.cert },
                maxClients: 5,
                maxTopicLength: 200,
                maxPacketSize: 4096,
                logger: new CapturedLog(),
            });
            await broker.start();
        });

        afterEach(async () => {
            await transport?.stop();
            transport = undefined;
            await broker?.stop();
        });

        it('refuses an untrusted certificate with one TLS error line', async () => {
            const client = createClient({
                url: `mqtts://${HOST}:${TLS_PORT}`,
                user: undefined,
                pass: undefined,
                reconnectMinMs: 20,
                reconnectMaxMs: 40,
            });
            await client.start();
            await waitFor(() => timers.delays.length >= 3, 'three attempts');
            expect(client.status().connected).to.equal(false);
            expect(log.visible()).to.have.length(1);
            expect(log.visible()[0]).to.match(
                /^error: TLS connection to mqtts:\/\/127\.0\.0\.1:21220 failed: .*self[- ]signed.*set its CA certificate/i,
            );
        });

        it('connects with the CA certificate given, and with verification off', async () => {
            const withCa = createClient({
                url: `mqtts://${HOST}:${TLS_PORT}`,
                user: undefined,
                pass: undefined,
                ca: pem.cert,
            });
            await withCa.start();
            await waitFor(() => withCa.status().connected, 'the TLS connection with CA');
            await withCa.stop();
            const unverified = createClient({
                url: `mqtts://${HOST}:${TLS_PORT}`,
                user: undefined,
                pass: undefined,
                rejectUnauthorized: false,
            });
            await unverified.start();
            await waitFor(() => unverified.status().connected, 'the TLS connection without verification');
            // The embedded broker's own publication reaches a subscribed client transport (repeated: SUBACK may lag).
            await waitFor(() => {
                void broker!.publish('msh/EU_868/2/map/', new Uint8Array([7]));
                return messages.find(m => m.topic === 'msh/EU_868/2/map/');
            }, 'the map report');
        });
    });

    it('is what createTransport builds for mode "client"', () => {
        const t = createTransport({
            mode: 'client',
            url: `mqtt://${HOST}:${CLOSED_PORT}`,
            clientId: 'factory',
            qos: 0,
            rejectUnauthorized: true,
            subscriptions: [],
            logger: new CapturedLog(),
            timers: new CountingTimers(),
        });
        expect(t).to.be.instanceOf(ClientTransport);
        expect(t.mode).to.equal('client');
        expect(t.status()).to.deep.equal({ connected: false, clients: [] });
    });
});
