import { expect } from 'chai';
import type { MqttClient } from 'mqtt';
import { ClientTransport } from './client';
import { createTransport } from './index';
import type { InboundMessage } from './types';
import { CLOSED_PORT, MOSQUITTO_PORT, PASS, useMosquittoBench } from '../../test-support/client-bench';
import {
    CapturedLog,
    CountingTimers,
    HOST,
    nextMessage,
    sleep,
    waitFor as waitForWithin,
} from '../../test-support/transport-fixtures.test';

/** Real brokers take their time: 10 s unless told otherwise. */
const waitFor = <T>(probe: () => T | undefined | false, what: string, timeoutMs = 10000): Promise<T> =>
    waitForWithin(probe, what, timeoutMs);

describe('transport/ClientTransport (MQTT.js against a real Mosquitto)', function () {
    this.timeout(20000);
    const { bench } = useMosquittoBench();
    const peer = (clientId: string): Promise<MqttClient> => bench.peer(clientId);
    const deliver = (from: MqttClient, topic: string, payload: string): Promise<InboundMessage> =>
        bench.deliver(from, topic, payload);

    it('connects, subscribes and passes on what other clients publish', async () => {
        const client = bench.create();
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        expect(bench.statuses).to.deep.equal([{ connected: true, clients: [] }]);
        const gw = await peer('gw-mosq');
        const topic = 'msh/EU_868/2/e/LongFast/!1234abcd';
        const message = await deliver(gw, topic, 'packet-1');
        expect(message.clientId).to.equal(undefined);
        expect(Buffer.isBuffer(message.payload)).to.equal(true);
        expect(message.arrival).to.be.within(Date.now() - 10000, Date.now());
        // Not subscribed: never arrives.
        await gw.publishAsync('msh/EU_868/2/e/MediumFast/!1', 'other channel', { qos: 1 });
        await deliver(gw, 'msh/EU_868/2/map/', 'map-report');
        expect(bench.messages.map(m => m.topic)).not.to.include('msh/EU_868/2/e/MediumFast/!1');
        expect(bench.log.visible()).to.deep.equal([`info: Connected to mqtt://${HOST}:${MOSQUITTO_PORT}`]);
        expect(bench.log.text()).not.to.include(PASS);
    });

    it('publishes to the broker and drops the echo of its own publication', async () => {
        const client = bench.create();
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
        expect(bench.messages.filter(m => m.topic === 'msh/EU_868/2/e/LongFast/!0000beef')).to.have.length(0);
        await gw.publishAsync('msh/EU_868/2/e/LongFast/!0000beef', Buffer.from([1, 2, 3]), { qos: 1 });
        await waitFor(() => bench.messages.find(m => m.topic === 'msh/EU_868/2/e/LongFast/!0000beef'), 'the peer copy');
    });

    it('logs wrong credentials once as a clear error, not on every retry', async () => {
        const client = bench.create({ pass: 'Wrong-Pass-123' });
        await client.start();
        await waitFor(
            () => bench.log.lines.filter(l => /refused the login/.test(l.message)).length >= 5,
            'five refused attempts',
        );
        const visible = bench.log.visible();
        expect(visible).to.have.length(1);
        expect(visible[0]).to.match(
            /^error: The broker mqtt:\/\/127\.0\.0\.1:21201 refused the login: .*(bad user name or password|not authorized)/,
        );
        expect(bench.log.text()).not.to.include('Wrong-Pass-123');
        expect(bench.log.text()).not.to.include(PASS);
        expect(bench.statuses).to.deep.equal([]);
        expect(client.status().connected).to.equal(false);
    });

    it('rejects publish() before the connection is up', async () => {
        const client = bench.create({ url: `mqtt://${HOST}:${CLOSED_PORT}` });
        try {
            await client.publish('msh/x', new Uint8Array([1]));
            expect.fail('publish before start must reject');
        } catch (e) {
            expect((e as Error).message).to.equal(`not connected to the MQTT broker mqtt://${HOST}:${CLOSED_PORT}`);
        }
    });

    it('backs off exponentially up to the maximum and logs a refused connection once', async () => {
        const client = bench.create({ url: `mqtt://${HOST}:${CLOSED_PORT}`, reconnectMinMs: 20, reconnectMaxMs: 160 });
        await client.start();
        await waitFor(() => bench.timers.delays.length >= 8, 'eight reconnect delays');
        await client.stop();
        const delays = bench.timers.delays.slice(0, 8);
        // 20, 40, 80, 160, 160, … each minus up to 10 % jitter.
        const bases = [20, 40, 80, 160, 160, 160, 160, 160];
        delays.forEach((delay, i) => {
            expect(delay, `delay ${i}`).to.be.within(Math.floor(bases[i] * 0.9), bases[i]);
        });
        expect(bench.log.visible()).to.have.length(1);
        expect(bench.log.visible()[0]).to.match(/^warn: The broker .* refused the TCP connection \(ECONNREFUSED\)/);
    });

    it('stop() clears every timer, ends the connection and does not reconnect', async () => {
        // While waiting for the next attempt …
        const waiting = bench.create({
            url: `mqtt://${HOST}:${CLOSED_PORT}`,
            reconnectMinMs: 5000,
            reconnectMaxMs: 5000,
        });
        await waiting.start();
        await waitFor(() => bench.timers.pending.size === 1, 'the reconnect timer');
        await waiting.stop();
        expect(bench.timers.pending.size).to.equal(0);
        await waiting.stop(); // idempotent

        // … and while connected.
        const connected = bench.create();
        await connected.start();
        await waitFor(() => connected.status().connected, 'the connection');
        await connected.stop();
        expect(connected.status()).to.deep.equal({ connected: false, clients: [] });
        expect(bench.statuses.map(s => s.connected)).to.deep.equal([true, false]);
        await sleep(200);
        expect(bench.timers.pending.size).to.equal(0);
        expect(bench.timers.delays).to.deep.equal([]);
        expect(bench.log.visible().filter(l => /lost|refused/.test(l))).to.deep.equal([]);
    });

    it('names a host that does not resolve once, as an error', async () => {
        const client = bench.create({
            url: 'mqtt://no-such-broker.invalid:1883',
            reconnectMinMs: 20,
            reconnectMaxMs: 40,
        });
        await client.start();
        await waitFor(() => bench.timers.delays.length >= 3, 'three attempts');
        await client.stop();
        expect(bench.log.visible()).to.have.length(1);
        expect(bench.log.visible()[0]).to.match(
            /^error: Cannot resolve the broker's host name in mqtt:\/\/no-such-broker\.invalid:1883 \((ENOTFOUND|EAI_AGAIN)\)/,
        );
    });

    it('hides a password given in the URL from the log', async () => {
        const client = bench.create({
            url: `mqtt://user:Url-Secret-9@${HOST}:${CLOSED_PORT}`,
            reconnectMinMs: 20,
            reconnectMaxMs: 20,
        });
        await client.start();
        await waitFor(() => bench.timers.delays.length >= 2, 'two attempts');
        await client.stop();
        expect(bench.log.text()).not.to.include('Url-Secret-9');
        expect(bench.log.text()).to.include(`mqtt://user:***@${HOST}:${CLOSED_PORT}`);
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
