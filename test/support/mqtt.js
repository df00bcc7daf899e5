'use strict';
// Real MQTT.js clients for the tests, always on 127.0.0.1.
const mqtt = require('mqtt');

/** Connects and resolves once CONNACK arrives; rejects with the broker's refusal. */
function connectClient(port, options = {}) {
    const { protocol = 'mqtt', ...rest } = options;
    return mqtt.connectAsync(`${protocol}://127.0.0.1:${port}`, {
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ...rest,
    });
}

/** Connects, retrying while the adapter's broker is still starting (alive comes before the listener is up). */
async function connectWhenReady(port, options = {}, timeoutMs = 15000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        try {
            return await connectClient(port, options);
        } catch (e) {
            if (!/ECONNREFUSED/.test(String(e && e.message)) || Date.now() > end) {
                throw e;
            }
            await new Promise(resolve => setTimeout(resolve, 200));
        }
    }
}

async function publish(client, topic, payload, qos = 1) {
    await client.publishAsync(topic, payload, { qos });
}

/** Asserts that a connection attempt is refused, with an error message matching `pattern`. */
async function expectConnackError(port, options, pattern) {
    let client;
    try {
        client = await connectClient(port, options);
    } catch (e) {
        const text = `${e && e.message} ${e && e.code}`;
        if (!pattern.test(text)) {
            throw new Error(`connection refused, but with "${text}" instead of ${pattern}`);
        }
        return;
    }
    await client.endAsync(true);
    throw new Error('connection was accepted but should have been refused');
}

module.exports = { connectClient, connectWhenReady, publish, expectConnackError };
