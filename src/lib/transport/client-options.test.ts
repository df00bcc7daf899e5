import { expect } from 'chai';
import { BrokerTransport } from './broker';
import { brokerAddress, displayUrl, mqttClientOptions, urlProblem } from './client-options';
import { ClientBench } from '../../test-support/client-bench';
import {
    CapturedLog,
    CountingTimers,
    createSelfSignedCert,
    HOST,
    waitFor,
} from '../../test-support/transport-fixtures.test';

describe('transport/client-options', () => {
    const bench = new ClientBench();
    afterEach(() => bench.cleanup());

    it('accepts the MQTT schemes and names what is wrong with any other URL', () => {
        for (const url of [
            'mqtt://h:1883',
            'mqtts://h',
            'tcp://h',
            'ssl://h',
            'tls://h',
            'ws://h/mqtt',
            'wss://h:8884',
        ]) {
            expect(urlProblem(url, url), url).to.equal(undefined);
        }
        expect(urlProblem('not a url', 'not a url')).to.equal(
            '"not a url" is not a valid broker URL (e.g. mqtt://192.168.1.10:1883)',
        );
        expect(urlProblem('http://127.0.0.1:1883', 'http://127.0.0.1:1883')).to.equal(
            'Unsupported scheme "http:" in "http://127.0.0.1:1883": use mqtt://, mqtts://, ws:// or wss://',
        );
    });

    it('rejects an invalid or unsupported URL at start', async () => {
        for (const url of ['not a url', 'http://127.0.0.1:1883']) {
            const client = bench.create({ url });
            let error: unknown;
            try {
                await client.start();
            } catch (e) {
                error = e;
            }
            expect((error as Error).message, url).to.match(/not a valid broker URL|Unsupported scheme/);
        }
    });

    it('hides the password of a URL in its log form', () => {
        expect(displayUrl('mqtt://user:Url-Secret-9@h:1883')).to.equal('mqtt://user:***@h:1883');
        expect(displayUrl('mqtt://h:1883/')).to.equal('mqtt://h:1883');
        expect(displayUrl('not a url')).to.equal('not a url');
    });

    it('finds host and port to probe, with the default port of each scheme', () => {
        expect(brokerAddress('mqtt://10.0.0.2:1884')).to.deep.equal({ host: '10.0.0.2', port: 1884 });
        expect(brokerAddress('mqtt://broker.local')).to.deep.equal({ host: 'broker.local', port: 1883 });
        expect(brokerAddress('mqtts://h')).to.deep.equal({ host: 'h', port: 8883 });
        expect(brokerAddress('ws://h/mqtt')).to.deep.equal({ host: 'h', port: 80 });
        expect(brokerAddress('wss://h')).to.deep.equal({ host: 'h', port: 443 });
        expect(brokerAddress('mqtt://[::1]:1883')).to.deep.equal({ host: '::1', port: 1883 });
        expect(brokerAddress('not a url')).to.equal(undefined);
    });

    it('builds MQTT.js options: clean 3.1.1 session, no MQTT.js reconnect, no queue, TLS settings as given', () => {
        const base = {
            url: 'mqtts://h',
            clientId: 'id-1',
            qos: 1 as const,
            rejectUnauthorized: false,
            subscriptions: [],
            logger: new CapturedLog(),
            timers: new CountingTimers(),
        };
        expect(
            mqttClientOptions({ ...base, user: 'u', pass: 'p', ca: 'PEM', keepaliveSeconds: 30 }, 1234),
        ).to.deep.equal({
            clientId: 'id-1',
            username: 'u',
            password: 'p',
            clean: true,
            reconnectPeriod: 0,
            connectTimeout: 1234,
            keepalive: 30,
            protocolVersion: 4,
            rejectUnauthorized: false,
            ca: 'PEM',
            resubscribe: false,
            queueQoSZero: false,
        });
        const anonymous = mqttClientOptions({ ...base, user: '', pass: '', ca: '' }, 30000);
        expect([anonymous.username, anonymous.password, anonymous.ca, anonymous.keepalive]).to.deep.equal([
            undefined,
            undefined,
            undefined,
            60,
        ]);
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
            await bench.cleanup();
            await broker?.stop();
        });

        it('refuses an untrusted certificate with one TLS error line', async () => {
            const client = bench.create({
                url: `mqtts://${HOST}:${TLS_PORT}`,
                user: undefined,
                pass: undefined,
                reconnectMinMs: 20,
                reconnectMaxMs: 40,
            });
            await client.start();
            await waitFor(() => bench.timers.delays.length >= 3, 'three attempts');
            expect(client.status().connected).to.equal(false);
            expect(bench.log.visible()).to.have.length(1);
            expect(bench.log.visible()[0]).to.match(
                /^error: TLS connection to mqtts:\/\/127\.0\.0\.1:21220 failed: .*self[- ]signed.*set its CA certificate/i,
            );
        });

        it('connects with the CA certificate given, and with verification off', async () => {
            const withCa = bench.create({
                url: `mqtts://${HOST}:${TLS_PORT}`,
                user: undefined,
                pass: undefined,
                ca: pem.cert,
            });
            await withCa.start();
            await waitFor(() => withCa.status().connected, 'the TLS connection with CA');
            await withCa.stop();
            const unverified = bench.create({
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
                return bench.messages.find(m => m.topic === 'msh/EU_868/2/map/');
            }, 'the map report');
        });
    });
});
