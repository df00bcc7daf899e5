'use strict';
// Client mode against a real Mosquitto killed with SIGKILL and restarted at random intervals: every reconnect within
// the target, info.connection follows, texts sent while the broker is down go out exactly once. An observer with a
// persistent session on the same Mosquitto (saved after every change) counts what arrives.
const { expect } = require('chai');
const mqtt = require('mqtt');
const { encryptNative, readState, sleep, waitFor, waitForState } = require('../../support/harness');
const { startMosquitto } = require('../../support/mosquitto');
const { prng } = require('../../support/mutator');
const { freePort, summary } = require('../../support/reliability');
const { scaled } = require('../../support/scale');
const ind = require('../../support/independent-crypto');

const NS = 'meshtastic.0';
const ROOT = 'msh/EU_868';
const CYCLES = scaled('RELIABILITY_FLAPS', 20);
/** Reconnect target (ms) after the broker is back: the client's backoff is capped at 5 s, plus connect and subscribe. */
const RECONNECT_TARGET_MS = 6500;

module.exports = function flappingSuite(getHarness) {
    let mosquitto;
    let observer;
    after(async () => {
        await observer?.endAsync(true);
        await mosquitto?.stop();
    });

    it(`reconnects within ${RECONNECT_TARGET_MS / 1000} s after each of ${CYCLES} SIGKILLs; texts sent while down go out once`, async function () {
        this.timeout(CYCLES * 30_000 + 60_000);
        const harness = getHarness();
        const port = await freePort();
        mosquitto = await startMosquitto({ port, user: 'iob', pass: 'flap-pass', persistent: true });
        await harness.changeAdapterConfig('meshtastic', {
            native: {
                mode: 'client',
                url: `mqtt://127.0.0.1:${port}`,
                user: 'iob',
                pass: await encryptNative(harness, 'flap-pass'),
                sendSpacingMs: 0,
                rootTopic: ROOT,
                channels: [{ name: 'LongFast', psk: 'AQ==', downlink: true }],
            },
        });
        await harness.startAdapterAndWait(true);

        // The observer: fixed id, persistent session, QoS 1; MQTT.js reconnects it on its own.
        const copies = new Map();
        observer = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
            username: 'iob',
            password: 'flap-pass',
            clientId: 'reliability-observer',
            clean: false,
            reconnectPeriod: 100,
        });
        observer.on('error', () => undefined);
        observer.on('message', (_topic, payload) => {
            try {
                const env = ind.decodeEnvelope(payload);
                const data = ind.decryptChannel(env.packet);
                if (data.portnum === 1) {
                    const text = Buffer.from(data.payload).toString();
                    copies.set(text, (copies.get(text) || 0) + 1);
                }
            } catch {
                // not ours
            }
        });
        await waitFor(() => observer.connected, 10_000, 'the observer');
        await observer.subscribeAsync(`${ROOT}/2/e/LongFast/#`, { qos: 1 });
        await sleep(1500); // the subscription is saved to Mosquitto's database

        const r = prng(Number(process.env.RELIABILITY_SEED || 0xf1a9));
        const reconnects = [];
        const drops = [];
        const sentWhileDown = [];
        for (let cycle = 1; cycle <= CYCLES; cycle++) {
            await sleep(300 + r.int(1700)); // up for 0.3–2 s
            const killedAt = Date.now();
            mosquitto.kill();
            const down = await waitForState(harness, `${NS}.info.connection`, s => s?.val === false, 20_000);
            drops.push(down.ts - killedAt);
            const texts = [];
            if (cycle % 2 === 0) {
                for (let k = 0; k < 1 + r.int(2); k++) {
                    const text = `down-${cycle}-${k}`;
                    texts.push(text);
                    await harness.states.setStateAsync(`${NS}.channels.LongFast.send`, { val: text, ack: false });
                }
            }
            await sleep(200 + r.int(1800)); // down for 0.2–2 s
            await mosquitto.restart();
            const backAt = Date.now();
            const up = await waitForState(
                harness,
                `${NS}.info.connection`,
                s => s?.val === true && s.ts >= backAt,
                30_000,
            );
            reconnects.push(up.ts - backAt);
            for (const text of texts) {
                await waitFor(() => copies.get(text), 15_000, `"${text}" on Mosquitto`);
            }
            sentWhileDown.push(...texts);
        }
        await sleep(2000); // late duplicates would arrive by now
        const counts = sentWhileDown.map(t => copies.get(t) || 0);
        const rs = summary(reconnects);
        console.log(`      flapping: ${CYCLES} SIGKILLs; reconnect after restart (ms): ${reconnects.join(', ')}`);
        console.log(
            `      flapping: reconnect median ${rs.median} ms, p90 ${rs.p90} ms, max ${rs.max} ms; info.connection false after a kill within ${Math.max(...drops)} ms`,
        );
        console.log(
            `      flapping: ${sentWhileDown.length} texts sent while down, copies on Mosquitto: ${JSON.stringify(counts)}`,
        );
        expect(rs.max, 'slowest reconnect (ms)').to.be.at.most(RECONNECT_TARGET_MS);
        expect(Math.max(...drops), 'info.connection false after a kill (ms)').to.be.below(5000);
        expect(sentWhileDown.length).to.be.above(0);
        expect(
            counts.every(c => c === 1),
            `copies ${JSON.stringify([...copies])}`,
        ).to.equal(true);
        expect((await readState(harness, `${NS}.info.connection`)).val).to.equal(true);
        expect(harness.isAdapterRunning()).to.equal(true);
    });
};
