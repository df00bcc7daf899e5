import { expect } from 'chai';
import { connect, type MqttClient } from 'mqtt';
import type { InboundMessage } from './types';
import { MOSQUITTO_PORT, PASS, USER, useMosquittoBench } from '../../test-support/client-bench';
import { HOST, waitFor as waitForWithin } from '../../test-support/transport-fixtures.test';

/** Real brokers take their time: 10 s unless told otherwise. */
const waitFor = <T>(probe: () => T | undefined | false, what: string, timeoutMs = 10000): Promise<T> =>
    waitForWithin(probe, what, timeoutMs);

describe('transport/ClientTransport reconnecting (broker restarts, flapping, a twin; against a real Mosquitto)', function () {
    this.timeout(20000);
    const { bench, mosquitto } = useMosquittoBench();
    const peer = (clientId: string): Promise<MqttClient> => bench.peer(clientId);
    const deliver = (from: MqttClient, topic: string, payload: string): Promise<InboundMessage> =>
        bench.deliver(from, topic, payload);
    const peers = bench.peers;

    it('reports the lost broker, reconnects when it is back and subscribes again', async function () {
        this.timeout(30000);
        const client = bench.create();
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        mosquitto().kill();
        await waitFor(() => !client.status().connected, 'the disconnect');
        expect(bench.statuses.at(-1)).to.deep.equal({ connected: false, clients: [] });
        // Several failed attempts while the broker is down.
        await waitFor(
            () => bench.log.lines.filter(l => /ECONNREFUSED/.test(l.message)).length >= 3,
            'refused attempts',
        );
        try {
            await client.publish('msh/EU_868/2/e/LongFast/!x', new Uint8Array([1]));
            expect.fail('publish while disconnected must reject');
        } catch (e) {
            expect((e as Error).message).to.match(/not connected/);
        }
        await mosquitto().restart();
        await waitFor(() => client.status().connected, 'the reconnect', 15000);
        expect(bench.statuses.map(s => s.connected)).to.deep.equal([true, false, true]);
        const visible = bench.log.visible();
        expect(visible.filter(l => /lost/.test(l))).to.have.length(1);
        expect(visible.filter(l => /ECONNREFUSED/.test(l))).to.have.length(1);
        expect(visible.filter(l => /^info: Reconnected to .* after \d+ attempts?$/.test(l))).to.have.length(1);
        const gw = await peer('gw-after-restart');
        await deliver(gw, 'msh/EU_868/2/e/LongFast/!again', 'after restart');
        expect(bench.log.text()).not.to.include(PASS);
    });

    it('does not flood the log or the broker when the connection flaps (another client with the same id)', async () => {
        const client = bench.create({ clientId: 'twin', reconnectMinMs: 20, reconnectMaxMs: 160, stableAfterMs: 5000 });
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
        await waitFor(() => bench.timers.delays.length >= 6, 'six reconnects', 15000);
        await twin.endAsync(true);
        const bases = [20, 40, 80, 160, 160, 160];
        bench.timers.delays.slice(0, 6).forEach((delay, i) => {
            expect(delay, `delay ${i}`).to.be.within(Math.floor(bases[i] * 0.9), bases[i]);
        });
        const visible = bench.log.visible();
        expect(visible[0]).to.equal(`info: Connected to mqtt://${HOST}:${MOSQUITTO_PORT}`);
        expect(visible.slice(1)).to.have.length(1);
        expect(visible[1]).to.match(/^warn: The connection to .* broke \d+ ms after it was made.*same client id/);
        // Once the twin is gone, the connection comes back and stays.
        await waitFor(() => client.status().connected, 'the connection without the twin');
    });

    it('after broker restarts says the broker went away and that it is back, and never blames the client id', async function () {
        this.timeout(60000);
        // Sessions shorter than a minute are "quick drops": the case in which a client id clash was wrongly named.
        const client = bench.create({ stableAfterMs: 60_000, reconnectMinMs: 400, reconnectMaxMs: 800 });
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        const restarts = [
            // A crash and a restart after some refused attempts; a restart faster than the reconnect delay (the
            // first attempt succeeds: the broker looks reachable afterwards); a clean restart (SIGTERM, at once).
            async (): Promise<void> => {
                mosquitto().kill();
                await waitFor(() => !client.status().connected, 'the disconnect');
                const refused = bench.log.lines.filter(l => /ECONNREFUSED/.test(l.message)).length;
                await waitFor(
                    () => bench.log.lines.filter(l => /ECONNREFUSED/.test(l.message)).length > refused,
                    'a refused attempt',
                );
                await mosquitto().restart();
            },
            async (): Promise<void> => {
                mosquitto().kill();
                await waitFor(() => !client.status().connected, 'the disconnect');
                await mosquitto().restart();
            },
            (): Promise<void> => mosquitto().restart(),
        ];
        for (const restart of [...restarts, ...restarts]) {
            const before = bench.statuses.length;
            await restart();
            await waitFor(
                () => bench.statuses.length >= before + 2 && client.status().connected,
                'the reconnect',
                20000,
            );
        }
        const visible = bench.log.visible();
        expect(visible.join('\n')).not.to.match(/client id/);
        expect(bench.log.text()).not.to.match(/client id/);
        // Said once per outage (no stable session in between), each restart at debug level.
        expect(
            visible.filter(l => /^warn: The broker .* went away \d+ ms after the connection was made/.test(l)),
        ).to.have.length(1);
        expect(visible.filter(l => /^info: Reconnected to .* after \d+ attempts?$/.test(l))).to.have.length(1);
        expect(bench.log.at('debug', /went away/).length).to.be.at.least(restarts.length * 2 - 1);
        const gw = await peer('gw-after-restarts');
        await deliver(gw, 'msh/EU_868/2/e/LongFast/!restarted', 'after restarts');
    });

    it('names the client id only when sessions keep breaking while the broker stays reachable (a twin)', async () => {
        const client = bench.create({
            clientId: 'twin-2',
            reconnectMinMs: 20,
            reconnectMaxMs: 160,
            stableAfterMs: 5000,
        });
        await client.start();
        await waitFor(() => client.status().connected, 'the connection');
        // One takeover is no evidence yet: a single quick drop with the broker still up is only a debug line.
        const other = await peer('twin-2');
        await waitFor(() => bench.log.lines.some(l => /broke \d+ ms after/.test(l.message)), 'the first drop');
        await other.endAsync(true);
        await waitFor(() => client.status().connected, 'the connection back');
        expect(bench.log.visible().filter(l => /client id/.test(l))).to.deep.equal([]);
        // A twin that keeps coming back: now it is named, once.
        const twin = connect(`mqtt://${HOST}:${MOSQUITTO_PORT}`, {
            username: USER,
            password: PASS,
            clientId: 'twin-2',
            reconnectPeriod: 30,
        });
        twin.on('error', () => undefined);
        peers.push(twin);
        await waitFor(() => bench.log.visible().some(l => /same client id/.test(l)), 'the client id warning', 15000);
        await twin.endAsync(true);
        const named = bench.log.visible().filter(l => /client id/.test(l));
        expect(named).to.have.length(1);
        expect(named[0]).to.match(
            /^warn: The connection to .* broke \d+ ms after it was made, several times in a row, while the broker stayed reachable\. Does another client use the same client id "twin-2"\?/,
        );
        expect(bench.log.visible().filter(l => /went away/.test(l))).to.deep.equal([]);
    });
});
