'use strict';
// The bench's gateways in their own process: real MQTT.js clients, one per gateway, publishing what the bench hands
// them over IPC. Real gateways are other machines; publishing from the bench process would put MQTT work on the event
// loop of js-controller's DB servers (@iobroker/testing runs them in the test process) and slow the adapter's own
// DB writes, which the ceiling it is compared with does not suffer.
//
// Parent side: `startGatewayProcess(port, gateways)` → { publishWindowed(packets, options), close() }.
// Child side (this file run with fork): messages connect / publish / gate / abort / close.
const path = require('node:path');
const { fork } = require('node:child_process');

if (require.main === module) {
    child();
}

function child() {
    const { connectGateways, publishWindowed } = require('./bench-harness');
    let clients = [];
    let gate = { paused: false, wake: () => {} };
    let aborted = false;
    process.on('message', async msg => {
        try {
            if (msg.type === 'connect') {
                clients = await connectGateways(msg.port, msg.gateways);
                process.send({ type: 'connected' });
            } else if (msg.type === 'publish') {
                gate = { paused: false, wake: () => {} };
                aborted = false;
                const packets = msg.packets.map(p => ({ ...p, payload: Buffer.from(p.payload) }));
                const result = await publishWindowed(clients, packets, {
                    window: msg.window,
                    qos: msg.qos,
                    gate,
                    deadline: msg.deadline,
                    abort: () => aborted,
                });
                process.send({ type: 'published', result });
            } else if (msg.type === 'gate') {
                gate.paused = msg.paused;
                if (!msg.paused) {
                    gate.wake();
                }
            } else if (msg.type === 'abort') {
                aborted = true;
                gate.wake();
            } else if (msg.type === 'close') {
                await Promise.all(clients.map(c => c.endAsync(true).catch(() => {})));
                process.exit(0);
            }
        } catch (e) {
            process.send({ type: 'error', error: String(e && e.stack ? e.stack : e) });
        }
    });
    process.on('disconnect', () => process.exit(0));
}

/**
 * Starts the gateway process and connects one MQTT client per gateway ({ clientId }) to 127.0.0.1:`port`.
 * `publishWindowed(packets, { window, qos, gate, deadline, abort })` behaves as bench-harness's publishWindowed: the
 * `gate` object's `paused`/`wake()` (driven by the backlog monitor) are forwarded to the child.
 */
async function startGatewayProcess(port, gateways) {
    const proc = fork(path.join(__filename), [], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let waiter;
    proc.on('message', msg => {
        const w = waiter;
        waiter = undefined;
        if (!w) {
            return;
        }
        if (msg.type === 'error') {
            w.reject(new Error(`gateway process: ${msg.error}`));
        } else {
            w.resolve(msg);
        }
    });
    proc.on('exit', code => {
        if (waiter) {
            waiter.reject(new Error(`gateway process ended (exit ${code})`));
            waiter = undefined;
        }
    });
    const call = msg =>
        new Promise((resolve, reject) => {
            waiter = { resolve, reject };
            proc.send(msg);
        });
    await call({ type: 'connect', port, gateways: gateways.map(g => ({ clientId: g.clientId })) });
    return {
        pid: proc.pid,
        async publishWindowed(packets, { window = 64, qos = 1, gate, deadline = Infinity, abort = () => false } = {}) {
            const send = msg => proc.connected && proc.send(msg);
            // The monitor sets gate.paused and calls gate.wake(): both go to the child.
            const control = gate || { paused: false };
            let paused = !!control.paused;
            Object.defineProperty(control, 'paused', {
                configurable: true,
                enumerable: true,
                get: () => paused,
                set: value => {
                    paused = !!value;
                    send({ type: 'gate', paused });
                },
            });
            control.wake = () => send({ type: 'gate', paused });
            const watchdog = setInterval(() => abort() && send({ type: 'abort' }), 250);
            try {
                const reply = await call({
                    type: 'publish',
                    packets: packets.map(p => ({ gw: p.gw, topic: p.topic, payload: p.payload, at: p.at })),
                    window,
                    qos,
                    deadline,
                });
                return reply.result;
            } finally {
                clearInterval(watchdog);
                control.wake = () => {};
            }
        },
        async close() {
            if (proc.connected) {
                proc.send({ type: 'close' });
                await new Promise(resolve => {
                    const t = setTimeout(() => {
                        proc.kill('SIGKILL');
                        resolve();
                    }, 5000);
                    proc.once('exit', () => {
                        clearTimeout(t);
                        resolve();
                    });
                });
            }
        },
    };
}

module.exports = { startGatewayProcess };
