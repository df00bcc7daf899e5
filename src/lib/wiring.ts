/**
 * Turns the normalised configuration into the running components and connects them:
 * transport → pipeline (codec → mesh) → state writer + tab feed, and the messenger back out through the transport.
 * ioBroker stays behind `WiringHost` (the adapter as the states layer sees it, its timers, certificates and
 * subscriptions); the `sendTo` commands read this object as their `ApiContext`.
 */
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { AlarmTimer } from './alarm-timer';
import { SendStateAcks, sendStateRequest, type ApiContext, type SendStateWrite } from './api';
import { KeyRing, PacketDecoder } from './codec';
import type { ChannelConfig, MeshtasticConfig, Mode } from './config';
import { MeshModel, type MeshEvent } from './mesh';
import { Pipeline } from './pipeline';
import { Messenger, type SendStatus, type VirtualNodeIdentity } from './send';
import { RateLog } from './log-once';
import {
    CadenceFilter,
    StateWriter,
    tracerouteRequestHex,
    writeInfoConnection,
    type StatesAdapter,
    type StateWriterStats,
} from './states';
import { storedWaypoints } from './states/waypoint-restore';
import { TabFeed } from './tab';
import { createTransport, type Transport, type TransportStatus } from './transport';
import {
    defaultClientId,
    listeningLine,
    meshOptionsOf,
    writeCadenceOf,
    sendChannelsOf,
    transportOptionsOf,
    type TransportEnvironment,
} from './wiring-options';

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

/** The adapter's own timers (cleared by js-controller on unload). */
export interface HostTimers {
    setTimeout: (callback: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
    setInterval: (callback: () => void, ms: number) => unknown;
    clearInterval: (handle: unknown) => void;
}

/** The part of the adapter the wiring needs beyond the states layer's own interface. */
export interface WiringHost {
    /** The adapter as the states layer sees it: the writer, `info.*` and send-state confirmations go through it. */
    readonly states: StatesAdapter;
    readonly timers: HostTimers;
    /** The TLS material of the named certificates; rejects when they cannot be loaded. */
    loadCertificates(
        certPublic: string,
        certPrivate: string,
        certChained: string,
    ): Promise<{ key: string; cert: string; ca?: string }>;
    /** Subscribes to the writable `send` states and `traceroute.request` buttons (only when sending is on). */
    subscribeSendStates(): Promise<void>;
}

export class Wiring implements ApiContext {
    readonly mesh: MeshModel;
    private feed?: TabFeed;
    private sender?: Messenger;
    private running = false;
    private readonly keyRing: KeyRing;
    private readonly decoder: PacketDecoder;
    private readonly acks: SendStateAcks;
    private writer?: StateWriter;
    /** Thins the writer's radio/lastHeard writes; the tab feed gets every event. */
    private readonly cadence: CadenceFilter;
    private pipeline?: Pipeline;
    private transport?: Transport;
    private readonly intervals: unknown[] = [];
    /** Turns detection alarms off on time (see `alarm-timer.ts`). */
    private readonly alarmTimer: AlarmTimer;
    private announceTimer: unknown;
    private stopping = false;
    /** One line per hour when traceroutes are refused at their hourly bound. */
    private readonly tracerouteBoundLog = new RateLog(3600_000, Date.now);

    constructor(
        private readonly host: WiringHost,
        private readonly config: MeshtasticConfig,
        readonly identity: VirtualNodeIdentity | undefined,
    ) {
        const ownNodeNum = identity?.nodeNum ?? 0;
        this.keyRing = new KeyRing(config.channels.map(c => ({ name: c.name, key: c.key })));
        this.decoder = new PacketDecoder({
            keyRing: this.keyRing,
            maxTopicLength: config.broker.maxTopicLength,
            legacyJson: config.legacyJson,
            pki: identity && {
                ownNodeNum: identity.nodeNum,
                privateKey: identity.privateKey,
                publicKeyOf: num => this.publicKeyOf(num),
            },
        });
        this.mesh = new MeshModel(
            meshOptionsOf(config, ownNodeNum),
            config.channels.map(c => c.name),
        );
        this.cadence = new CadenceFilter(writeCadenceOf(config), Date.now);
        this.acks = new SendStateAcks(write => void host.states.setState(write.id, write.val, true));
        this.alarmTimer = new AlarmTimer(host.timers, now => this.applyEvents(this.mesh.expireDetections(now)));
    }

    get tabFeed(): TabFeed | undefined {
        return this.feed;
    }

    get messenger(): Messenger | undefined {
        return this.sender;
    }

    get ready(): boolean {
        return this.running;
    }

    get connected(): boolean {
        return this.transport?.status().connected ?? false;
    }

    get mode(): Mode {
        return this.config.mode;
    }

    get channels(): readonly ChannelConfig[] {
        return this.config.channels;
    }

    get tileUrl(): string {
        return this.config.tileUrl;
    }

    writerCounters(): StateWriterStats | undefined {
        return this.writer?.counters();
    }

    /**
     * Restores the stored nodes, then starts the transport and the periodic work. False when it cannot run (the
     * reason is logged); the mesh then still answers commands.
     */
    async start(): Promise<boolean> {
        const config = this.config;
        const ownNodeNum = this.identity?.nodeNum ?? 0;
        const log = this.host.states.log;
        this.writer = new StateWriter(this.host.states, { maxNodes: config.maxNodes });
        const restored = await this.writer.init(config.channels.map(c => c.name));
        this.mesh.restore(restored);
        this.removeStrayNodes(this.writer);
        this.restoreWaypoints(this.writer);
        this.writer.setOwnNodeNum(ownNodeNum);
        this.feed = new TabFeed(this.mesh, { ownNodeNum });
        this.feed.seed(this.mesh.channels());
        this.pipeline = new Pipeline(
            this.decoder,
            this.mesh,
            { apply: events => this.applyEvents(events) },
            log,
            packet => this.sender?.onPacket(packet),
        );

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
        } catch (e) {
            log.error(String(e instanceof Error ? e.message : e));
            return false;
        }
        log.info(listeningLine(config));

        this.every(PRESENCE_TICK_MS, () => this.applyEvents(this.mesh.tick(Date.now())));
        this.every(STATS_INTERVAL_MS, () => this.writeStats());
        this.every(PURGE_INTERVAL_MS, () => this.applyEvents(this.mesh.purge(Date.now())));
        this.running = true;
        this.every(config.virtualNode.nodeInfoIntervalHours * 3600_000, () => this.sender?.announce());
        this.writer.apply(this.mesh.purge(Date.now()));
        return true;
    }

    /** Stops sending and the transport, then gives the last state writes a bounded time. */
    async stop(): Promise<void> {
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
        await Promise.race([this.writer?.flush(), delay(STOP_FLUSH_MS, undefined, { ref: false })]);
    }

    /** A command write (not ack) to a state of the instance, by full id: sends when it is a `send` state. */
    onCommandWrite(fullId: string, val: SendStateWrite['val']): void {
        const messenger = this.sender;
        const relativeId = fullId.slice(this.host.states.namespace.length + 1);
        const tracerouteHex = tracerouteRequestHex(relativeId);
        if (messenger && tracerouteHex !== undefined) {
            // confirmed once the request is published; the route (or nothing, on a timeout) lands in `.route`
            void messenger.traceroute(`!${tracerouteHex}`, () => void this.host.states.setState(fullId, val, true));
            return;
        }
        const target = messenger && this.writer?.sendStateTarget(relativeId);
        if (!messenger || !target) {
            return;
        }
        this.acks.sendFor({ id: fullId, val }, () => void messenger.send(sendStateRequest(target, val)));
    }

    private every(ms: number, callback: () => void): void {
        const interval = this.host.timers.setInterval(callback, ms);
        if (interval) {
            this.intervals.push(interval);
        }
    }

    private async createTransport(): Promise<Transport | undefined> {
        const config = this.config;
        const host = this.host;
        const env: TransportEnvironment = {
            clientIdFallback: defaultClientId(hostname(), host.states.namespace),
            logger: host.states.log,
            timers: host.timers,
        };
        const b = config.broker;
        if (config.mode === 'broker' && b.ssl) {
            try {
                const certs = await host.loadCertificates(b.certPublic, b.certPrivate, b.certChained);
                env.tls = { key: certs.key, cert: certs.cert, ca: certs.ca || undefined };
            } catch (e) {
                host.states.log.error(
                    `TLS is on, but the certificates "${b.certPublic}"/"${b.certPrivate}" cannot be loaded: ${String(e)}. ` +
                        'Choose existing certificates (System settings → Certificates) or create them with "iobroker cert create".',
                );
                return undefined;
            }
        }
        return createTransport(transportOptionsOf(config, env));
    }

    private async onTransportStatus(status: TransportStatus): Promise<void> {
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
        await writeInfoConnection(this.host.states, status.connected);
        if (this.config.mode === 'broker') {
            await this.host.states.setState('info.clients', JSON.stringify(status.clients), true);
        }
    }

    private publicKeyOf(num: number): Uint8Array | undefined {
        const key = this.mesh.node(num)?.user?.publicKey;
        return key ? Buffer.from(key, 'base64') : undefined;
    }

    private createMessenger(identity: VirtualNodeIdentity, transport: Transport): Messenger {
        const config = this.config;
        const vn = config.virtualNode;
        return new Messenger({
            root: config.rootTopic,
            identity,
            channels: sendChannelsOf(config, this.keyRing.channels),
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

    private onSendStatus(status: SendStatus): void {
        this.acks.onStatus(status);
        const target =
            status.to === 'broadcast'
                ? { kind: 'channel' as const, name: status.channel }
                : { kind: 'node' as const, hex: status.to.replace('!', '') };
        this.writer?.writeSendStatus(status, target);
        this.feed?.onSendStatus(status);
        if (status.status === 'failed') {
            this.host.states.log.warn(
                `Sending "${status.text.slice(0, 40)}" to ${status.to} on ${status.channel} failed: ${status.error ?? 'unknown reason'}`,
            );
        }
    }

    /**
     * Node trees the model did not take back (beyond a lowered maxNodes, or left without data by a crash during
     * creation) would stay outside every bound: remove them once at start.
     */
    private removeStrayNodes(writer: StateWriter): void {
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
    private restoreWaypoints(writer: StateWriter): void {
        const stored = storedWaypoints(writer);
        const taken = new Set(this.mesh.restoreWaypoints(stored));
        const stray = stored.filter(w => !taken.has(w.id));
        writer.apply(stray.map(w => ({ type: 'waypointRemoved', id: w.id, reason: 'limit' })));
    }

    /** Mesh changes go to the states and to the admin tab's feed. */
    private applyEvents(events: MeshEvent[]): void {
        this.writer?.apply(this.cadence.filter(events));
        this.feed?.apply(events);
        for (const event of events) {
            if (event.type === 'node' && event.sections.has('detection') && event.node.detection?.alarm) {
                this.alarmTimer.request(event.node.detection.time + this.mesh.detectionAlarmDuration);
            }
        }
    }

    private writeStats(): void {
        if (this.writer) {
            this.writer.writeStats(this.mesh.stats(), [...this.mesh.unknownChannels()]);
        }
    }
}
