'use strict';
// Helpers for the end-to-end benchmark (test/bench/e2e.js) on top of @iobroker/testing's harness: sendTo answers
// matched by callback id (polling getStats while the adapter restarts must not take a late answer for a new one),
// a write tracker on the states DB's change feed, process CPU time, and windowed/paced MQTT publishing.
const fs = require('node:fs');
const { connectWhenReady } = require('./mqtt');

const NS = 'meshtastic.0';
const FROM = 'system.adapter.test.0'; // the harness's sendTo identity (enableSendTo)
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** One 'stateChange' listener per harness dispatching sendTo answers by callback id. */
const dispatchers = new WeakMap();
let nextMessageId = 1_000_000;

function dispatcher(harness) {
    let waiting = dispatchers.get(harness);
    if (!waiting) {
        waiting = new Map();
        dispatchers.set(harness, waiting);
        harness.on('stateChange', (id, state) => {
            if (id !== `messagebox.${FROM}` || !state || !state.callback) {
                return;
            }
            const resolve = waiting.get(state.callback.id);
            if (resolve) {
                waiting.delete(state.callback.id);
                resolve(state.message);
            }
        });
    }
    return waiting;
}

/** sendTo('meshtastic.0', command, message) → the answer, or rejects after `timeoutMs`. */
function request(harness, command, message = {}, timeoutMs = 10000) {
    const waiting = dispatcher(harness);
    const id = nextMessageId++;
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            waiting.delete(id);
            reject(new Error(`sendTo ${command}: no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, answer => {
            clearTimeout(timer);
            resolve(answer);
        });
        harness.dbConnection.pushMessage(
            `system.adapter.${NS}`,
            { command, message, from: FROM, callback: { message, id, ack: false, time: Date.now() } },
            () => {},
        );
    });
}

async function getStats(harness, timeoutMs = 10000) {
    const answer = await request(harness, 'getStats', {}, timeoutMs);
    if (!answer || answer.error || !answer.stats || !answer.writer) {
        throw new Error(`getStats: unexpected answer ${JSON.stringify(answer)}`);
    }
    return answer;
}

/** Polls getStats until `done(stats)`, the deadline or `abort()`; returns { stats, ok, seconds, polls }. */
async function waitForStats(harness, done, timeoutMs, intervalMs = 100, abort = () => false) {
    const start = Date.now();
    let last;
    let polls = 0;
    while (Date.now() - start < timeoutMs && !abort()) {
        try {
            last = await getStats(harness, Math.max(1000, Math.min(5000, timeoutMs - (Date.now() - start))));
            polls++;
            if (done(last)) {
                return { stats: last, ok: true, seconds: (Date.now() - start) / 1000, polls };
            }
        } catch {
            // not answering (yet): keep polling until the deadline
        }
        await sleep(intervalMs);
    }
    return { stats: last, ok: false, seconds: (Date.now() - start) / 1000, polls };
}

const idle = s => s.writer.backlog === 0 && s.writer.inFlight === 0;

/** Device objects below meshtastic.0.nodes. */
async function countNodeDevices(harness) {
    const view = await harness.objects.getObjectViewAsync('system', 'device', {
        startkey: `${NS}.nodes.`,
        endkey: `${NS}.nodes.\u9999`,
    });
    return view.rows.length;
}

/** User + system CPU seconds of a process (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid) {
    if (pid === process.pid) {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1e6;
    }
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ 100)
    } catch {
        return undefined;
    }
}

/**
 * Counts the adapter's state writes from the states DB change feed (every setState is published to the harness's
 * `*` subscription): per kind of state, and "redundant" writes that repeat the id's previous value.
 */
class WriteTracker {
    constructor(harness) {
        this.last = new Map();
        this.reset();
        this.listener = (id, state) => {
            if (!state || !id.startsWith(`${NS}.`) || state.from !== `system.adapter.${NS}`) {
                return;
            }
            const kind = id.slice(NS.length + 1).replace(/^nodes\.[0-9a-f]{8}\./, 'nodes.*.');
            this.total++;
            this.byKind.set(kind, (this.byKind.get(kind) || 0) + 1);
            let samples = this.samples.get(kind);
            if (!samples) {
                samples = [];
                this.samples.set(kind, samples);
            }
            if (samples.length < 3) {
                samples.push(
                    `${id.slice(NS.length + 1)}: ${JSON.stringify(this.last.get(id))} → ${JSON.stringify(state.val)}`,
                );
            }
            if (this.last.has(id) && this.last.get(id) === state.val) {
                this.redundant++;
                this.redundantByKind.set(kind, (this.redundantByKind.get(kind) || 0) + 1);
                if (this.redundantSamples.length < 5) {
                    this.redundantSamples.push(`${id.slice(NS.length + 1)} = ${JSON.stringify(state.val)}`);
                }
            }
            this.last.set(id, state.val);
        };
        harness.on('stateChange', this.listener);
        this.harness = harness;
    }

    reset() {
        this.total = 0;
        this.redundant = 0;
        this.byKind = new Map();
        this.redundantByKind = new Map();
        /** First few writes per kind since reset: "id: previous → new". */
        this.samples = new Map();
        this.redundantSamples = [];
    }

    /** Writes per kind, largest first, as "kind n" text. */
    top(n = 8, map = this.byKind) {
        return [...map.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, n)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
    }

    /** Writes of kinds not matching `allowed` (RegExp). */
    beyond(allowed) {
        let count = 0;
        const kinds = [];
        for (const [kind, value] of this.byKind) {
            if (!allowed.test(kind)) {
                count += value;
                kinds.push(`${kind} ${value} [${(this.samples.get(kind) || []).join('; ')}]`);
            }
        }
        return { count, kinds };
    }

    stop() {
        this.harness.removeListener('stateChange', this.listener);
    }
}

/** Connects one MQTT.js client per simulated gateway (127.0.0.1 only). */
async function connectGateways(port, gateways) {
    const clients = [];
    for (const g of gateways) {
        clients.push(await connectWhenReady(port, { clientId: g.clientId, clean: true, keepalive: 60 }));
    }
    return clients;
}

/**
 * Publishes `packets` ({ gw, topic, payload }) as fast as the broker acknowledges them: QoS 1 with at most `window`
 * publishes awaiting their PUBACK. `gate.paused` (set by a backlog monitor) holds further publishes; `gate.wake()`
 * is replaced so the monitor can resume the pump. Stops at `deadline` (epoch ms) or when `abort()` (adapter gone).
 * A packet with `at` (epoch ms) is not published before that time (packets sorted by it).
 * Resolves { sent, acked, errors }.
 */
function publishWindowed(
    clients,
    packets,
    { window = 64, qos = 1, gate = { paused: false }, deadline = Infinity, abort = () => false } = {},
) {
    return new Promise(resolve => {
        let next = 0;
        let inFlight = 0;
        let acked = 0;
        let errors = 0;
        let finished = false;
        const finish = () => {
            const stop = Date.now() >= deadline || abort();
            if (!finished && (inFlight === 0 || abort()) && (next >= packets.length || stop)) {
                finished = true;
                gate.wake = () => {};
                resolve({ sent: next, acked, errors });
            }
        };
        let timer;
        const pump = () => {
            while (inFlight < window && next < packets.length && !gate.paused && Date.now() < deadline && !abort()) {
                // a packet with `at` (epoch ms) waits until then: mesh-time schedules (the cadence phase)
                const wait = packets[next].at === undefined ? 0 : packets[next].at - Date.now();
                if (wait > 0) {
                    if (timer === undefined) {
                        timer = setTimeout(
                            () => {
                                timer = undefined;
                                pump();
                            },
                            Math.min(wait, 100),
                        );
                    }
                    break;
                }
                const p = packets[next++];
                inFlight++;
                clients[p.gw].publish(p.topic, p.payload, { qos }, err => {
                    inFlight--;
                    if (err) {
                        errors++;
                    } else {
                        acked++;
                    }
                    pump();
                    finish();
                });
            }
            if (Date.now() >= deadline || abort()) {
                finish();
            }
        };
        gate.wake = pump;
        pump();
        finish();
        // A publish whose PUBACK never comes (adapter gone) must not hold the run past its deadline.
        const guard = setInterval(() => {
            if (finished) {
                clearInterval(guard);
            } else if (Date.now() >= deadline + 10000 || abort()) {
                clearInterval(guard);
                inFlight = 0;
                finish();
            }
        }, 250);
    });
}

/**
 * Publishes `packets` at `rate` packets/s (ticks of 50 ms), QoS 1 without waiting for PUBACKs, but never more than
 * `maxInFlight` unacknowledged (then the rate drops and the achieved rate shows it). Resolves { sent, acked, seconds }.
 */
async function publishPaced(
    clients,
    packets,
    { rate, maxInFlight = 2000, tickMs = 50, onTick, abort = () => false } = {},
) {
    const start = Date.now();
    const deadline = start + (packets.length / rate) * 2000 + 10000; // half the rate at worst, then give up
    let next = 0;
    let inFlight = 0;
    let acked = 0;
    let errors = 0;
    while (next < packets.length && Date.now() < deadline && !abort()) {
        const due = Math.min(packets.length, Math.floor(((Date.now() - start) / 1000) * rate) + 1);
        while (next < due && inFlight < maxInFlight) {
            const p = packets[next++];
            inFlight++;
            clients[p.gw].publish(p.topic, p.payload, { qos: 1 }, err => {
                inFlight--;
                if (err) {
                    errors++;
                } else {
                    acked++;
                }
            });
        }
        if (onTick) {
            onTick(next);
        }
        await sleep(tickMs);
    }
    const seconds = (Date.now() - start) / 1000;
    const ackDeadline = Date.now() + 10000;
    while (inFlight > 0 && Date.now() < ackDeadline && !abort()) {
        await sleep(20);
    }
    return { sent: next, acked, errors, seconds };
}

module.exports = {
    NS,
    sleep,
    request,
    getStats,
    waitForStats,
    idle,
    countNodeDevices,
    cpuSeconds,
    WriteTracker,
    connectGateways,
    publishWindowed,
    publishPaced,
};
