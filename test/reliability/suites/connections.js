'use strict';
// Broker mode under connection load: half-open sockets, hundreds of concurrent clients, clients beyond maxClients,
// wrong credentials. A good client must still get in quickly; refusals carry the right CONNACK code, one log line.
const net = require('node:net');
const { expect } = require('chai');
const { connectClient, connectWhenReady } = require('../../support/mqtt');
const { encryptNative, sleep } = require('../../support/harness');
const { adapterLogLines } = require('../../support/reliability');
const { scaled } = require('../../support/scale');

const HALF_OPEN = scaled('RELIABILITY_HALF_OPEN', 500);
const CLIENTS = scaled('RELIABILITY_CLIENTS', 500);
const WRONG_LOGINS = scaled('RELIABILITY_WRONG_LOGINS', 200);
const USER = 'gw';
const PASS = 'load-test-pass';
/** MQTT 3.1.1 CONNACK return codes. */
const SERVER_UNAVAILABLE = 3;
const BAD_USER_OR_PASSWORD = 4;

async function timedConnect(port, options) {
    const started = process.hrtime.bigint();
    const client = await connectClient(port, options);
    return { client, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** The CONNACK return code of a refused connection (throws if it was accepted). */
async function refusalCode(port, options) {
    try {
        const client = await connectClient(port, options);
        await client.endAsync(true);
    } catch (e) {
        return e.code;
    }
    throw new Error('connection accepted but should have been refused');
}

function openSocket(port, sendPartialConnect) {
    return new Promise((resolve, reject) => {
        const socket = net.connect({ port, host: '127.0.0.1' });
        socket.on('error', () => undefined); // the broker drops them after its CONNECT timeout
        socket.once('connect', () => {
            if (sendPartialConnect) {
                socket.write(Buffer.from([0x10, 0x20, 0x00])); // CONNECT, 32 bytes announced, 1 sent
            }
            resolve(socket);
        });
        socket.once('error', reject);
    });
}

const countLines = (harness, mark, pattern) =>
    adapterLogLines(harness)
        .slice(mark)
        .filter(l => l.level !== 'debug' && pattern.test(l.text)).length;

module.exports = function connectionsSuite(getHarness, ctx) {
    const good = { username: USER, password: PASS };

    it(`lets a good client in quickly beside ${HALF_OPEN} half-open sockets`, async function () {
        this.timeout(120_000);
        const harness = getHarness();
        await harness.changeAdapterConfig(
            'meshtastic',
            ctx.brokerConfig({ user: USER, pass: await encryptNative(harness, PASS), maxClients: CLIENTS + 1 }),
        );
        await harness.startAdapterAndWait();
        await connectWhenReady(ctx.brokerPort, good, 30_000).then(c => c.endAsync(true));
        const sockets = [];
        for (let i = 0; i < HALF_OPEN; i += 50) {
            const batch = Array.from({ length: Math.min(50, HALF_OPEN - i) }, (_, j) =>
                openSocket(ctx.brokerPort, (i + j) % 2 === 0),
            );
            sockets.push(...(await Promise.all(batch)));
        }
        await sleep(500);
        const { client, ms } = await timedConnect(ctx.brokerPort, { ...good, clientId: 'good-beside-half-open' });
        await client.endAsync(true);
        const stillOpen = sockets.filter(s => !s.destroyed).length;
        console.log(
            `      half-open: ${HALF_OPEN} sockets (half with a partial CONNECT), ${stillOpen} still open; a good client connected in ${ms.toFixed(0)} ms`,
        );
        for (const s of sockets) {
            s.destroy();
        }
        expect(stillOpen).to.equal(HALF_OPEN);
        expect(ms, 'good client connect time (ms)').to.be.below(2000);
        expect(harness.isAdapterRunning()).to.equal(true);
    });

    it(`holds ${CLIENTS} concurrent clients, refuses those beyond maxClients with one log line`, async function () {
        this.timeout(180_000);
        const harness = getHarness();
        const mark = adapterLogLines(harness).length;
        const started = Date.now();
        const clients = [];
        for (let i = 0; i < CLIENTS; i += 100) {
            const batch = Array.from({ length: Math.min(100, CLIENTS - i) }, (_, j) =>
                connectClient(ctx.brokerPort, { ...good, clientId: `load-${i + j}`, connectTimeout: 30_000 }),
            );
            clients.push(...(await Promise.all(batch)));
        }
        const loadSeconds = (Date.now() - started) / 1000;
        try {
            const { client, ms } = await timedConnect(ctx.brokerPort, { ...good, clientId: 'good-under-load' });
            // maxClients = CLIENTS + 1: everyone else is refused now.
            const codes = [];
            for (let i = 0; i < 20; i++) {
                codes.push(await refusalCode(ctx.brokerPort, { ...good, clientId: `over-limit-${i}` }));
            }
            await sleep(1000);
            const limitLines = countLines(harness, mark, /client limit/i);
            console.log(
                `      load: ${CLIENTS} clients connected in ${loadSeconds.toFixed(1)} s; the good client (number ${CLIENTS + 1}) connected in ${ms.toFixed(0)} ms; ` +
                    `20 over maxClients refused with CONNACK codes ${[...new Set(codes)].join(',')}, ${limitLines} log line(s)`,
            );
            await client.endAsync(true);
            expect(ms, 'good client connect time under load (ms)').to.be.below(2000);
            expect(
                codes.every(c => c === SERVER_UNAVAILABLE),
                `codes ${codes}`,
            ).to.equal(true);
            expect(limitLines).to.equal(1);
            expect(clients.every(c => c.connected)).to.equal(true);
        } finally {
            await Promise.all(clients.map(c => c.endAsync(true)));
        }
        expect(harness.isAdapterRunning()).to.equal(true);
    });

    it(`refuses ${WRONG_LOGINS} wrong logins with CONNACK 4 and one log line`, async function () {
        this.timeout(120_000);
        const harness = getHarness();
        await sleep(500);
        const mark = adapterLogLines(harness).length;
        const variants = [
            { username: USER, password: 'wrong-pass' },
            { username: 'intruder', password: PASS },
            { username: USER },
            {},
        ];
        const codes = [];
        const started = Date.now();
        for (let i = 0; i < WRONG_LOGINS; i += 20) {
            const batch = Array.from({ length: Math.min(20, WRONG_LOGINS - i) }, (_, j) =>
                refusalCode(ctx.brokerPort, { ...variants[(i + j) % variants.length], clientId: `wrong-${i + j}` }),
            );
            codes.push(...(await Promise.all(batch)));
        }
        const seconds = (Date.now() - started) / 1000;
        await sleep(1000);
        const lines = countLines(harness, mark, /bad user name or password/i);
        const { client, ms } = await timedConnect(ctx.brokerPort, { ...good, clientId: 'good-after-wrong' });
        await client.endAsync(true);
        console.log(
            `      wrong logins: ${codes.length} refused in ${seconds.toFixed(1)} s with CONNACK codes ${[...new Set(codes)].join(',')}, ${lines} log line(s); the right login then took ${ms.toFixed(0)} ms`,
        );
        // MQTT 3.1.1 §3.2.2.3: 4 = bad user name or password (5 = not authorised is for an authenticated client without rights).
        expect(
            codes.every(c => c === BAD_USER_OR_PASSWORD),
            `codes ${[...new Set(codes)]}`,
        ).to.equal(true);
        expect(codes).to.have.length(WRONG_LOGINS);
        expect(lines).to.equal(1);
        const logs = adapterLogLines(harness)
            .map(l => l.text)
            .join('\n');
        expect(logs).not.to.include('wrong-pass');
        expect(logs).not.to.include(PASS);
    });
};
