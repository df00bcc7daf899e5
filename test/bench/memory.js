'use strict';
// Heap per node: N nodes of the bench traffic (warm-up plus 4 packets a node of the steady mix) through the COMPILED
// pipeline — codec → mesh model → states writer → tab feed — with the DB calls answered at once in memory (no
// js-controller: this measures what the adapter keeps per node, which is what `maxNodes` scales). Run by
// test/bench/bench.js in a child process with --expose-gc for 1,000 and 4,000 nodes; the figure backs the estimate in
// src/lib/config/memory.ts (memoryAdvice), which the bench compares it with.
//   node --expose-gc test/bench/memory.js 1000   → prints one JSON line
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Traffic } = require('../support/bench-traffic');

const BUILD = path.join(__dirname, '..', '..', 'build', 'lib');

async function measure(count) {
    const { KeyRing, PacketDecoder, DEFAULT_PSK } = require(path.join(BUILD, 'codec'));
    const { MeshModel } = require(path.join(BUILD, 'mesh'));
    const { StateWriter } = require(path.join(BUILD, 'states'));
    const { TabFeed } = require(path.join(BUILD, 'tab', 'feed'));
    const { Pipeline } = require(path.join(BUILD, 'pipeline'));
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const adapter = {
        namespace: 'meshtastic.0',
        log,
        setObjectNotExistsAsync: async () => undefined,
        extendObjectAsync: async () => undefined,
        setState: async () => undefined,
        delObjectAsync: async () => undefined,
        getAdapterObjectsAsync: async () => ({}),
        getStatesAsync: async () => ({}),
        setTimeout: (cb, ms) => setTimeout(cb, ms),
        clearTimeout: handle => clearTimeout(handle),
    };
    global.gc();
    const before = process.memoryUsage().heapUsed;
    const maxNodes = count + 10;
    const decoder = new PacketDecoder({ keyRing: new KeyRing([{ name: 'LongFast', key: DEFAULT_PSK }]) });
    const mesh = new MeshModel(
        { maxNodes, offlineMinutes: 120, purgeDays: 7, allowList: new Set(), maxHops: 0, historySize: 20 },
        ['LongFast'],
    );
    // No admission control: every node gets its full tree at once, as in a mesh that grew slowly.
    const writer = new StateWriter(adapter, {
        maxNodes,
        churnNewNodes: Number.MAX_SAFE_INTEGER,
        maxObjectBacklog: 1e9,
    });
    await writer.init(['LongFast']);
    const feed = new TabFeed(mesh, { ownNodeNum: 0 });
    const pipeline = new Pipeline(
        decoder,
        mesh,
        {
            apply: events => {
                writer.apply(events);
                feed.apply(events);
            },
        },
        log,
    );
    const traffic = new Traffic({ root: 'msh/EU_868', seed: 7 });
    const nodes = traffic.nodes(count);
    const packets = [...traffic.warmup(nodes), ...traffic.steady(nodes, count * 4).packets];
    for (let i = 0; i < packets.length; i++) {
        const p = packets[i];
        pipeline.handle({ topic: p.topic, payload: p.payload, arrival: Date.now(), clientId: 'gw' });
        if (i % 500 === 499) {
            await writer.flush();
        }
    }
    await writer.flush();
    packets.length = 0;
    global.gc();
    const heapMB = (process.memoryUsage().heapUsed - before) / 1048576;
    const result = {
        nodes: mesh.nodeCount(),
        heapMB: Math.round(heapMB * 10) / 10,
        heapPerNodeKB: Math.round(((heapMB * 1024) / count) * 10) / 10,
        cachedValues: writer.counters().cachedValues,
    };
    // keep everything alive until after the measurement
    if (!feed || !pipeline) {
        throw new Error('unreachable');
    }
    return result;
}

/** Runs this file in a child process with --expose-gc for `count` nodes. */
function measureInChild(count) {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--expose-gc', __filename, String(count)], {
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', chunk => (out += chunk));
        child.on('error', reject);
        child.on('close', code => {
            try {
                resolve(JSON.parse(out.trim().split('\n').pop()));
            } catch {
                reject(new Error(`test/bench/memory.js ${count} failed (exit ${code}): ${out.slice(-500)}`));
            }
        });
    });
}

module.exports = { measureInChild };

if (require.main === module) {
    measure(Number(process.argv[2]) || 1000).then(
        r => console.log(JSON.stringify(r)),
        e => {
            console.error(e);
            process.exitCode = 1;
        },
    );
}
