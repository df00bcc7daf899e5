import { expect } from 'chai';
import { writeToStream } from 'mqtt-packet';
import { BrokerTransport } from './broker';
import { createTransport } from './index';
import { useBrokerBench } from '../../test-support/broker-bench';
import { CapturedLog, HOST, nextMessage, sleep, waitFor } from '../../test-support/transport-fixtures.test';

describe('transport/BrokerTransport (embedded aedes, real MQTT.js clients)', function () {
    this.timeout(15000);
    const bench = useBrokerBench();

    it('passes every client publish to onMessage with topic, payload and client id', async () => {
        await bench.start();
        const gw = await bench.client({ clientId: 'gw-1' });
        await gw.publishAsync('msh/EU_868/2/e/LongFast/!abcd1234', Buffer.from([1, 2, 3, 0xff]), { qos: 1 });
        await gw.publishAsync('msh/EU_868/2/map/', Buffer.from('x'), { qos: 0 });
        await waitFor(() => bench.messages.length === 2, 'two messages');
        expect(bench.messages[0].topic).to.equal('msh/EU_868/2/e/LongFast/!abcd1234');
        expect([...bench.messages[0].payload]).to.deep.equal([1, 2, 3, 0xff]);
        expect(Buffer.isBuffer(bench.messages[0].payload)).to.equal(true);
        expect(bench.messages[0].clientId).to.equal('gw-1');
        expect(bench.messages[0].arrival).to.be.within(Date.now() - 5000, Date.now());
        expect(bench.messages[1].topic).to.equal('msh/EU_868/2/map/');
        expect(bench.messages.some(m => m.topic.startsWith('$SYS'))).to.equal(false);
    });

    it('encodes packet ids without mqtt-packet’s 6 MB number cache, and QoS 1 ids up to 65535 still round-trip', async () => {
        writeToStream.cacheNumbers = true; // as a process that loaded mqtt-packet elsewhere might have left it
        await bench.start();
        expect(writeToStream.cacheNumbers).to.equal(false);
        const a = await bench.client({ clientId: 'gw-a' });
        const b = await bench.client({ clientId: 'gw-b' });
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
        await bench.start();
        const a = await bench.client({ clientId: 'gw-a' });
        const b = await bench.client({ clientId: 'gw-b' });
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
        expect(bench.messages.map(m => `${m.clientId}:${m.topic}`)).to.have.members([
            'gw-a:msh/from-a',
            'gw-b:msh/from-b',
        ]);
    });

    it('delivers the adapter’s publish to subscribed clients and does not report it back', async () => {
        await bench.start();
        const gw = await bench.client({ clientId: 'gw-sub' });
        await gw.subscribeAsync('msh/EU_868/2/e/#', { qos: 1 });
        const received = nextMessage(gw);
        await bench.broker!.publish('msh/EU_868/2/e/LongFast/!00000042', new Uint8Array([9, 8, 7]), 1);
        const { topic, payload } = await received;
        expect(topic).to.equal('msh/EU_868/2/e/LongFast/!00000042');
        expect([...payload]).to.deep.equal([9, 8, 7]);
        await sleep(50);
        expect(bench.messages).to.have.length(0);
    });

    it('reports status changes: connected with a client, the sorted client list, false when all left', async () => {
        await bench.start();
        expect(bench.broker!.status()).to.deep.equal({ connected: false, clients: [] });
        const z = await bench.client({ clientId: 'zeta' });
        await waitFor(() => bench.statuses.length === 1, 'first status');
        expect(bench.statuses[0]).to.deep.equal({ connected: true, clients: ['zeta'] });
        const a = await bench.client({ clientId: 'alpha' });
        await waitFor(() => bench.statuses.length === 2, 'second status');
        expect(bench.statuses[1]).to.deep.equal({ connected: true, clients: ['alpha', 'zeta'] });
        expect(bench.broker!.status()).to.deep.equal({ connected: true, clients: ['alpha', 'zeta'] });
        await z.endAsync();
        await waitFor(() => bench.statuses.length === 3, 'third status');
        expect(bench.statuses[2]).to.deep.equal({ connected: true, clients: ['alpha'] });
        a.stream.destroy(); // a dropped connection, no DISCONNECT
        await waitFor(() => bench.statuses.length === 4, 'fourth status');
        expect(bench.statuses[3]).to.deep.equal({ connected: false, clients: [] });
    });

    it('keeps running when a message handler throws', async () => {
        const transport = await bench.start();
        transport.onMessage(() => {
            throw new Error('handler bug');
        });
        const gw = await bench.client({ clientId: 'gw-throw' });
        await gw.publishAsync('msh/a', 'a', { qos: 1 });
        await gw.publishAsync('msh/b', 'b', { qos: 1 });
        await waitFor(() => bench.messages.length === 2, 'both messages');
        expect(gw.connected).to.equal(true);
        expect(bench.log.at('error', /handler bug/)).to.have.length(1); // the repeat only at debug
        expect(bench.log.at('debug', /handler bug/)).to.have.length(1);
    });

    it('is what createTransport builds for mode "broker"', () => {
        const t = createTransport({
            mode: 'broker',
            bind: HOST,
            port: 21099,
            webSocket: false,
            maxClients: 5,
            maxTopicLength: 100,
            maxPacketSize: 4096,
            logger: new CapturedLog(),
        });
        expect(t).to.be.instanceOf(BrokerTransport);
        expect(t.mode).to.equal('broker');
        expect(t.status()).to.deep.equal({ connected: false, clients: [] });
    });
});
