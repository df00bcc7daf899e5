'use strict';
// Realistic Meshtastic MQTT traffic for the end-to-end benchmark (test/bench/e2e.js), built with the adapter's own
// compiled codec: encrypted LongFast envelopes as gateways uplink them (hop_start/hop_limit, rx SNR/RSSI, rx time),
// for a population of nodes whose values change slowly, with copies of a packet heard by several gateways.
// Deterministic (seeded), so runs are comparable.
const path = require('node:path');
const { create, toBinary } = require('@bufbuild/protobuf');
const { Telemetry } = require('@meshtastic/protobufs');

const PORT = { TEXT: 1, POSITION: 3, NODEINFO: 4, TELEMETRY: 67 };
/** Data.bitfield bit 0: the sender allows MQTT uplink ("OK to MQTT"). */
const BITFIELD_OK_TO_MQTT = 1;
const BROADCAST = 0xffffffff;
/** Node numbers of the simulated gateways and nodes (well away from each other and from reserved numbers). */
const GATEWAY_BASE = 0x0a0b0c00;
const NODE_BASE = 0x10000000;
const HW_MODELS = [9, 43, 48, 50, 71]; // RAK4631, HELTEC_V3, ..., enum numbers; the adapter shows their names
const ROLES = [0, 1, 2, 8];

function loadCodec() {
    const file = path.join(__dirname, '..', '..', 'build', 'lib', 'codec', 'index.js');
    try {
        return require(file);
    } catch (e) {
        throw new Error(`compiled codec not found at ${file}: run "npm run build" first (${e.message})`);
    }
}

/** Small fast seeded PRNG (mulberry32), [0, 1). */
function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const round = (value, step) => Math.round(value / step) * step;

class Traffic {
    /**
     * @param {{ root: string, channel?: string, psk?: string, gateways?: number, seed?: number, nodeBase?: number }} options
     */
    constructor({ root, channel = 'LongFast', psk = 'AQ==', gateways = 3, seed = 1, nodeBase = NODE_BASE }) {
        this.codec = loadCodec();
        const key = this.codec.parsePsk(psk);
        if (!key.ok) {
            throw new Error(`bad psk ${psk}`);
        }
        this.root = root;
        this.channel = this.codec.makeChannelKey(channel, key.value);
        this.rand = prng(seed);
        this.nodeBase = nodeBase;
        // Packet ids: unique per run (a random 32-bit start, then sequential), never 0.
        this.nextPacketId = (Math.floor(this.rand() * 0x7fffffff) | 1) >>> 0;
        this.gateways = [];
        for (let g = 0; g < gateways; g++) {
            const num = GATEWAY_BASE + g + 1;
            this.gateways.push({ index: g, num, id: this.codec.nodeIdString(num), clientId: `bench-gw-${g + 1}` });
        }
        this.nowSeconds = Math.floor(Date.now() / 1000);
    }

    packetId() {
        this.nextPacketId = (this.nextPacketId + 1) >>> 0 || 1;
        return this.nextPacketId;
    }

    /** A simulated node with slowly changing values. */
    node(i) {
        const num = (this.nodeBase + i) >>> 0;
        const hex = num.toString(16).padStart(8, '0');
        const r = prng(num);
        return {
            i,
            num,
            hex,
            id: `!${hex}`,
            longName: `Bench node ${i}`,
            shortName: hex.slice(-4),
            hwModel: HW_MODELS[i % HW_MODELS.length],
            role: ROLES[i % ROLES.length],
            home: i % this.gateways.length,
            hopLimit: 3 - (i % 4 === 0 ? 0 : 1 + (i % 3)), // hop_start 3: 0..3 hops away
            latitude: 48 + r() * 4,
            longitude: 7 + r() * 8,
            altitude: Math.round(100 + r() * 900),
            battery: 40 + Math.floor(r() * 60),
            uptime: Math.floor(r() * 1e6),
            channelUtilization: round(r() * 20, 0.5),
            airUtilTx: round(r() * 5, 0.1),
            temperature: round(5 + r() * 20, 0.1),
            humidity: Math.round(30 + r() * 50),
            pressure: round(990 + r() * 40, 0.1),
            positionTime: this.nowSeconds,
            texts: 0,
            /** Last Data payload bytes sent per kind (for exact repeats). */
            last: {},
        };
    }

    nodes(count) {
        const out = [];
        for (let i = 0; i < count; i++) {
            out.push(this.node(i));
        }
        return out;
    }

    /** Fixed radio metrics of a node as heard by a gateway (a repeat through the same gateway changes nothing). */
    radio(node, gateway) {
        return {
            rxSnr: round(-12 + ((node.i * 7 + gateway * 5) % 22), 0.25),
            rxRssi: -125 + ((node.i * 11 + gateway * 17) % 70),
        };
    }

    /** The encrypted envelope of one Data payload, as `gateway` uplinks it. */
    envelope(node, gateway, id, portnum, payload, to = BROADCAST) {
        const codec = this.codec;
        const gw = this.gateways[gateway];
        const header = codec.emptyHeader();
        header.from = node.num;
        header.to = to;
        header.id = id;
        header.channel = this.channel.hash;
        header.hopStart = 3;
        header.hopLimit = node.hopLimit;
        header.rxTime = this.nowSeconds;
        const radio = this.radio(node, gateway);
        header.rxSnr = radio.rxSnr;
        header.rxRssi = radio.rxRssi;
        const data = codec.encodeData({ portnum, payload, bitfield: BITFIELD_OK_TO_MQTT });
        const envelope = {
            channelId: this.channel.name,
            gatewayId: gw.id,
            header,
            encrypted: codec.ctrCrypt(this.channel, id, node.num, data),
        };
        return {
            gw: gateway,
            topic: codec.buildTopic(this.root, this.channel.name, gw.id),
            payload: Buffer.from(codec.encodeEnvelope(envelope)),
            from: node.num,
            id,
        };
    }

    // ---- Payloads (each remembers its bytes in node.last for exact repeats) -------------------------------------

    nodeInfo(node) {
        node.last.nodeinfo ??= this.codec.encodeUser({
            id: node.id,
            longName: node.longName,
            shortName: node.shortName,
            hwModel: node.hwModel,
            role: node.role,
        });
        return { portnum: PORT.NODEINFO, payload: node.last.nodeinfo };
    }

    /** Mostly unchanged: 10 % of reports move a little; the fix time advances like firmware's does. */
    position(node, { move = this.rand() < 0.1, advanceTime = true } = {}) {
        if (move) {
            node.latitude += (this.rand() - 0.5) * 2e-4;
            node.longitude += (this.rand() - 0.5) * 2e-4;
        }
        if (advanceTime) {
            node.positionTime += 60 + Math.floor(this.rand() * 840);
        }
        node.last.position = this.codec.encodePosition({
            latitude: node.latitude,
            longitude: node.longitude,
            altitude: node.altitude,
            time: node.positionTime,
            precisionBits: 32,
        });
        return { portnum: PORT.POSITION, payload: node.last.position };
    }

    /** Device metrics: uptime advances, battery/voltage/utilisation change slowly. */
    deviceTelemetry(node) {
        node.uptime += 900;
        if (this.rand() < 0.15) {
            node.battery = node.battery <= 20 ? 100 : node.battery - 1;
        }
        if (this.rand() < 0.3) {
            node.channelUtilization = Math.max(0, round(node.channelUtilization + (this.rand() - 0.5) * 2, 0.5));
        }
        if (this.rand() < 0.3) {
            node.airUtilTx = Math.max(0, round(node.airUtilTx + (this.rand() - 0.5) * 0.4, 0.1));
        }
        const value = {
            batteryLevel: node.battery,
            voltage: Math.round((3.3 + node.battery * 0.009) * 1000) / 1000,
            channelUtilization: node.channelUtilization,
            airUtilTx: node.airUtilTx,
            uptimeSeconds: node.uptime,
        };
        return this.telemetry(node, 'device', 'deviceMetrics', value);
    }

    /** Environment metrics: temperature/humidity/pressure drift slowly. */
    environmentTelemetry(node) {
        if (this.rand() < 0.3) {
            node.temperature = round(node.temperature + (this.rand() - 0.5) * 0.4, 0.1);
        }
        if (this.rand() < 0.2) {
            node.humidity = Math.min(100, Math.max(0, node.humidity + (this.rand() < 0.5 ? -1 : 1)));
        }
        if (this.rand() < 0.3) {
            node.pressure = round(node.pressure + (this.rand() - 0.5) * 0.4, 0.1);
        }
        const value = {
            temperature: node.temperature,
            relativeHumidity: node.humidity,
            barometricPressure: node.pressure,
        };
        return this.telemetry(node, 'environment', 'environmentMetrics', value);
    }

    /** A Telemetry packet of one variant, kept as the node's last of its `kind` (the repeat plan sends it again). */
    telemetry(node, kind, variant, value) {
        node.last[kind] = toBinary(
            Telemetry.TelemetrySchema,
            create(Telemetry.TelemetrySchema, { time: 0, variant: { case: variant, value } }),
        );
        return { portnum: PORT.TELEMETRY, payload: node.last[kind] };
    }

    text(node) {
        node.texts++;
        return { portnum: PORT.TEXT, payload: this.codec.encodeText(`bench ${node.shortName} #${node.texts}`) };
    }

    // ---- Scenarios ------------------------------------------------------------------------------------------------

    /**
     * Every node sends each kind of packet of the steady mix once (NodeInfo, position, device and environment
     * telemetry, a text), through its home gateway: afterwards the nodes are known with all their objects, as after
     * a while in a real mesh, and the steady phase measures writes rather than first-time object creation.
     */
    warmup(nodes) {
        const out = [];
        for (const make of [
            n => this.nodeInfo(n),
            n => this.position(n, { move: false }),
            n => this.deviceTelemetry(n),
            n => this.environmentTelemetry(n),
            n => this.text(n),
        ]) {
            for (const node of nodes) {
                const d = make(node);
                out.push(this.envelope(node, node.home, this.packetId(), d.portnum, d.payload));
            }
        }
        return out;
    }

    /**
     * `total` packets of a realistic mix: device telemetry 35 %, position 30 % (mostly unchanged), NodeInfo repeats
     * 20 %, environment telemetry 10 %, texts 5 %; each packet is heard by its home gateway and with 22 % by one,
     * with 13 % by two more gateways (≈ 30 % of all packets are duplicates). Copies follow their original closely.
     */
    steady(nodes, total) {
        const out = [];
        let unique = 0;
        while (out.length < total) {
            const node = nodes[Math.floor(this.rand() * nodes.length)];
            const k = this.rand();
            const d =
                k < 0.35
                    ? this.deviceTelemetry(node)
                    : k < 0.65
                      ? this.position(node)
                      : k < 0.85
                        ? this.nodeInfo(node)
                        : k < 0.95
                          ? this.environmentTelemetry(node)
                          : this.text(node);
            const id = this.packetId();
            unique++;
            out.push(this.envelope(node, node.home, id, d.portnum, d.payload));
            const extra = this.gateways.length < 2 ? 0 : this.rand();
            const copies = extra < 0.13 ? Math.min(2, this.gateways.length - 1) : extra < 0.35 ? 1 : 0;
            for (let c = 1; c <= copies && out.length < total; c++) {
                const copy = this.envelope(node, (node.home + c) % this.gateways.length, id, d.portnum, d.payload);
                copy.duplicate = true;
                out.push(copy);
            }
        }
        return { packets: out, unique, duplicates: out.length - unique };
    }

    /**
     * A plan of `count` repeats: random (node, kind) pairs whose last payload exists. `repeatsOf(plan)` turns it into
     * packets with fresh ids (so they are no duplicates) repeating those payloads unchanged; a plan can be sent twice.
     */
    repeatPlan(nodes, count) {
        const plan = [];
        const kinds = [
            ['nodeinfo', PORT.NODEINFO],
            ['position', PORT.POSITION],
            ['device', PORT.TELEMETRY],
            ['environment', PORT.TELEMETRY],
        ];
        let guard = count * 20;
        while (plan.length < count && guard-- > 0) {
            const node = nodes[Math.floor(this.rand() * nodes.length)];
            const [kind, portnum] = kinds[Math.floor(this.rand() * kinds.length)];
            const payload = node.last[kind];
            if (payload) {
                plan.push({ node, portnum, payload });
            }
        }
        return plan;
    }

    /** Packets (fresh ids, each node's home gateway) of a `repeatPlan`. */
    repeatsOf(plan) {
        return plan.map(({ node, portnum, payload }) =>
            this.envelope(node, node.home, this.packetId(), portnum, payload),
        );
    }

    /** `count` fresh packets repeating nodes' last NodeInfo/position/telemetry unchanged. */
    unchangedRepeats(nodes, count) {
        return this.repeatsOf(this.repeatPlan(nodes, count));
    }

    /**
     * A flood of `count` distinct, never seen nodes (one packet each: NodeInfo 40 %, position 30 %, device
     * telemetry 30 %), spread over the gateways.
     */
    flood(count, firstIndex) {
        const out = [];
        for (let j = 0; j < count; j++) {
            const node = this.node(firstIndex + j);
            const k = this.rand();
            const d =
                k < 0.4
                    ? this.nodeInfo(node)
                    : k < 0.7
                      ? this.position(node, { move: false })
                      : this.deviceTelemetry(node);
            out.push(this.envelope(node, node.home, this.packetId(), d.portnum, d.payload));
        }
        return out;
    }
}

module.exports = { Traffic, PORT, GATEWAY_BASE, NODE_BASE, prng };
