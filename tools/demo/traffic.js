'use strict';
// The demo's mesh traffic: a "gateway" MQTT client on the adapter's broker that replays the shared real captures
// once, then one of them as a new packet every few seconds (new id, re-encrypted), with a status line every 30 s.
const crypto = require('node:crypto');
const { log, warn, sleep } = require('./log');
const { HOST } = require('./ports');
const { freshCopy } = require('./replay');
const { readMesh } = require('./mesh-summary');

function connectMqtt(opts, isStopping) {
    const mqtt = require('mqtt');
    const client = mqtt.connect({
        host: HOST,
        port: opts.mqttPort,
        clientId: `demo-gateway-${process.pid}`,
        reconnectPeriod: 1000,
        connectTimeout: 5000,
    });
    let lastError = '';
    client.on('error', e => {
        if (e.message !== lastError) {
            lastError = e.message;
            if (!isStopping()) {
                warn(`MQTT: ${e.message} (reconnecting)`);
            }
        }
    });
    return client;
}

const portName = c => (typeof c.portnum === 'string' ? c.portnum : c.portnum ? `port ${c.portnum}` : 'undecryptable');

async function replayAll(client, captures, opts) {
    for (const c of captures) {
        await client.publishAsync(c.topic, c.payload, { qos: 1 });
    }
    const gateways = new Set(captures.map(c => (/\/(![0-9a-f]{8})$/.exec(c.topic) || [])[1]).filter(Boolean));
    log(`replayed all ${captures.length} captures (${gateways.size} gateways) to mqtt://${HOST}:${opts.mqttPort}`);
}

/** Until the decoded node count stops changing (and at least one node has a name), or the timeout. */
async function waitForMesh(states, timeoutMs, isStopping) {
    const end = Date.now() + timeoutMs;
    let last = '';
    let stableSince = Date.now();
    let mesh;
    for (;;) {
        mesh = await readMesh(states);
        const sig = `${mesh.nodes.length}/${mesh.nodes.filter(n => n.longName).length}/${JSON.stringify(mesh.stats)}`;
        if (sig !== last) {
            last = sig;
            stableSince = Date.now();
        }
        const named = mesh.nodes.some(n => n.longName);
        // The adapter writes its counters every few seconds: wait for them too, when it has them.
        const counted = mesh.stats.received === undefined || mesh.stats.received > 0;
        const stable = Date.now() - stableSince;
        if ((named && stable >= (counted ? 2500 : 8000)) || Date.now() > end || isStopping()) {
            return mesh;
        }
        await sleep(500);
    }
}

/** The alive phase: a capture as a new packet every `opts.intervalMs`, a status line every 30 s. Returns stop(). */
function startReplayLoop({ client, captures, states, opts, isStopping, adminUrl }) {
    const pool = captures.filter(c => c.fresh);
    log(
        `replaying one of ${pool.length} captures as a new packet every ${opts.intervalMs / 1000} s; ` +
            'press Ctrl-C to stop',
    );
    let sent = 0;
    const loop = setInterval(() => {
        if (isStopping() || !client.connected) {
            return;
        }
        const c = pool[crypto.randomInt(pool.length)];
        const payload = freshCopy(c);
        client.publish(c.topic, payload, { qos: 1 });
        sent++;
        const id = payload.readUInt32LE(c.fresh.id.start).toString(16).padStart(8, '0');
        const from = payload.readUInt32LE(c.fresh.from.start).toString(16).padStart(8, '0');
        log(`→ ${portName(c)} from !${from} via ${c.topic.split('/').pop() || 'map'} (packet id ${id})`);
    }, opts.intervalMs);
    const status = setInterval(async () => {
        try {
            const m = await readMesh(states);
            const stats = Object.entries(m.stats)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ');
            log(
                `status: ${m.nodes.length} nodes (${m.nodes.filter(n => n.longName).length} named), ${stats}` +
                    `${m.lastText ? `; last text ${m.lastText}` : ''}; ${sent} replayed; admin ${adminUrl}`,
            );
        } catch (e) {
            warn(`reading the states DB: ${e.message}`);
        }
    }, 30_000);
    return () => {
        clearInterval(loop);
        clearInterval(status);
    };
}

module.exports = { connectMqtt, replayAll, waitForMesh, startReplayLoop };
