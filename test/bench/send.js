'use strict';
// Phase "send": texts through sendTo("send"), counted as packets on the adapter's broker (sendSpacingMs 0).
const { sleep, request } = require('../support/bench-harness');
const { connectClient } = require('../support/mqtt');
const { pipelined } = require('../support/pipelined');
const { PORT, ROOT, SEND_TEXTS, round, fmt, say, report } = require('./settings');
const { assertAlive } = require('./adapter-run');

/** Needs `run.traffic` of the steady phase (its gateways' packets are not counted). */
async function measureSend(harness, run) {
    const { traffic } = run;
    assertAlive('the send test');
    let probe;
    try {
        probe = await request(harness, 'send', { text: 'bench probe' }, 15000);
    } catch (e) {
        probe = { error: e.message };
    }
    if (probe && typeof probe.error === 'string' && /unknown command|not running/i.test(probe.error)) {
        say(`send: not available (${probe.error}); skipped`);
        report('send', { available: false, reason: probe.error });
        return;
    }
    const listener = await connectClient(PORT, { clientId: 'bench-listener' });
    const gatewayIds = new Set(traffic.gateways.map(g => g.id));
    let seen = 0;
    let firstAt = 0;
    let lastAt = 0;
    listener.on('message', topic => {
        if (!gatewayIds.has(topic.slice(topic.lastIndexOf('/') + 1))) {
            seen++;
            lastAt = Date.now();
            firstAt ||= lastAt;
        }
    });
    await listener.subscribeAsync(`${ROOT}/2/e/#`, { qos: 0 });
    await sleep(300);
    seen = 0;
    const start = Date.now();
    const deadline = start + 30000;
    let accepted = 0;
    let rejected = 0;
    let lastError = '';
    await pipelined(SEND_TEXTS, 16, 30000, async i => {
        while (Date.now() < deadline) {
            let answer;
            try {
                answer = await request(harness, 'send', { text: `bench send ${i}` }, 15000);
            } catch (e) {
                answer = { error: e.message };
            }
            if (answer && !answer.error) {
                accepted++;
                return;
            }
            rejected++;
            lastError = String(answer?.error);
            await sleep(50);
        }
    });
    while (seen < accepted && Date.now() < deadline) {
        await sleep(50);
    }
    await listener.endAsync(true).catch(() => {});
    const seconds = ((lastAt || Date.now()) - start) / 1000;
    const result = {
        available: true,
        sendPacketsPerSecond: seen > 0 ? Math.round(seen / seconds) : 0,
        texts: SEND_TEXTS,
        accepted,
        rejected,
        packetsSeen: seen,
        seconds: round(seconds, 2),
        probe: JSON.stringify(probe).slice(0, 200),
        lastError: lastError.slice(0, 200),
    };
    say(
        `send: ${accepted} texts accepted (${rejected} refused${lastError ? `, last: ${lastError.slice(0, 80)}` : ''}), ` +
            `${seen} packets on the broker in ${result.seconds} s → ${fmt(result.sendPacketsPerSecond)} packets/s (sendSpacingMs 0)`,
    );
    report('send', result);
}

module.exports = { measureSend };
