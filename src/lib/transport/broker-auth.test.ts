import { expect } from 'chai';
import { useBrokerBench } from '../../test-support/broker-bench';
import { waitFor } from '../../test-support/transport-fixtures.test';

describe('transport/broker-auth (credentials and the client limit, real MQTT.js clients)', function () {
    this.timeout(15000);
    const bench = useBrokerBench();

    it('accepts the right credentials and refuses wrong or missing ones with CONNACK 4', async () => {
        await bench.start({ user: 'gw', pass: 's3cret-Pass' });
        const ok = await bench.client({ clientId: 'good', username: 'gw', password: 's3cret-Pass' });
        expect(ok.connected).to.equal(true);
        const wrongPass = await bench.refusal({ clientId: 'bad-pass', username: 'gw', password: 'WRONG-guess-123' });
        expect(wrongPass.message).to.match(/Bad username or password/i);
        expect(wrongPass.code).to.equal(4);
        const wrongUser = await bench.refusal({ clientId: 'bad-user', username: 'someone', password: 's3cret-Pass' });
        expect(wrongUser.code).to.equal(4);
        const none = await bench.refusal({ clientId: 'anonymous' });
        expect(none.code).to.equal(4);
        expect(bench.broker!.stats().refusedAuth).to.equal(3);
        const text = bench.log.text();
        expect(text).not.to.include('s3cret-Pass');
        expect(text).not.to.include('WRONG-guess-123');
        // One warn line for the address (with the first client id), the repeats only at debug.
        const warned = bench.log.at('warn', /refused: bad user name or password/);
        expect(warned).to.have.length(1);
        expect(warned[0]).to.include('"bad-pass"').and.include('127.0.0.1');
        expect(bench.log.at('debug', /refused: bad user name or password/)).to.have.length(2);
    });

    it('does not flood the log when a client retries with a wrong password', async () => {
        await bench.start({ user: 'gw', pass: 'right' });
        for (let i = 0; i < 20; i++) {
            await bench.refusal({ clientId: `retry-${i}`, username: 'gw', password: 'wrong' });
        }
        expect(bench.broker!.stats().refusedAuth).to.equal(20);
        expect(bench.log.lines.filter(l => l.level !== 'debug' && /refused/.test(l.message))).to.have.length(1);
    });

    it('requires the password (with an empty user name) when only a password is configured', async () => {
        await bench.start({ pass: 'only-pass' });
        // MQTT 3.1.1 sends a password only together with a user name: here the empty one.
        await bench.client({ clientId: 'p-ok', username: '', password: 'only-pass' });
        expect((await bench.refusal({ clientId: 'p-bad', username: '', password: 'nope' })).code).to.equal(4);
        expect((await bench.refusal({ clientId: 'p-user', username: 'x', password: 'only-pass' })).code).to.equal(4);
    });

    it('refuses clients beyond maxClients with CONNACK 3, lets a known id reconnect, logs the limit once', async () => {
        await bench.start({ maxClients: 2 });
        await bench.client({ clientId: 'one' });
        const two = await bench.client({ clientId: 'two' });
        const third = await bench.refusal({ clientId: 'three' });
        expect(third.code).to.equal(3);
        expect(third.message).to.match(/Server unavailable/i);
        expect((await bench.refusal({ clientId: 'four' })).code).to.equal(3);
        expect(bench.broker!.stats().refusedClients).to.equal(2);
        expect(bench.log.at('warn', /client limit reached \(2 connected\)/)).to.have.length(1);
        // The same id again replaces its old session instead of counting twice.
        const twoAgain = await bench.client({ clientId: 'two' });
        expect(twoAgain.connected).to.equal(true);
        await waitFor(() => !two.connected, 'the old session to be taken over');
        await twoAgain.endAsync();
        await waitFor(() => bench.broker!.status().clients.length === 1, 'one client left');
        const three = await bench.client({ clientId: 'three' });
        expect(three.connected).to.equal(true);
        await waitFor(() => bench.broker!.status().clients.length === 2, 'two clients');
        expect(bench.broker!.status().clients).to.deep.equal(['one', 'three']);
    });
});
