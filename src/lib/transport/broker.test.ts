import { expect } from 'chai';
import { once } from 'node:events';
import { connect as netConnect, createServer, type Server } from 'node:net';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { writeToStream } from 'mqtt-packet';
import { BrokerTransport, type BrokerOptions } from './broker';
import { createTransport } from './index';
import type { InboundMessage, TransportLogger, TransportStatus } from './types';

// test/support is plain CommonJS without typings: typed here.
interface CertsSupport {
    createSelfSignedCert(host?: string): { key: string; cert: string };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSelfSignedCert } = require('../../../test/support/certs') as CertsSupport;

const HOST = '127.0.0.1';
let nextPort = 21100;
/** Every test gets fresh ports (and port + 1 for WebSocket), so a slow close never bites the next test. */
function freshPort(): number {
    nextPort += 2;
    return nextPort;
}

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
    at(level: string, pattern: RegExp): string[] {
        return this.lines.filter(l => l.level === level && pattern.test(l.message)).map(l => l.message);
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

function closed(client: MqttClient): Promise<void> {
    return new Promise(resolve => client.once('close', () => resolve()));
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
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

describe('transport/BrokerTransport (embedded aedes, real MQTT.js clients)', function () {
    this.timeout(15000);

    let broker: BrokerTransport | undefined;
    let log: CapturedLog;
    let messages: InboundMessage[];
    let statuses: TransportStatus[];
    const clients: MqttClient[] = [];

    async function startBroker(overrides: Partial<BrokerOptions> = {}): Promise<BrokerTransport> {
        log = new CapturedLog();
        messages = [];
        statuses = [];
        const transport = new BrokerTransport({
            bind: HOST,
            port: freshPort(),
            webSocket: false,
            maxClients: 10,
            maxTopicLength: 100,
            maxPacketSize: 4096,
            logger: log,
            ...overrides,
        });
        transport.onMessage(m => messages.push(m));
        transport.onStatus(s => statuses.push(s));
        await transport.start();
        broker = transport;
        return transport;
    }

    function portOf(transport: BrokerTransport): number {
        return (transport as unknown as { options: BrokerOptions }).options.port;
    }

    async function client(
        options: IClientOptions & { protocol?: 'mqtt' | 'mqtts' | 'ws' | 'wss'; port?: number } = {},
    ): Promise<MqttClient> {
        const { protocol = 'mqtt', port = portOf(broker!), ...rest } = options;
        const c = await connectAsync(`${protocol}://${HOST}:${port}`, {
            reconnectPeriod: 0,
            connectTimeout: 5000,
            ...rest,
        });
        clients.push(c);
        return c;
    }

    async function refusal(
        options: IClientOptions & { protocol?: 'mqtt' | 'mqtts' },
    ): Promise<Error & { code?: unknown }> {
        try {
            await client(options);
        } catch (e) {
            return e as Error & { code?: unknown };
        }
        throw new Error('the connection was accepted but should have been refused');
    }

    afterEach(async () => {
        await Promise.all(clients.splice(0).map(c => c.endAsync(true)));
        await broker?.stop();
        broker = undefined;
    });

    it('passes every client publish to onMessage with topic, payload and client id', async () => {
        await startBroker();
        const gw = await client({ clientId: 'gw-1' });
        await gw.publishAsync('msh/EU_868/2/e/LongFast/!abcd1234', Buffer.from([1, 2, 3, 0xff]), { qos: 1 });
        await gw.publishAsync('msh/EU_868/2/map/', Buffer.from('x'), { qos: 0 });
        await waitFor(() => messages.length === 2, 'two messages');
        expect(messages[0].topic).to.equal('msh/EU_868/2/e/LongFast/!abcd1234');
        expect([...messages[0].payload]).to.deep.equal([1, 2, 3, 0xff]);
        expect(Buffer.isBuffer(messages[0].payload)).to.equal(true);
        expect(messages[0].clientId).to.equal('gw-1');
        expect(messages[0].arrival).to.be.within(Date.now() - 5000, Date.now());
        expect(messages[1].topic).to.equal('msh/EU_868/2/map/');
        expect(messages.some(m => m.topic.startsWith('$SYS'))).to.equal(false);
    });

    it('encodes packet ids without mqtt-packet’s 6 MB number cache, and QoS 1 ids up to 65535 still round-trip', async () => {
        writeToStream.cacheNumbers = true; // as a process that loaded mqtt-packet elsewhere might have left it
        await startBroker();
        expect(writeToStream.cacheNumbers).to.equal(false);
        const a = await client({ clientId: 'gw-a' });
        const b = await client({ clientId: 'gw-b' });
        await b.subscribeAsync('msh/#', { qos: 1 });
        const got: string[] = [];
        b.on('message', (_topic, payload, packet) => got.push(`${payload.toString()}@${packet.qos}`));
        // Ids beyond one byte and at the top of the range: every PUBACK and forwarded PUBLISH carries them.
        for (const messageId of [1, 258, 65535]) {
            await new Promise<void>((resolve, reject) =>
                (a as unknown as { _sendPacket: (p: object, cb: (e?: Error) => void) => void })._sendPacket(
                    { cmd: 'publish', topic: 'msh/id', payload: Buffer.from(`id ${messageId}`), qos: 1, messageId },
                    e => (e ? reject(e) : resolve()),
                ),
            );
        }
        await a.publishAsync('msh/id', 'acked', { qos: 1 }); // resolves only on its PUBACK
        await waitFor(() => got.length === 4, 'four forwarded messages');
        expect(got).to.deep.equal(['id 1@1', 'id 258@1', 'id 65535@1', 'acked@1']);
    });

    it('is a real broker: two clients receive each other’s messages', async () => {
        await startBroker();
        const a = await client({ clientId: 'gw-a' });
        const b = await client({ clientId: 'gw-b' });
        await a.subscribeAsync('msh/#', { qos: 1 });
        await b.subscribeAsync('msh/#', { qos: 1 });
        const atA: string[] = [];
        const atB: string[] = [];
        a.on('message', (topic, payload) => atA.push(`${topic}=${payload.toString()}`));
        b.on('message', (topic, payload) => atB.push(`${topic}=${payload.toString()}`));
        await a.publishAsync('msh/from-a', 'hello from a', { qos: 1 });
        await b.publishAsync('msh/from-b', 'hello from b', { qos: 1 });
        await waitFor(
            () => atA.includes('msh/from-b=hello from b') && atB.includes('msh/from-a=hello from a'),
            'cross delivery',
        );
        expect(messages.map(m => `${m.clientId}:${m.topic}`)).to.have.members(['gw-a:msh/from-a', 'gw-b:msh/from-b']);
    });

    it('delivers the adapter’s publish to subscribed clients and does not report it back', async () => {
        await startBroker();
        const gw = await client({ clientId: 'gw-sub' });
        await gw.subscribeAsync('msh/EU_868/2/e/#', { qos: 1 });
        const received = nextMessage(gw);
        await broker!.publish('msh/EU_868/2/e/LongFast/!00000042', new Uint8Array([9, 8, 7]), 1);
        const { topic, payload } = await received;
        expect(topic).to.equal('msh/EU_868/2/e/LongFast/!00000042');
        expect([...payload]).to.deep.equal([9, 8, 7]);
        await sleep(50);
        expect(messages).to.have.length(0);
    });

    it('reports status changes: connected with a client, the sorted client list, false when all left', async () => {
        await startBroker();
        expect(broker!.status()).to.deep.equal({ connected: false, clients: [] });
        const z = await client({ clientId: 'zeta' });
        await waitFor(() => statuses.length === 1, 'first status');
        expect(statuses[0]).to.deep.equal({ connected: true, clients: ['zeta'] });
        const a = await client({ clientId: 'alpha' });
        await waitFor(() => statuses.length === 2, 'second status');
        expect(statuses[1]).to.deep.equal({ connected: true, clients: ['alpha', 'zeta'] });
        expect(broker!.status()).to.deep.equal({ connected: true, clients: ['alpha', 'zeta'] });
        await z.endAsync();
        await waitFor(() => statuses.length === 3, 'third status');
        expect(statuses[2]).to.deep.equal({ connected: true, clients: ['alpha'] });
        a.stream.destroy(); // a dropped connection, no DISCONNECT
        await waitFor(() => statuses.length === 4, 'fourth status');
        expect(statuses[3]).to.deep.equal({ connected: false, clients: [] });
    });

    describe('authentication', () => {
        it('accepts the right credentials and refuses wrong or missing ones with CONNACK 4', async () => {
            await startBroker({ user: 'gw', pass: 's3cret-Pass' });
            const ok = await client({ clientId: 'good', username: 'gw', password: 's3cret-Pass' });
            expect(ok.connected).to.equal(true);
            const wrongPass = await refusal({ clientId: 'bad-pass', username: 'gw', password: 'WRONG-guess-123' });
            expect(wrongPass.message).to.match(/Bad username or password/i);
            expect(wrongPass.code).to.equal(4);
            const wrongUser = await refusal({ clientId: 'bad-user', username: 'someone', password: 's3cret-Pass' });
            expect(wrongUser.code).to.equal(4);
            const none = await refusal({ clientId: 'anonymous' });
            expect(none.code).to.equal(4);
            expect(broker!.stats().refusedAuth).to.equal(3);
            const text = log.text();
            expect(text).not.to.include('s3cret-Pass');
            expect(text).not.to.include('WRONG-guess-123');
            // One warn line for the address (with the first client id), the repeats only at debug.
            const warned = log.at('warn', /refused: bad user name or password/);
            expect(warned).to.have.length(1);
            expect(warned[0]).to.include('"bad-pass"').and.include('127.0.0.1');
            expect(log.at('debug', /refused: bad user name or password/)).to.have.length(2);
        });

        it('does not flood the log when a client retries with a wrong password', async () => {
            await startBroker({ user: 'gw', pass: 'right' });
            for (let i = 0; i < 20; i++) {
                await refusal({ clientId: `retry-${i}`, username: 'gw', password: 'wrong' });
            }
            expect(broker!.stats().refusedAuth).to.equal(20);
            expect(log.lines.filter(l => l.level !== 'debug' && /refused/.test(l.message))).to.have.length(1);
        });

        it('requires the password (with an empty user name) when only a password is configured', async () => {
            await startBroker({ pass: 'only-pass' });
            // MQTT 3.1.1 sends a password only together with a user name: here the empty one.
            await client({ clientId: 'p-ok', username: '', password: 'only-pass' });
            expect((await refusal({ clientId: 'p-bad', username: '', password: 'nope' })).code).to.equal(4);
            expect((await refusal({ clientId: 'p-user', username: 'x', password: 'only-pass' })).code).to.equal(4);
        });
    });

    describe('TLS and WebSocket', () => {
        const pem = createSelfSignedCert(HOST);

        it('accepts mqtts:// clients that trust the certificate', async () => {
            await startBroker({ tls: { key: pem.key, cert: pem.cert }, user: 'gw', pass: 'tls-pass' });
            const c = await client({
                protocol: 'mqtts',
                ca: pem.cert,
                rejectUnauthorized: true,
                clientId: 'tls-gw',
                username: 'gw',
                password: 'tls-pass',
            });
            await c.publishAsync('msh/tls', 'over tls', { qos: 1 });
            await waitFor(() => messages.find(m => m.topic === 'msh/tls'), 'message over TLS');
            const refused = await refusal({
                protocol: 'mqtts',
                ca: pem.cert,
                clientId: 'tls-bad',
                username: 'gw',
                password: 'nope',
            });
            expect(refused.code).to.equal(4);
            expect(log.text()).not.to.include('tls-pass');
        });

        it('does not speak plain MQTT on the TLS port', async () => {
            await startBroker({ tls: { key: pem.key, cert: pem.cert } });
            const plain = connect(`mqtt://${HOST}:${portOf(broker!)}`, {
                reconnectPeriod: 0,
                connectTimeout: 3000,
                clientId: 'plain-on-tls',
            });
            clients.push(plain);
            plain.on('error', () => undefined);
            let connected = false;
            plain.on('connect', () => (connected = true));
            await closed(plain);
            expect(connected).to.equal(false);
            expect(broker!.status().connected).to.equal(false);
        });

        it('rejects certificates that cannot be used with a clear error', async () => {
            let error: unknown;
            try {
                await startBroker({ tls: { key: 'not a key', cert: 'not a cert' } });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(Error);
            expect((error as Error).message).to.match(/TLS certificate or key cannot be used/);
        });

        it('serves MQTT over WebSocket on port + 1', async () => {
            await startBroker({ webSocket: true });
            const port = portOf(broker!);
            const tcp = await client({ clientId: 'tcp-gw' });
            await tcp.subscribeAsync('msh/#');
            const received = nextMessage(tcp);
            const ws = await client({ protocol: 'ws', port: port + 1, clientId: 'ws-gw' });
            await ws.publishAsync('msh/ws', 'via websocket', { qos: 1 });
            const { topic, payload } = await received;
            expect(`${topic}=${payload.toString()}`).to.equal('msh/ws=via websocket');
            await waitFor(
                () => messages.find(m => m.topic === 'msh/ws' && m.clientId === 'ws-gw'),
                'WebSocket message',
            );
            await waitFor(() => broker!.status().clients.length === 2, 'two clients');
            expect(broker!.status().clients).to.deep.equal(['tcp-gw', 'ws-gw']);
        });

        it('serves MQTT over secure WebSocket on port + 1 when TLS is on', async () => {
            await startBroker({ webSocket: true, tls: { key: pem.key, cert: pem.cert } });
            const wss = await client({ protocol: 'wss', port: portOf(broker!) + 1, ca: pem.cert, clientId: 'wss-gw' });
            await wss.publishAsync('msh/wss', 'secure', { qos: 1 });
            await waitFor(() => messages.find(m => m.topic === 'msh/wss'), 'secure WebSocket message');
        });
    });

    describe('limits', () => {
        it('acknowledges but drops publishes with a topic longer than maxTopicLength, and counts them', async () => {
            await startBroker({ maxTopicLength: 40 });
            const listener = await client({ clientId: 'listener' });
            await listener.subscribeAsync('#');
            const seen: string[] = [];
            listener.on('message', topic => seen.push(topic));
            const gw = await client({ clientId: 'long-topics' });
            const long = `msh/${'x'.repeat(60)}`;
            await gw.publishAsync(long, 'dropped', { qos: 1 }); // PUBACK still arrives
            await gw.publishAsync(long, 'dropped', { qos: 0 });
            await gw.publishAsync('msh/ok', 'kept', { qos: 1 });
            await waitFor(() => messages.find(m => m.topic === 'msh/ok'), 'the valid message');
            await sleep(50);
            expect(messages.map(m => m.topic)).to.deep.equal(['msh/ok']);
            expect(seen).to.deep.equal(['msh/ok']);
            expect(gw.connected).to.equal(true);
            expect(broker!.stats().oversizedTopics).to.equal(2);
            expect(log.at('warn', /topic of 64 characters \(limit 40\)/)).to.have.length(1);
            // Subscriptions to overlong filters are refused in the SUBACK (0x80); the connection stays.
            let subscribeError: unknown;
            try {
                await gw.subscribeAsync(`${long}/#`);
            } catch (e) {
                subscribeError = e;
            }
            expect((subscribeError as { packet?: { granted?: number[] } }).packet?.granted).to.deep.equal([128]);
            expect(broker!.stats().oversizedTopics).to.equal(3);
            expect(gw.connected).to.equal(true);
        });

        it('closes connections that send a packet larger than maxPacketSize', async () => {
            await startBroker({ maxPacketSize: 1024 });
            const gw = await client({ clientId: 'big-sender' });
            await gw.publishAsync('msh/small', Buffer.alloc(500), { qos: 1 });
            const gone = closed(gw);
            gw.publish('msh/big', Buffer.alloc(5000), { qos: 0 });
            await gone;
            await sleep(20);
            expect(messages.map(m => m.topic)).to.deep.equal(['msh/small']);
            expect(broker!.stats().oversizedPackets).to.equal(1);
            expect(log.at('warn', /"big-sender" .* packet of 50\d\d bytes \(limit 1024\)/)).to.have.length(1);
        });

        it('refuses clients beyond maxClients with CONNACK 3, lets a known id reconnect, logs the limit once', async () => {
            await startBroker({ maxClients: 2 });
            await client({ clientId: 'one' });
            const two = await client({ clientId: 'two' });
            const third = await refusal({ clientId: 'three' });
            expect(third.code).to.equal(3);
            expect(third.message).to.match(/Server unavailable/i);
            expect((await refusal({ clientId: 'four' })).code).to.equal(3);
            expect(broker!.stats().refusedClients).to.equal(2);
            expect(log.at('warn', /client limit reached \(2 connected\)/)).to.have.length(1);
            // The same id again replaces its old session instead of counting twice.
            const twoAgain = await client({ clientId: 'two' });
            expect(twoAgain.connected).to.equal(true);
            await waitFor(() => !two.connected, 'the old session to be taken over');
            await twoAgain.endAsync();
            await waitFor(() => broker!.status().clients.length === 1, 'one client left');
            const three = await client({ clientId: 'three' });
            expect(three.connected).to.equal(true);
            await waitFor(() => broker!.status().clients.length === 2, 'two clients');
            expect(broker!.status().clients).to.deep.equal(['one', 'three']);
        });
    });

    describe('invalid UTF-8 (MQTT-1.5.3-1/-2: close the connection)', () => {
        const str = (bytes: number[] | string): Buffer => {
            const b = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
            return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
        };
        const packet = (first: number, ...parts: Buffer[]): Buffer => {
            const body = Buffer.concat(parts);
            return Buffer.concat([Buffer.from([first, body.length]), body]); // bodies here stay below 128 bytes
        };
        const connectPacket = (clientId: Buffer, user?: Buffer): Buffer =>
            packet(0x10, str('MQTT'), Buffer.from([4, user ? 0x82 : 0x02, 0, 60]), clientId, ...(user ? [user] : []));
        const CONNACK_OK = Buffer.from([0x20, 2, 0, 0]);

        /** Raw bytes over a plain socket: what came back, and whether the broker closed the connection. */
        async function rawExchange(...packets: Buffer[]): Promise<{ reply: Buffer; closed: boolean }> {
            const socket = netConnect({ host: HOST, port: portOf(broker!) });
            const chunks: Buffer[] = [];
            socket.on('data', c => chunks.push(c));
            let closedByBroker = false;
            socket.on('close', () => (closedByBroker = true));
            await once(socket, 'connect');
            for (const p of packets) {
                socket.write(p);
                await sleep(30);
            }
            await sleep(150);
            socket.destroy();
            return { reply: Buffer.concat(chunks), closed: closedByBroker };
        }

        it('closes connections whose client id, user name, topic or topic filter is not UTF-8, counts them, logs once', async () => {
            await startBroker();
            const ok = str('raw-ok');
            const cases: { what: string; packets: Buffer[] }[] = [
                { what: 'client id 0xC3 0x28', packets: [connectPacket(str([0x63, 0xc3, 0x28]))] },
                { what: 'user name 0xFF', packets: [connectPacket(str('u1'), str([0xff, 0x61]))] },
                { what: 'client id with U+0000', packets: [connectPacket(str([0x61, 0x00, 0x62]))] },
                { what: 'topic 0xFE', packets: [connectPacket(ok), packet(0x30, str([0x6d, 0xfe]), Buffer.from('x'))] },
                {
                    what: 'topic with U+0000',
                    packets: [connectPacket(str('raw-2')), packet(0x30, str([0x6d, 0x00]), Buffer.from('x'))],
                },
                // ED A0 80 is the UTF-8 form of a surrogate (U+D800): ill-formed.
                {
                    what: 'filter with a surrogate',
                    packets: [
                        connectPacket(str('raw-3')),
                        packet(0x82, Buffer.from([0, 1]), str([0x61, 0xed, 0xa0, 0x80]), Buffer.from([0])),
                    ],
                },
                {
                    what: 'unsubscribe filter 0xC0 0x80 (overlong)',
                    packets: [connectPacket(str('raw-4')), packet(0xa2, Buffer.from([0, 2]), str([0xc0, 0x80]))],
                },
            ];
            for (const c of cases) {
                const { closed } = await rawExchange(...c.packets);
                expect(closed, c.what).to.equal(true);
            }
            expect(broker!.stats().invalidUtf8).to.equal(cases.length);
            expect(messages, 'no bad topic reached the adapter').to.deep.equal([]);
            expect(log.at('warn', /not valid UTF-8/)).to.have.length(1);
            expect(log.at('debug', /not valid UTF-8/)).to.have.length(cases.length - 1);

            // Valid multi-byte text (and U+FFFD itself) passes, and the connection stays open.
            const topic = 'msh/ü/🔥/\ufffd';
            const good = await rawExchange(
                connectPacket(str('raw-good-ü')),
                packet(0x30, str(topic), Buffer.from('payload')),
                Buffer.from([0xc0, 0]), // PINGREQ
            );
            expect(good.closed).to.equal(false);
            expect(good.reply.subarray(0, 4)).to.deep.equal(CONNACK_OK);
            expect(good.reply.subarray(4)).to.deep.equal(Buffer.from([0xd0, 0])); // PINGRESP
            expect(messages.map(m => m.topic)).to.deep.equal([topic]);
            expect(broker!.stats().invalidUtf8).to.equal(cases.length);
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
            const transport = await startBroker({ webSocket: true });
            const port = portOf(transport);
            const gw = await client({ clientId: 'until-stop' });
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
                logger: log,
            });
            await again.start();
            const c = await client({ clientId: 'after-restart', port });
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

        it('keeps running when a message handler throws', async () => {
            const transport = await startBroker();
            transport.onMessage(() => {
                throw new Error('handler bug');
            });
            const gw = await client({ clientId: 'gw-throw' });
            await gw.publishAsync('msh/a', 'a', { qos: 1 });
            await gw.publishAsync('msh/b', 'b', { qos: 1 });
            await waitFor(() => messages.length === 2, 'both messages');
            expect(gw.connected).to.equal(true);
            expect(log.at('error', /handler bug/)).to.have.length(1); // the repeat only at debug
            expect(log.at('debug', /handler bug/)).to.have.length(1);
        });
    });
});
