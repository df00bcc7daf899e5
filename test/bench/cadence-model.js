'use strict';
// What each write cadence setting costs, computed in this process without a DB: the compiled codec, mesh model,
// CadenceFilter and node batches fed the real mesh's cadence (test/support/bench-cadence.js) in mesh time, counting a
// write wherever the writer's value cache would (a value that differs from the last one written). Stats writes are
// left out (they follow a 5 s timer, not packets). The README's table of the settings' costs comes from here.
//   node test/bench/cadence-model.js [nodes]     (build first)
const path = require('node:path');
const { Traffic } = require('../support/bench-traffic');
const { cadenceSchedule } = require('../support/bench-cadence');

const BUILD = path.join(__dirname, '..', '..', 'build', 'lib');
const { KeyRing, PacketDecoder, parsePsk } = require(path.join(BUILD, 'codec'));
const { MeshModel } = require(path.join(BUILD, 'mesh'));
const { CadenceFilter, nodeStateValues, allNodeSections } = require(path.join(BUILD, 'states'));

const MIN = 60_000;
const kindOf = id =>
    id.endsWith('.status.lastHeard')
        ? 'lastHeard'
        : id.includes('.radio.')
          ? 'radio'
          : id.includes('messages')
            ? 'messages'
            : 'values';

/** Writes per packet by kind for one setting, after a warm-up and 10 mesh minutes to settle, over `minutes`. */
function costOf(cadence, nodeCount, minutes) {
    const traffic = new Traffic({ root: 'msh/EU_868', seed: 9, nodeBase: 0x30000000 });
    const nodes = traffic.nodes(nodeCount);
    const key = parsePsk('AQ==');
    const decoder = new PacketDecoder({ keyRing: new KeyRing([{ name: 'LongFast', key: key.value }]) });
    const mesh = new MeshModel(
        {
            maxNodes: nodeCount + 100,
            offlineMinutes: 120,
            purgeDays: 7,
            allowList: new Set(),
            maxHops: 0,
            historySize: 20,
            dedupWindowMs: 10 * MIN,
            ownNodeNum: 0,
        },
        ['LongFast'],
    );
    let now = 1.7e12;
    const filter = new CadenceFilter(cadence, () => now);
    const written = new Map();
    const kinds = { lastHeard: 0, radio: 0, values: 0, messages: 0 };
    let counting = false;
    const feed = (packets, origin) => {
        let count = 0;
        for (const p of packets) {
            now = origin + (p.meshMs ?? 0);
            const outcome = decoder.decode(p.topic, p.payload);
            if (!outcome.ok) {
                continue;
            }
            count++;
            for (const event of filter.filter(mesh.ingest(outcome.packet, now))) {
                if (event.type !== 'node') {
                    continue;
                }
                for (const entry of nodeStateValues(event.node, event.isNew ? allNodeSections() : event.sections)) {
                    if (entry.event || written.get(entry.id) !== entry.value) {
                        written.set(entry.id, entry.value);
                        if (counting) {
                            kinds[kindOf(entry.id)]++;
                        }
                    }
                }
            }
        }
        return count;
    };
    feed(traffic.warmup(nodes), now);
    const origin = now;
    feed(cadenceSchedule(traffic, nodes, { fromMs: 0, toMs: 10 * MIN }).packets, origin);
    counting = true;
    const packets = feed(
        cadenceSchedule(traffic, nodes, { fromMs: 10 * MIN, toMs: (10 + minutes) * MIN }).packets,
        origin,
    );
    const perPacket = {};
    for (const [kind, count] of Object.entries(kinds)) {
        perPacket[kind] = Math.round((count / packets) * 1000) / 1000;
    }
    return { packets, perPacket };
}

if (require.main === module) {
    const nodeCount = Number(process.argv[2]) || 2000;
    const settings = [
        ['every packet', 'packet', 0, 0],
        ['radio 15 min, lastHeard 5 min', 'interval', 15, 5],
        ['radio 15 min, lastHeard 15 min', 'interval', 15, 15],
        ['radio 30 min, lastHeard 15 min', 'interval', 30, 15],
        ['radio 60 min, lastHeard 30 min (defaults)', 'interval', 60, 30],
        ['radio off, lastHeard 60 min', 'off', 0, 60],
    ];
    console.log(`${nodeCount} nodes, 2 mesh hours after 10 minutes to settle; writes per packet (no stats):`);
    for (const [name, radio, radioMinutes, lastHeardMinutes] of settings) {
        const { packets, perPacket } = costOf(
            { radio, radioMs: radioMinutes * MIN, lastHeardMs: lastHeardMinutes * MIN },
            nodeCount,
            120,
        );
        const total = Object.values(perPacket).reduce((a, b) => a + b, 0);
        console.log(
            `  ${name.padEnd(44)} ${total.toFixed(3)}  (lastHeard ${perPacket.lastHeard}, radio ${perPacket.radio}, ` +
                `values ${perPacket.values}, messages ${perPacket.messages}; ${packets} packets)`,
        );
    }
}

module.exports = { costOf };
