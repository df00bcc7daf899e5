import { expect } from 'chai';
import { once } from 'node:events';
import { connect as netConnect, createServer, type Server } from 'node:net';
import { connect } from 'mqtt';
import { BrokerTransport } from './broker';
import { createTransport } from './index';
import { freshPort, portOf, useBrokerBench } from '../../test-support/broker-bench';
import {
    CapturedLog,
    closed,
    createSelfSignedCert,
    HOST,
    nextMessage,
    waitFor,
} from '../../test-support/transport-fixtures.test';

describe('transport/broker-listeners (TCP, TLS, WebSocket; ports and stop)', function () {
    this.timeout(15000);
    const bench = useBrokerBench();

    describe('TLS and WebSocket', () => {
        const pem = createSelfSignedCert(HOST);

        it('accepts mqtts:// clients that trust the certificate', async () => {
            await bench.start({ tls: { key: pem.key, cert: pem.cert }, user: 'gw', pass: 'tls-pass' });
            const c = await bench.client({
                protocol: 'mqtts',
                ca: pem.cert,
                rejectUnauthorized: true,
                clientId: 'tls-gw',
                username: 'gw',
                password: 'tls-pass',
            });
            await c.publishAsync('msh/tls', 'over tls', { qos: 1 });
            await waitFor(() => bench.messages.find(m => m.topic === 'msh/tls'), 'message over TLS');
            const refused = await bench.refusal({
                protocol: 'mqtts',
                ca: pem.cert,
                clientId: 'tls-bad',
                username: 'gw',
                password: 'nope',
            });
            expect(refused.code).to.equal(4);
            expect(bench.log.text()).not.to.include('tls-pass');
        });

        it('does not speak plain MQTT on the TLS port', async () => {
            await bench.start({ tls: { key: pem.key, cert: pem.cert } });
            const plain = connect(`mqtt://${HOST}:${bench.port}`, {
                reconnectPeriod: 0,
                connectTimeout: 3000,
                clientId: 'plain-on-tls',
            });
            bench.track(plain);
            plain.on('error', () => undefined);
            let connected = false;
            plain.on('connect', () => (connected = true));
            await closed(plain);
            expect(connected).to.equal(false);
            expect(bench.broker!.status().connected).to.equal(false);
        });

        it('rejects certificates that cannot be used with a clear error', async () => {
            let error: unknown;
            try {
                await bench.start({ tls: { key: 'not a key', cert: 'not a cert' } });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(Error);
            expect((error as Error).message).to.match(/TLS certificate or key cannot be used/);
        });

        it('serves MQTT over WebSocket on port + 1', async () => {
            await bench.start({ webSocket: true });
            const port = bench.port;
            const tcp = await bench.client({ clientId: 'tcp-gw' });
            await tcp.subscribeAsync('msh/#');
            const received = nextMessage(tcp);
            const ws = await bench.client({ protocol: 'ws', port: port + 1, clientId: 'ws-gw' });
            await ws.publishAsync('msh/ws', 'via websocket', { qos: 1 });
            const { topic, payload } = await received;
            expect(`${topic}=${payload.toString()}`).to.equal('msh/ws=via websocket');
            await waitFor(
                () => bench.messages.find(m => m.topic === 'msh/ws' && m.clientId === 'ws-gw'),
                'WebSocket message',
            );
            await waitFor(() => bench.broker!.status().clients.length === 2, 'two clients');
            expect(bench.broker!.status().clients).to.deep.equal(['tcp-gw', 'ws-gw']);
        });

        it('serves MQTT over secure WebSocket on port + 1 when TLS is on', async () => {
            await bench.start({ webSocket: true, tls: { key: pem.key, cert: pem.cert } });
            const wss = await bench.client({ protocol: 'wss', port: bench.port + 1, ca: pem.cert, clientId: 'wss-gw' });
            await wss.publishAsync('msh/wss', 'secure', { qos: 1 });
            await waitFor(() => bench.messages.find(m => m.topic === 'msh/wss'), 'secure WebSocket message');
        });
    });

    describe('lifecycle', () => {
        let blocker: Server | undefined;
        afterEach(async () => {
            if (blocker) {
                await new Promise(resolve => blocker!.close(resolve));
                blocker = undefined;
            }
        });

        async function occupy(port: number): Promise<void> {
            blocker = createServer();
            await new Promise<void>(resolve => blocker!.listen(port, HOST, resolve));
        }

        it('rejects start() with a message naming the port when it is in use (EADDRINUSE)', async () => {
            const port = freshPort();
            await occupy(port);
            const transport = createTransport({
                mode: 'broker',
                bind: HOST,
                port,
                webSocket: false,
                maxClients: 5,
                maxTopicLength: 100,
                maxPacketSize: 4096,
                logger: new CapturedLog(),
            });
            let error: unknown;
            try {
                await transport.start();
            } catch (e) {
                error = e;
            }
            expect((error as Error).message).to.match(new RegExp(`^Port ${port} on ${HOST} is already in use`));
            await transport.stop();
        });

        it('names port + 1 when the WebSocket port is taken, and releases the main port again', async () => {
            const port = freshPort();
            await occupy(port + 1);
            const options = {
                bind: HOST,
                port,
                webSocket: true,
                maxClients: 5,
                maxTopicLength: 100,
                maxPacketSize: 4096,
                logger: new CapturedLog(),
            };
            const first = new BrokerTransport(options);
            let error: unknown;
            try {
                await first.start();
            } catch (e) {
                error = e;
            }
            expect((error as Error).message).to.match(
                new RegExp(`^Port ${port + 1} on ${HOST} is already in use \\(MQTT over WebSocket`),
            );
            const second = new BrokerTransport({ ...options, webSocket: false });
            await second.start(); // the failed start closed the main port
            await second.stop();
        });

        it('stop() closes clients and half-open connections, frees the port, and is idempotent', async () => {
            const transport = await bench.start({ webSocket: true });
            const port = portOf(transport);
            const gw = await bench.client({ clientId: 'until-stop' });
            const gone = closed(gw);
            const silent = netConnect(port, HOST); // never sends CONNECT
            await once(silent, 'connect');
            const silentClosed = once(silent, 'close');
            await Promise.all([transport.stop(), transport.stop()]);
            await gone;
            await silentClosed;
            expect(transport.status()).to.deep.equal({ connected: false, clients: [] });
            await transport.stop();
            try {
                await transport.publish('msh/x', new Uint8Array(1));
                expect.fail('publish after stop must reject');
            } catch (e) {
                expect((e as Error).message).to.match(/not running/);
            }
            // Same ports again, at once.
            const again = new BrokerTransport({
                bind: HOST,
                port,
                webSocket: true,
                maxClients: 5,
                maxTopicLength: 100,
                maxPacketSize: 4096,
                logger: bench.log,
            });
            await again.start();
            const c = await bench.client({ clientId: 'after-restart', port });
            expect(c.connected).to.equal(true);
            await c.endAsync();
            await again.stop();
        });

        it('stop() during start() wins: start rejects and nothing keeps listening', async () => {
            const port = freshPort();
            const options = {
                bind: HOST,
                port,
                webSocket: true,
                maxClients: 5,
                maxTopicLength: 100,
                maxPacketSize: 4096,
                logger: new CapturedLog(),
            };
            const transport = new BrokerTransport(options);
            const starting = transport.start();
            await transport.stop();
            let error: unknown;
            try {
                await starting;
            } catch (e) {
                error = e;
            }
            expect((error as Error).message).to.match(/stopped while starting/);
            const again = new BrokerTransport(options);
            await again.start(); // both ports are free
            await again.stop();
        });
    });
});
