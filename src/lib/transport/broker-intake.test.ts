import { expect } from 'chai';
import { useBrokerBench } from '../../test-support/broker-bench';
import { sleep, waitFor } from '../../test-support/transport-fixtures.test';

describe('transport/broker-intake (what the broker accepts and passes on)', function () {
    this.timeout(15000);
    const bench = useBrokerBench();

    it('acknowledges but drops publishes with a topic longer than maxTopicLength, and counts them', async () => {
        await bench.start({ maxTopicLength: 40 });
        const listener = await bench.client({ clientId: 'listener' });
        await listener.subscribeAsync('#');
        const seen: string[] = [];
        listener.on('message', topic => seen.push(topic));
        const gw = await bench.client({ clientId: 'long-topics' });
        const long = `msh/${'x'.repeat(60)}`;
        await gw.publishAsync(long, 'dropped', { qos: 1 }); // PUBACK still arrives
        await gw.publishAsync(long, 'dropped', { qos: 0 });
        await gw.publishAsync('msh/ok', 'kept', { qos: 1 });
        await waitFor(() => bench.messages.find(m => m.topic === 'msh/ok'), 'the valid message');
        await sleep(50);
        expect(bench.messages.map(m => m.topic)).to.deep.equal(['msh/ok']);
        expect(seen).to.deep.equal(['msh/ok']);
        expect(gw.connected).to.equal(true);
        expect(bench.broker!.stats().oversizedTopics).to.equal(2);
        expect(bench.log.at('warn', /topic of 64 characters \(limit 40\)/)).to.have.length(1);
        // Subscriptions to overlong filters are refused in the SUBACK (0x80); the connection stays.
        let subscribeError: unknown;
        try {
            await gw.subscribeAsync(`${long}/#`);
        } catch (e) {
            subscribeError = e;
        }
        expect((subscribeError as { packet?: { granted?: number[] } }).packet?.granted).to.deep.equal([128]);
        expect(bench.broker!.stats().oversizedTopics).to.equal(3);
        expect(gw.connected).to.equal(true);
    });
});
