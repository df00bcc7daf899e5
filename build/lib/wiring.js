"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Wiring = void 0;
/**
 * Turns the normalised configuration into the running components and connects them:
 * transport → pipeline (codec → mesh) → state writer + tab feed, and the messenger back out through the transport.
 * ioBroker stays behind `WiringHost` (the adapter as the states layer sees it, its timers, certificates and
 * subscriptions); the `sendTo` commands read this object as their `ApiContext`.
 */
const node_os_1 = require("node:os");
const promises_1 = require("node:timers/promises");
const alarm_timer_1 = require("./alarm-timer");
const api_1 = require("./api");
const codec_1 = require("./codec");
const mesh_1 = require("./mesh");
const pipeline_1 = require("./pipeline");
const send_1 = require("./send");
const log_once_1 = require("./log-once");
const states_1 = require("./states");
const waypoint_restore_1 = require("./states/waypoint-restore");
const tab_1 = require("./tab");
const transport_1 = require("./transport");
const wiring_options_1 = require("./wiring-options");
const PRESENCE_TICK_MS = 30_000;
const STATS_INTERVAL_MS = 5_000;
const PURGE_INTERVAL_MS = 6 * 3600_000;
/** At most this long for the last state writes on stop. */
const STOP_FLUSH_MS = 3000;
/**
 * The NodeInfo announcement waits this long after the connection comes up: a gateway subscribes to the downlink topic
 * only after its CONNACK, and an announcement published before would reach no radio.
 */
const ANNOUNCE_DELAY_MS = 1500;
class Wiring {
    host;
    config;
    identity;
    mesh;
    feed;
    sender;
    running = false;
    keyRing;
    decoder;
    acks;
    writer;
    /** Thins the writer's radio/lastHeard writes; the tab feed gets every event. */
    cadence;
    pipeline;
    transport;
    intervals = [];
    /** Turns detection alarms off on time (see `alarm-timer.ts`). */
    alarmTimer;
    announceTimer;
    stopping = false;
    /** One line per hour when traceroutes are refused at their hourly bound. */
    tracerouteBoundLog = new log_once_1.RateLog(3600_000, Date.now);
    constructor(host, config, identity) {
        this.host = host;
        this.config = config;
        this.identity = identity;
        const ownNodeNum = identity?.nodeNum ?? 0;
        this.keyRing = new codec_1.KeyRing(config.channels.map(c => ({ name: c.name, key: c.key })));
        this.decoder = new codec_1.PacketDecoder({
            keyRing: this.keyRing,
            maxTopicLength: config.broker.maxTopicLength,
            legacyJson: config.legacyJson,
            pki: identity && {
                ownNodeNum: identity.nodeNum,
                privateKey: identity.privateKey,
                publicKeyOf: num => this.publicKeyOf(num),
            },
        });
        this.mesh = new mesh_1.MeshModel((0, wiring_options_1.meshOptionsOf)(config, ownNodeNum), config.channels.map(c => c.name));
        this.cadence = new states_1.CadenceFilter((0, wiring_options_1.writeCadenceOf)(config), Date.now);
        this.acks = new api_1.SendStateAcks(write => void host.states.setState(write.id, write.val, true));
        this.alarmTimer = new alarm_timer_1.AlarmTimer(host.timers, now => this.applyEvents(this.mesh.expireDetections(now)));
    }
    get tabFeed() {
        return this.feed;
    }
    get messenger() {
        return this.sender;
    }
    get ready() {
        return this.running;
    }
    get connected() {
        return this.transport?.status().connected ?? false;
    }
    get mode() {
        return this.config.mode;
    }
    get channels() {
        return this.config.channels;
    }
    get tileUrl() {
        return this.config.tileUrl;
    }
    writerCounters() {
        return this.writer?.counters();
    }
    /**
     * Restores the stored nodes, then starts the transport and the periodic work. False when it cannot run (the
     * reason is logged); the mesh then still answers commands.
     */
    async start() {
        const config = this.config;
        const ownNodeNum = this.identity?.nodeNum ?? 0;
        const log = this.host.states.log;
        this.writer = new states_1.StateWriter(this.host.states, { maxNodes: config.maxNodes });
        const restored = await this.writer.init(config.channels.map(c => c.name));
        this.mesh.restore(restored);
        this.removeStrayNodes(this.writer);
        this.restoreWaypoints(this.writer);
        this.writer.setOwnNodeNum(ownNodeNum);
        this.feed = new tab_1.TabFeed(this.mesh, { ownNodeNum });
        this.feed.seed(this.mesh.channels());
        this.pipeline = new pipeline_1.Pipeline(this.decoder, this.mesh, { apply: events => this.applyEvents(events) }, log, packet => this.sender?.onPacket(packet));
        const transport = await this.createTransport();
        if (!transport) {
            return false;
        }
        this.transport = transport;
        if (this.identity) {
            this.sender = this.createMessenger(this.identity, transport);
            await this.host.subscribeSendStates();
        }
        transport.onMessage(message => this.pipeline?.handle(message));
        transport.onStatus(status => void this.onTransportStatus(status));
        try {
            await transport.start();
        }
        catch (e) {
            log.error(String(e instanceof Error ? e.message : e));
            return false;
        }
        log.info((0, wiring_options_1.listeningLine)(config));
        this.every(PRESENCE_TICK_MS, () => this.applyEvents(this.mesh.tick(Date.now())));
        this.every(STATS_INTERVAL_MS, () => this.writeStats());
        this.every(PURGE_INTERVAL_MS, () => this.applyEvents(this.mesh.purge(Date.now())));
        this.running = true;
        this.every(config.virtualNode.nodeInfoIntervalHours * 3600_000, () => this.sender?.announce());
        this.writer.apply(this.mesh.purge(Date.now()));
        return true;
    }
    /** Stops sending and the transport, then gives the last state writes a bounded time. */
    async stop() {
        this.stopping = true;
        const timers = this.host.timers;
        for (const interval of this.intervals) {
            timers.clearInterval(interval);
        }
        if (this.announceTimer !== undefined) {
            timers.clearTimeout(this.announceTimer);
            this.announceTimer = undefined;
        }
        this.alarmTimer.stop();
        this.sender?.stop();
        await this.transport?.stop();
        this.writeStats();
        // The adapter's own timers are refused while it shuts down, so the bound here is a plain (unref'd) one.
        await Promise.race([this.writer?.flush(), (0, promises_1.setTimeout)(STOP_FLUSH_MS, undefined, { ref: false })]);
    }
    /** A command write (not ack) to a state of the instance, by full id: sends when it is a `send` state. */
    onCommandWrite(fullId, val) {
        const messenger = this.sender;
        const relativeId = fullId.slice(this.host.states.namespace.length + 1);
        const tracerouteHex = (0, states_1.tracerouteRequestHex)(relativeId);
        if (messenger && tracerouteHex !== undefined) {
            // confirmed once the request is published; the route (or nothing, on a timeout) lands in `.route`
            void messenger.traceroute(`!${tracerouteHex}`, () => void this.host.states.setState(fullId, val, true));
            return;
        }
        const target = messenger && this.writer?.sendStateTarget(relativeId);
        if (!messenger || !target) {
            return;
        }
        this.acks.sendFor({ id: fullId, val }, () => void messenger.send((0, api_1.sendStateRequest)(target, val)));
    }
    every(ms, callback) {
        const interval = this.host.timers.setInterval(callback, ms);
        if (interval) {
            this.intervals.push(interval);
        }
    }
    async createTransport() {
        const config = this.config;
        const host = this.host;
        const env = {
            clientIdFallback: (0, wiring_options_1.defaultClientId)((0, node_os_1.hostname)(), host.states.namespace),
            logger: host.states.log,
            timers: host.timers,
        };
        const b = config.broker;
        if (config.mode === 'broker' && b.ssl) {
            try {
                const certs = await host.loadCertificates(b.certPublic, b.certPrivate, b.certChained);
                env.tls = { key: certs.key, cert: certs.cert, ca: certs.ca || undefined };
            }
            catch (e) {
                host.states.log.error(`TLS is on, but the certificates "${b.certPublic}"/"${b.certPrivate}" cannot be loaded: ${String(e)}. ` +
                    'Choose existing certificates (System settings → Certificates) or create them with "iobroker cert create".');
                return undefined;
            }
        }
        return (0, transport_1.createTransport)((0, wiring_options_1.transportOptionsOf)(config, env));
    }
    async onTransportStatus(status) {
        if (this.stopping) {
            return;
        }
        if (status.connected) {
            this.sender?.resume();
            if (this.sender && this.announceTimer === undefined) {
                this.announceTimer = this.host.timers.setTimeout(() => {
                    this.announceTimer = undefined;
                    if (!this.stopping) {
                        this.sender?.announceAfterConnect();
                    }
                }, ANNOUNCE_DELAY_MS);
            }
        }
        await (0, states_1.writeInfoConnection)(this.host.states, status.connected);
        if (this.config.mode === 'broker') {
            await this.host.states.setState('info.clients', JSON.stringify(status.clients), true);
        }
    }
    publicKeyOf(num) {
        const key = this.mesh.node(num)?.user?.publicKey;
        return key ? Buffer.from(key, 'base64') : undefined;
    }
    createMessenger(identity, transport) {
        const config = this.config;
        const vn = config.virtualNode;
        return new send_1.Messenger({
            root: config.rootTopic,
            identity,
            channels: (0, wiring_options_1.sendChannelsOf)(config, this.keyRing.channels),
            hopLimit: vn.hopLimit,
            sendSpacingMs: vn.sendSpacingMs,
            ackTimeoutSeconds: vn.ackTimeoutSeconds,
            allowChannelDm: vn.allowChannelDm,
            publicKeyOf: num => this.publicKeyOf(num),
            nodeExists: num => this.mesh.node(num) !== undefined,
            publish: (topic, payload) => transport.publish(topic, payload),
            isConnected: () => transport.status().connected,
            timers: this.host.timers,
            now: () => Date.now(),
            onStatus: status => this.onSendStatus(status),
            onTracerouteBound: error => {
                const skipped = this.tracerouteBoundLog.allow('bound');
                if (skipped !== undefined) {
                    this.host.states.log.warn(`Traceroute refused: ${error}`);
                }
            },
        });
    }
    onSendStatus(status) {
        this.acks.onStatus(status);
        const target = status.to === 'broadcast'
            ? { kind: 'channel', name: status.channel }
            : { kind: 'node', hex: status.to.replace('!', '') };
        this.writer?.writeSendStatus(status, target);
        this.feed?.onSendStatus(status);
        if (status.status === 'failed') {
            this.host.states.log.warn(`Sending "${status.text.slice(0, 40)}" to ${status.to} on ${status.channel} failed: ${status.error ?? 'unknown reason'}`);
        }
    }
    /**
     * Node trees the model did not take back (beyond a lowered maxNodes, or left without data by a crash during
     * creation) would stay outside every bound: remove them once at start.
     */
    removeStrayNodes(writer) {
        const kept = new Set([...this.mesh.nodes()].map(node => node.hex));
        const stray = writer.knownNodeHexes().filter(hex => !kept.has(hex));
        for (const hex of stray) {
            void writer.removeNode(hex);
        }
        if (stray.length) {
            this.host.states.log.info(`Removed ${stray.length} stored node(s) beyond maxNodes or without data`);
        }
    }
    /** Stored waypoints back into the model (they still expire); trees beyond the bound are removed. */
    restoreWaypoints(writer) {
        const stored = (0, waypoint_restore_1.storedWaypoints)(writer);
        const taken = new Set(this.mesh.restoreWaypoints(stored));
        const stray = stored.filter(w => !taken.has(w.id));
        writer.apply(stray.map(w => ({ type: 'waypointRemoved', id: w.id, reason: 'limit' })));
    }
    /** Mesh changes go to the states and to the admin tab's feed. */
    applyEvents(events) {
        this.writer?.apply(this.cadence.filter(events));
        this.feed?.apply(events);
        for (const event of events) {
            if (event.type === 'node' && event.sections.has('detection') && event.node.detection?.alarm) {
                this.alarmTimer.request(event.node.detection.time + this.mesh.detectionAlarmDuration);
            }
        }
    }
    writeStats() {
        if (this.writer) {
            this.writer.writeStats(this.mesh.stats(), [...this.mesh.unknownChannels()]);
        }
    }
}
exports.Wiring = Wiring;
