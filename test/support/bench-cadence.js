'use strict';
// The cadence of a real mesh for the end-to-end benchmark's cadence phase (test/bench/cadence.js), in mesh time:
// positions every 15 min, device telemetry every 15–30 min (per node), environment telemetry from 30 % of the nodes
// every 15–30 min, NodeInfo every 3 h, a text now and then; each packet ±30 s, every node with its own phase. Each
// packet is heard by its home gateway and, like the steady mix, with 22 % by one and 13 % by two more gateways
// (the shared captures hold no packet heard twice, so the share is the steady phase's). Deterministic (seeded).
const { prng } = require('./bench-traffic');

const MIN = 60_000;
const POSITION_MS = 15 * MIN;
const NODEINFO_MS = 180 * MIN;
const JITTER_MS = 30_000;
/** Texts per node and mesh hour. */
const TEXTS_PER_HOUR = 0.1;

/** Per node: intervals and phases, fixed for the whole bench. */
function plan(node, rand) {
    node.cadence ??= {
        deviceMs: Math.round((15 + rand() * 15) * MIN),
        environmentMs: rand() < 0.3 ? Math.round((15 + rand() * 15) * MIN) : 0,
        phase: { position: rand(), device: rand(), environment: rand(), nodeinfo: rand() },
    };
    return node.cadence;
}

/**
 * The packets of `nodes` in the mesh-time window [fromMs, toMs) (ms since the schedule's origin), sorted by mesh
 * time: { ...envelope, meshMs, duplicate?, kind }. `traffic` (a Traffic) encodes them and moves the nodes' values.
 */
function cadenceSchedule(traffic, nodes, { fromMs, toMs, seed = 5 }) {
    const rand = prng(seed + fromMs);
    const events = [];
    const add = (node, kind, intervalMs, phase) => {
        let t = phase * intervalMs;
        while (t < fromMs) {
            t += intervalMs;
        }
        for (; t < toMs; t += intervalMs) {
            events.push({ node, kind, meshMs: Math.max(fromMs, t + (rand() - 0.5) * 2 * JITTER_MS) });
        }
    };
    for (const node of nodes) {
        const c = plan(node, rand);
        add(node, 'position', POSITION_MS, c.phase.position);
        add(node, 'device', c.deviceMs, c.phase.device);
        if (c.environmentMs) {
            add(node, 'environment', c.environmentMs, c.phase.environment);
        }
        add(node, 'nodeinfo', NODEINFO_MS, c.phase.nodeinfo);
        const texts = ((toMs - fromMs) / 3_600_000) * TEXTS_PER_HOUR;
        for (let k = Math.floor(texts + rand()); k > 0; k--) {
            events.push({ node, kind: 'text', meshMs: fromMs + rand() * (toMs - fromMs) });
        }
    }
    events.sort((a, b) => a.meshMs - b.meshMs);
    const out = [];
    let unique = 0;
    for (const { node, kind, meshMs } of events) {
        const d =
            kind === 'position'
                ? traffic.position(node)
                : kind === 'device'
                  ? traffic.deviceTelemetry(node)
                  : kind === 'environment'
                    ? traffic.environmentTelemetry(node)
                    : kind === 'nodeinfo'
                      ? traffic.nodeInfo(node)
                      : traffic.text(node);
        const id = traffic.packetId();
        unique++;
        out.push({ ...traffic.envelope(node, node.home, id, d.portnum, d.payload), meshMs, kind });
        const extra = rand();
        const copies = extra < 0.13 ? 2 : extra < 0.35 ? 1 : 0;
        for (let c = 1; c <= Math.min(copies, traffic.gateways.length - 1); c++) {
            const copy = traffic.envelope(node, (node.home + c) % traffic.gateways.length, id, d.portnum, d.payload);
            // a copy through another gateway follows within a second
            out.push({ ...copy, meshMs: meshMs + 50 + rand() * 900, kind, duplicate: true });
        }
    }
    out.sort((a, b) => a.meshMs - b.meshMs);
    return { packets: out, unique, duplicates: out.length - unique };
}

module.exports = { cadenceSchedule };
