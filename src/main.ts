/**
 * ioBroker.meshtastic: lifecycle and wiring only. The work is done in src/lib:
 * transport → codec → mesh → states (see docs/ARCHITECTURE.md).
 */
import * as utils from '@iobroker/adapter-core';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { KeyRing, PacketDecoder, parseNodeId } from './lib/codec';
import {
    clientSubscriptions,
    decryptChannelKeys,
    encryptPlainChannelKeys,
    memoryAdvice,
    normaliseConfig,
    type MeshtasticConfig,
} from './lib/config';
import { MeshModel, type MeshEvent, type NodeRecord } from './lib/mesh';
import { Pipeline } from './lib/pipeline';
import { createIdentity, Messenger, type SendStatus, type VirtualNodeIdentity } from './lib/send';
import { nodeSummary } from './lib/api/node-summary';
import { StateWriter, writeInfoConnection } from './lib/states';
import { TabFeed } from './lib/tab';
import { createTransport, type Transport, type TransportStatus } from './lib/transport';

const PRESENCE_TICK_MS = 30_000;
const STATS_INTERVAL_MS = 5_000;
const PURGE_INTERVAL_MS = 6 * 3600_000;
/** How long to wait for js-controller's restart after storing a generated identity. */
const RESTART_GRACE_MS = 3000;
/** At most this long for the last state writes on unload. */
const UNLOAD_FLUSH_MS = 3000;
/**
 * The NodeInfo announcement waits this long after the connection comes up: a gateway subscribes to the downlink topic
 * only after its CONNACK, and an announcement published before would reach no radio.
 */
const ANNOUNCE_DELAY_MS = 1500;

/** The node a command names: `{ id }` or the message itself as text (`!a1b2c3d4`, hex or number). */
function requestedNode(
    mesh: MeshModel,
    raw: unknown,
    message: Record<string, unknown>,
): { id: string; node?: Readonly<NodeRecord> } {
    const id =
        typeof message.id === 'string' || typeof message.id === 'number'
            ? String(message.id)
            : typeof raw === 'string'
              ? raw
              : '';
    const num = parseNodeId(id);
    return { id, node: num === undefined ? undefined : mesh.node(num) };
}

/** The process memory in MB for getStats: resident, V8 heap (used / reserved) and memory outside the heap (buffers). */
function memoryFigures(): { rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number } {
    const m = process.memoryUsage();
    const mb = (bytes: number): number => Math.round(bytes / 1048576);
    return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external) };
}

export class MeshtasticAdapter extends utils.Adapter {
    private settings?: MeshtasticConfig;
    private transport?: Transport;
    private mesh?: MeshModel;
    private writer?: StateWriter;
    private pipeline?: Pipeline;
    private messenger?: Messenger;
    /** What the admin tab polls (node rows by revision, the chat log, telemetry series). */
    private tabFeed?: TabFeed;
    private identity?: VirtualNodeIdentity;
    /** Send state ids waiting for their packet to be published, by packet id (confirmed with ack=true then). */
    private readonly sendStates = new Map<number, { id: string; val: ioBroker.StateValue }>();
    private sendingState?: { id: string; val: ioBroker.StateValue };
    private readonly timers: ioBroker.Interval[] = [];
    /** The adapter's own timers (cleared on unload), handed to the transport and the send path. */
    private readonly adapterTimers = {
        setTimeout: (cb: () => void, ms: number): unknown => this.setTimeout(cb, ms),
        clearTimeout: (handle: unknown): void => this.clearTimeout(handle as ioBroker.Timeout),
    };
    private unloading = false;
    private announceTimer: ioBroker.Timeout | undefined;
    /** The virtual node's identity was generated and stored in this run (a restart follows). */
    private identityStored = false;
    /** Stored nodes are restored and the transport is up. */
    private ready = false;

    public constructor(options: Partial<utils.AdapterOptions> = {}) {
        // Objects are always created from the state table before their first value: the per-write object check would
        // only add a DB round trip to every setState.
        super({ ...options, name: 'meshtastic', strictObjectChecks: false });
        this.on('ready', () => void this.onReady());
        this.on('message', obj => void this.onMessage(obj));
        this.on('stateChange', (id, state) => this.onStateChange(id, state));
        this.on('unload', callback => void this.onUnload(callback));
    }

    private async onReady(): Promise<void> {
        await writeInfoConnection(this, false);
        const result = normaliseConfig(
            decryptChannelKeys(this.config as unknown as Record<string, unknown>, value => this.decrypt(value)),
        );
        if (!result.ok) {
            for (const problem of result.errors) {
                this.log.error(`Invalid configuration: ${problem.field} ${problem.message}`);
            }
            this.log.error('Invalid configuration: the adapter does not start until the settings above are fixed');
            return;
        }
        for (const problem of result.warnings) {
            this.log.warn(`Configuration: ${problem.field}: ${problem.message}`);
        }
        const config = result.config;
        this.settings = config;
        const advice = memoryAdvice(config.maxNodes, getHeapStatistics().heap_size_limit / 1048576);
        if (advice !== undefined) {
            this.log.warn(advice);
        }

        const identity = await this.loadIdentity(config);
        const secretsRewritten = await this.encryptSecretsAtRest();
        if (this.identityStored || secretsRewritten) {
            // js-controller restarts the instance for the stored identity within moments: starting the broker now
            // would accept packets that the restart then drops. Without a controller (test harness) nothing comes.
            await this.delay(RESTART_GRACE_MS);
            if (this.unloading) {
                return;
            }
        }
        const keyRing = new KeyRing(config.channels.map(c => ({ name: c.name, key: c.key })));
        const decoder = new PacketDecoder({
            keyRing,
            maxTopicLength: config.broker.maxTopicLength,
            legacyJson: config.legacyJson,
            pki: identity && {
                ownNodeNum: identity.nodeNum,
                privateKey: identity.privateKey,
                publicKeyOf: num => this.publicKeyOf(num),
            },
        });
        this.mesh = new MeshModel(
            {
                maxNodes: config.maxNodes,
                offlineMinutes: config.offlineMinutes,
                purgeDays: config.purgeDays,
                allowList: config.allowList,
                maxHops: config.maxHops,
                historySize: config.historySize,
                dedupWindowMs: 10 * 60_000,
                ownNodeNum: identity?.nodeNum ?? 0,
            },
            config.channels.map(c => c.name),
        );
        this.writer = new StateWriter(this, { maxNodes: config.maxNodes });
        const restored = await this.writer.init(config.channels.map(c => c.name));
        this.mesh.restore(restored);
        this.removeStrayNodes();
        this.writer.setOwnNodeNum(identity?.nodeNum ?? 0);
        this.identity = identity;
        this.tabFeed = new TabFeed(this.mesh, { ownNodeNum: identity?.nodeNum ?? 0 });
        this.tabFeed.seed(this.mesh.channels());
        this.pipeline = new Pipeline(
            decoder,
            this.mesh,
            { apply: events => this.applyEvents(events) },
            this.log,
            packet => this.messenger?.onPacket(packet),
        );

        const transport = await this.createTransport(config);
        if (!transport) {
            return;
        }
        this.transport = transport;
        if (identity) {
            this.messenger = this.createMessenger(config, identity, keyRing, transport);
            await this.subscribeStatesAsync('channels.*.send');
            await this.subscribeStatesAsync('nodes.*.send');
        }
        transport.onMessage(message => this.pipeline?.handle(message));
        transport.onStatus(status => void this.onTransportStatus(status));
        try {
            await transport.start();
        } catch (e) {
            this.log.error(String(e instanceof Error ? e.message : e));
            return;
        }
        this.log.info(
            config.mode === 'broker'
                ? `Embedded MQTT broker listening on ${config.broker.bind}:${config.broker.port}` +
                      `${config.broker.ssl ? ' (TLS)' : ''}${config.broker.webSocket ? `, WebSocket on ${config.broker.port + 1}` : ''}`
                : `Connecting to ${config.client.url}`,
        );

        this.every(PRESENCE_TICK_MS, () => this.applyEvents(this.mesh?.tick(Date.now()) ?? []));
        this.every(STATS_INTERVAL_MS, () => this.writeStats());
        this.every(PURGE_INTERVAL_MS, () => this.applyEvents(this.mesh?.purge(Date.now()) ?? []));
        this.ready = true;
        this.every(config.virtualNode.nodeInfoIntervalHours * 3600_000, () => this.messenger?.announce());
        this.writer.apply(this.mesh.purge(Date.now()));
    }

    private every(ms: number, callback: () => void): void {
        const timer = this.setInterval(callback, ms);
        if (timer) {
            this.timers.push(timer);
        }
    }

    private async createTransport(config: MeshtasticConfig): Promise<Transport | undefined> {
        const logger = this.log;
        const timers = this.adapterTimers;
        if (config.mode === 'client') {
            const c = config.client;
            return createTransport({
                mode: 'client',
                url: c.url,
                user: c.user || undefined,
                pass: c.pass || undefined,
                clientId: c.clientId || `iobroker-${hostname()}-${this.namespace}`.replace(/[^\w.-]/g, '_'),
                qos: c.qos,
                rejectUnauthorized: c.rejectUnauthorized,
                ca: c.caCert || undefined,
                subscriptions: clientSubscriptions(config),
                logger,
                timers,
            });
        }
        const b = config.broker;
        let tls: { key: string; cert: string; ca?: string } | undefined;
        if (b.ssl) {
            try {
                const [certs] = await this.getCertificatesAsync(b.certPublic, b.certPrivate, b.certChained);
                tls = { key: certs.key, cert: certs.cert, ca: certs.ca || undefined };
            } catch (e) {
                this.log.error(
                    `TLS is on, but the certificates "${b.certPublic}"/"${b.certPrivate}" cannot be loaded: ${String(e)}. ` +
                        'Choose existing certificates (System settings → Certificates) or create them with "iobroker cert create".',
                );
                return undefined;
            }
        }
        return createTransport({
            mode: 'broker',
            bind: b.bind,
            port: b.port,
            webSocket: b.webSocket,
            tls,
            user: b.user || undefined,
            pass: b.pass || undefined,
            maxClients: b.maxClients,
            maxTopicLength: b.maxTopicLength,
            maxPacketSize: b.maxPacketSize,
            logger,
            timers,
        });
    }

    private async onTransportStatus(status: TransportStatus): Promise<void> {
        if (this.unloading) {
            return;
        }
        if (status.connected) {
            this.messenger?.resume();
            if (this.messenger && this.announceTimer === undefined) {
                this.announceTimer = this.setTimeout(() => {
                    this.announceTimer = undefined;
                    if (!this.unloading) {
                        this.messenger?.announceAfterConnect();
                    }
                }, ANNOUNCE_DELAY_MS);
            }
        }
        await writeInfoConnection(this, status.connected);
        if (this.settings?.mode === 'broker') {
            await this.setState('info.clients', JSON.stringify(status.clients), true);
        }
    }

    /**
     * Channel keys written in plain text without admin (CLI, script, backup restore) are stored encrypted, once: the
     * second start finds nothing plain and writes nothing. True when the instance object was written (restart follows).
     */
    private async encryptSecretsAtRest(): Promise<boolean> {
        const id = `system.adapter.${this.namespace}`;
        try {
            const obj = await this.getForeignObjectAsync(id);
            const native = obj?.native as Record<string, unknown> | undefined;
            if (!obj || !native) {
                return false;
            }
            const channels = encryptPlainChannelKeys(
                native,
                value => this.decrypt(value),
                value => this.encrypt(value),
            );
            if (channels === undefined) {
                return false;
            }
            native.channels = channels;
            await this.setForeignObjectAsync(id, obj);
            this.log.info('Channel keys found in plain text in the configuration are now stored encrypted');
            return true;
        } catch (e) {
            this.log.warn(`Could not store the channel keys encrypted: ${String(e)}`);
            return false;
        }
    }

    /** The virtual node's identity: configured, or generated once and stored (the private key encrypted). */
    private async loadIdentity(config: MeshtasticConfig): Promise<VirtualNodeIdentity | undefined> {
        const vn = config.virtualNode;
        const result = createIdentity({
            nodeNum: vn.nodeNum,
            longName: vn.longName,
            shortName: vn.shortName,
            hwModel: vn.hwModel,
            role: vn.role,
            privateKey: vn.privateKey,
        });
        if (!result.ok) {
            this.log.error(`Virtual node: ${result.error}; sending is off`);
            return undefined;
        }
        if (result.generatedNodeNum || result.generatedKey) {
            this.log.info(
                `Virtual node ${result.identity.id} created; storing its id and key (the adapter restarts once)`,
            );
            // updateConfig encrypts privateKey (encryptedNative); the key never appears in a log or a state.
            await this.updateConfig({ nodeId: result.identity.id, privateKey: result.privateKeyBase64 });
            this.identityStored = true;
        }
        return result.identity;
    }

    private publicKeyOf(num: number): Uint8Array | undefined {
        const key = this.mesh?.node(num)?.user?.publicKey;
        return key ? Buffer.from(key, 'base64') : undefined;
    }

    private createMessenger(
        config: MeshtasticConfig,
        identity: VirtualNodeIdentity,
        keyRing: KeyRing,
        transport: Transport,
    ): Messenger {
        const vn = config.virtualNode;
        return new Messenger({
            root: config.rootTopic,
            identity,
            channels: keyRing.channels.map((key, i) => ({ ...key, downlink: config.channels[i].downlink })),
            hopLimit: vn.hopLimit,
            sendSpacingMs: vn.sendSpacingMs,
            ackTimeoutSeconds: vn.ackTimeoutSeconds,
            allowChannelDm: vn.allowChannelDm,
            publicKeyOf: num => this.publicKeyOf(num),
            nodeExists: num => this.mesh?.node(num) !== undefined,
            publish: (topic, payload) => transport.publish(topic, payload),
            isConnected: () => transport.status().connected,
            timers: this.adapterTimers,
            now: () => Date.now(),
            onStatus: status => this.onSendStatus(status),
        });
    }

    private onSendStatus(status: SendStatus): void {
        if (this.sendingState && status.id !== 0 && !this.sendStates.has(status.id)) {
            this.sendStates.set(status.id, this.sendingState);
        }
        const waiting = this.sendStates.get(status.id);
        if (waiting && (status.status === 'sent' || status.status === 'acked')) {
            // Published: confirm the command state, as ioBroker expects for a handled write.
            this.sendStates.delete(status.id);
            void this.setState(waiting.id, { val: waiting.val, ack: true });
        } else if (waiting && status.status === 'failed') {
            this.sendStates.delete(status.id);
        }
        const target =
            status.to === 'broadcast'
                ? { kind: 'channel' as const, name: status.channel }
                : { kind: 'node' as const, hex: status.to.replace('!', '') };
        this.writer?.writeSendStatus(status, target);
        this.tabFeed?.onSendStatus(status);
        if (status.status === 'failed') {
            this.log.warn(
                `Sending "${status.text.slice(0, 40)}" to ${status.to} on ${status.channel} failed: ${status.error ?? 'unknown reason'}`,
            );
        }
    }

    private onStateChange(id: string, state: ioBroker.State | null | undefined): void {
        if (!state || state.ack || !this.messenger || !this.writer) {
            return;
        }
        const target = this.writer.sendStateTarget(id.slice(this.namespace.length + 1));
        if (!target) {
            return;
        }
        const request =
            target.kind === 'channel'
                ? { text: state.val, channel: target.name }
                : { text: state.val, to: `!${target.hex}` };
        this.sendingState = { id, val: state.val };
        try {
            void this.messenger.send(request);
        } finally {
            this.sendingState = undefined;
        }
    }

    /**
     * Node trees the model did not take back (beyond a lowered maxNodes, or left without data by a crash during
     * creation) would stay outside every bound: remove them once at start.
     */
    private removeStrayNodes(): void {
        if (!this.mesh || !this.writer) {
            return;
        }
        const kept = new Set([...this.mesh.nodes()].map(node => node.hex));
        const stray = this.writer.knownNodeHexes().filter(hex => !kept.has(hex));
        for (const hex of stray) {
            void this.writer.removeNode(hex);
        }
        if (stray.length) {
            this.log.info(`Removed ${stray.length} stored node(s) beyond maxNodes or without data`);
        }
    }

    /** Mesh changes go to the states and to the admin tab's feed. */
    private applyEvents(events: MeshEvent[]): void {
        this.writer?.apply(events);
        this.tabFeed?.apply(events);
    }

    private writeStats(): void {
        if (this.mesh && this.writer) {
            this.writer.writeStats(this.mesh.stats(), [...this.mesh.unknownChannels()]);
        }
    }

    private onMessage(obj: ioBroker.Message): void {
        if (!obj?.command || !obj.callback) {
            return;
        }
        const reply = (response: Record<string, unknown>): void => {
            this.sendTo(obj.from, obj.command, response, obj.callback);
        };
        const message = (typeof obj.message === 'object' && obj.message !== null ? obj.message : {}) as Record<
            string,
            unknown
        >;
        const mesh = this.mesh;
        if (!mesh) {
            reply({ error: 'the adapter is not running (check the configuration and the log)' });
            return;
        }
        switch (obj.command) {
            case 'findNodes': {
                const query =
                    typeof message.query === 'string'
                        ? message.query
                        : typeof obj.message === 'string'
                          ? obj.message
                          : '';
                const limit =
                    typeof message.limit === 'number' && message.limit > 0 ? Math.min(message.limit, 1000) : 50;
                reply({ nodes: mesh.findNodes(query).slice(0, limit).map(nodeSummary) });
                break;
            }
            case 'getNode': {
                const { id, node } = requestedNode(mesh, obj.message, message);
                reply(node ? { node: nodeSummary(node, true) } : { error: `no node ${id}` });
                break;
            }
            case 'send': {
                if (!this.messenger) {
                    reply({ error: 'sending is off (see the log: the virtual node could not be set up)' });
                    break;
                }
                void this.messenger
                    .send({
                        text: message.text,
                        channel: message.channel,
                        to: message.to,
                        wantAck: message.wantAck !== false,
                    })
                    .then(result => reply({ ...result }));
                break;
            }
            case 'tabPoll': {
                // The admin tab: rows and chat entries changed since `since` of `epoch` (all of them when it is behind).
                const since = typeof message.since === 'number' ? message.since : 0;
                const epoch = typeof message.epoch === 'number' ? message.epoch : 0;
                const poll = this.tabFeed?.poll(since, epoch);
                reply({
                    ...poll,
                    ready: this.ready,
                    connected: this.transport?.status().connected ?? false,
                    mode: this.settings?.mode,
                    canSend: this.messenger !== undefined,
                    own: this.identity && {
                        hex: this.identity.id.replace('!', ''),
                        id: this.identity.id,
                        longName: this.identity.longName,
                    },
                    channels: this.tabChannels(),
                    tileUrl: this.settings?.tileUrl,
                    stats: mesh.stats(),
                });
                break;
            }
            case 'tabNode': {
                const { id, node } = requestedNode(mesh, obj.message, message);
                reply(
                    node
                        ? {
                              node: nodeSummary(node, true),
                              series: this.tabFeed?.seriesOf(node.num) ?? {},
                              history: node.history,
                          }
                        : { error: `no node ${id}` },
                );
                break;
            }
            case 'getStats':
                reply({
                    ready: this.ready,
                    stats: mesh.stats(),
                    nodes: mesh.nodeCount(),
                    unknownChannels: [...mesh.unknownChannels()],
                    writer: this.writer?.counters(),
                    memory: memoryFigures(),
                });
                break;
            default:
                reply({ error: `unknown command "${obj.command}"` });
        }
    }

    /** Channels the tab offers for chat: the configured ones (sendable when downlink is on), then those only heard. */
    private tabChannels(): { name: string; canSend: boolean }[] {
        const configured = this.settings?.channels ?? [];
        const list = configured.map(c => ({ name: c.name, canSend: this.messenger !== undefined && c.downlink }));
        for (const channel of this.mesh?.channels() ?? []) {
            if (!list.some(c => c.name === channel.name)) {
                list.push({ name: channel.name, canSend: false });
            }
        }
        return list;
    }

    private async onUnload(callback: () => void): Promise<void> {
        this.unloading = true;
        try {
            for (const timer of this.timers) {
                this.clearInterval(timer);
            }
            if (this.announceTimer !== undefined) {
                this.clearTimeout(this.announceTimer);
                this.announceTimer = undefined;
            }
            this.messenger?.stop();
            await this.transport?.stop();
            this.writeStats();
            // The adapter's own timers are refused while it shuts down, so the bound here is a plain (unref'd) one.
            await Promise.race([this.writer?.flush(), delay(UNLOAD_FLUSH_MS, undefined, { ref: false })]);
            await writeInfoConnection(this, false);
        } catch (e) {
            this.log.debug(`unload: ${String(e)}`);
        } finally {
            callback();
        }
    }
}

if (require.main !== module) {
    module.exports = (options: Partial<utils.AdapterOptions> | undefined) => new MeshtasticAdapter(options);
} else {
    (() => new MeshtasticAdapter())();
}
