'use strict';
// MQTT side of the UI test: a listener on the demo's broker (what the adapter publishes), the names the shared
// captures carry, and a population of 10,000 simulated nodes built with the adapter's own compiled codec (test input).
const mqtt = require('mqtt');
const { create, toBinary } = require('@bufbuild/protobuf');
const { Mesh } = require('@meshtastic/protobufs');
const { data: vectorData } = require('../../support/vectors');
const { Traffic } = require('../../support/bench-traffic');
const ind = require('../../support/independent-crypto');

const ROOT = 'msh/EU_868';

/** Nodes the captures name (NodeInfo and map reports): [{ hex, longName, shortName }]. */
function namedVectorNodes() {
    const out = new Map();
    for (const v of vectorData.vectors) {
        const e = v.expected || {};
        const portnum = (e.decrypted_data || e.data || {}).portnum;
        const p = e.payload || {};
        if (!['NODEINFO_APP', 'MAP_REPORT_APP'].includes(portnum) || !p.longName || !e.packet) {
            continue;
        }
        const hex = (e.packet.from >>> 0).toString(16).padStart(8, '0');
        out.set(hex, { hex, longName: p.longName, shortName: p.shortName || '', vector: v.name });
    }
    return [...out.values()];
}

/** Nodes whose position in the captures has a reduced precision (precision_bits 1…31): hex ids. */
function impreciseVectorNodes() {
    const out = new Set();
    for (const v of vectorData.vectors) {
        const e = v.expected || {};
        const portnum = (e.decrypted_data || e.data || {}).portnum;
        const bits = e.payload && e.payload.precisionBits;
        if (portnum === 'POSITION_APP' && e.packet && bits > 0 && bits < 32) {
            out.add((e.packet.from >>> 0).toString(16).padStart(8, '0'));
        }
    }
    return [...out];
}

/** Every message on the broker under `msh/#`, kept for `waitFor`. */
class Listener {
    constructor(port, host = '127.0.0.1') {
        this.port = port;
        this.host = host;
        this.messages = [];
        this.waiters = new Set();
    }

    async connect() {
        this.client = await mqtt.connectAsync({
            host: this.host,
            port: this.port,
            clientId: `meshtastic-ui-listener-${process.pid}`,
            reconnectPeriod: 1000,
            connectTimeout: 10_000,
        });
        this.client.on('message', (topic, payload) => {
            const m = { topic, payload: Buffer.from(payload), at: Date.now() };
            this.messages.push(m);
            if (this.messages.length > 50_000) {
                this.messages.splice(0, 25_000);
            }
            for (const w of this.waiters) {
                w(m);
            }
        });
        await this.client.subscribeAsync(`${ROOT.split('/')[0]}/#`, { qos: 0 });
        return this;
    }

    /** The first message (already received or arriving) `match` returns a value for. */
    waitFor(match, timeoutMs, what) {
        for (const m of this.messages) {
            const v = match(m);
            if (v) {
                return Promise.resolve(v);
            }
        }
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.waiters.delete(waiter);
                reject(new Error(`no MQTT message ${what} within ${timeoutMs} ms`));
            }, timeoutMs);
            const waiter = m => {
                let v;
                try {
                    v = match(m);
                } catch {
                    v = undefined;
                }
                if (v) {
                    clearTimeout(timer);
                    this.waiters.delete(waiter);
                    resolve(v);
                }
            };
            this.waiters.add(waiter);
        });
    }

    async close() {
        if (this.client) {
            await this.client.endAsync(true);
        }
    }
}

/**
 * A channel text in an envelope, decoded with the independent decryption (node:crypto + the protobuf schemas):
 * { topic, gatewayId, channelId, from, id, portnum, text } or undefined if `m` is something else.
 */
function decodeChannelText(m) {
    const envelope = ind.decodeEnvelope(m.payload);
    const packet = envelope.packet;
    if (!packet || packet.payloadVariant.case !== 'encrypted') {
        return undefined;
    }
    const data = ind.decryptChannel(packet);
    return {
        topic: m.topic,
        gatewayId: envelope.gatewayId,
        channelId: envelope.channelId,
        from: packet.from >>> 0,
        to: packet.to >>> 0,
        id: packet.id >>> 0,
        portnum: data.portnum,
        text: Buffer.from(data.payload).toString('utf8'),
    };
}

/**
 * `count` simulated nodes (long name "<name> <i>", hex base+i, short name = last 4 hex), each sending a NodeInfo and
 * then a position packet through one of three simulated gateways, node after node. (Node after node, not all NodeInfos
 * first: at maxNodes, the least recently heard nodes make room, and a position of a node evicted before it arrives
 * would bring it back without its name.)
 */
function scalePackets(count, nodeBase, name = 'UI scale') {
    const traffic = new Traffic({ root: ROOT, gateways: 3, seed: 4242, nodeBase });
    const nodes = [];
    const packets = [];
    for (let i = 0; i < count; i++) {
        const node = traffic.node(i);
        node.longName = count === 1 ? name : `${name} ${i}`;
        nodes.push(node);
        for (const d of [traffic.nodeInfo(node), traffic.position(node, { move: false })]) {
            packets.push(traffic.envelope(node, node.home, traffic.packetId(), d.portnum, d.payload));
        }
    }
    return { nodes, packets, gateways: traffic.gateways };
}

/**
 * Two named nodes far apart (so neither clusters with the other or with the captures' nodes at world zoom) that
 * report each other as neighbours (NeighborInfo), each with NodeInfo and position first.
 */
function neighbourPairPackets(nodeBase, places) {
    const traffic = new Traffic({ root: ROOT, gateways: 1, seed: 99, nodeBase });
    const nodes = places.map((place, i) => {
        const node = traffic.node(i);
        Object.assign(node, { longName: place.name, latitude: place.lat, longitude: place.lon });
        return node;
    });
    const packets = [];
    for (const node of nodes) {
        for (const d of [traffic.nodeInfo(node), traffic.position(node, { move: false })]) {
            packets.push(traffic.envelope(node, 0, traffic.packetId(), d.portnum, d.payload));
        }
    }
    for (const node of nodes) {
        const others = nodes.filter(n => n !== node);
        const payload = toBinary(
            Mesh.NeighborInfoSchema,
            create(Mesh.NeighborInfoSchema, {
                nodeId: node.num,
                lastSentById: node.num,
                nodeBroadcastIntervalSecs: 900,
                neighbors: others.map(o => ({ nodeId: o.num, snr: 6.5 })),
            }),
        );
        packets.push(traffic.envelope(node, 0, traffic.packetId(), 71, payload));
    }
    return { nodes, packets, gateways: traffic.gateways };
}

/** Publishes packets as their gateways would (one MQTT client per gateway), `inflight` at a time per gateway. */
async function publishAsGateways(port, packets, gateways, host = '127.0.0.1') {
    const clients = await Promise.all(
        gateways.map(g =>
            mqtt.connectAsync({
                host,
                port,
                clientId: `ui-${g.clientId}-${process.pid}`,
                reconnectPeriod: 1000,
                connectTimeout: 10_000,
            }),
        ),
    );
    try {
        const queues = gateways.map(() => []);
        for (const p of packets) {
            queues[p.gw].push(p);
        }
        await Promise.all(
            queues.map(async (queue, g) => {
                const client = clients[g];
                const window = 100;
                for (let i = 0; i < queue.length; i += window) {
                    await Promise.all(
                        queue.slice(i, i + window).map(p => client.publishAsync(p.topic, p.payload, { qos: 1 })),
                    );
                }
            }),
        );
    } finally {
        await Promise.all(clients.map(c => c.endAsync()));
    }
}

module.exports = {
    ROOT,
    Listener,
    namedVectorNodes,
    impreciseVectorNodes,
    decodeChannelText,
    scalePackets,
    neighbourPairPackets,
    publishAsGateways,
};
