"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.MeshtasticAdapter = void 0;
/**
 * ioBroker.meshtastic: lifecycle and wiring only. The work is done in src/lib:
 * transport → codec → mesh → states (see docs/ARCHITECTURE.md).
 */
const utils = __importStar(require("@iobroker/adapter-core"));
const node_os_1 = require("node:os");
const codec_1 = require("./lib/codec");
const config_1 = require("./lib/config");
const mesh_1 = require("./lib/mesh");
const pipeline_1 = require("./lib/pipeline");
const states_1 = require("./lib/states");
const transport_1 = require("./lib/transport");
const PRESENCE_TICK_MS = 30_000;
const STATS_INTERVAL_MS = 5_000;
const PURGE_INTERVAL_MS = 6 * 3600_000;
class MeshtasticAdapter extends utils.Adapter {
    settings;
    transport;
    mesh;
    writer;
    pipeline;
    timers = [];
    unloading = false;
    constructor(options = {}) {
        super({ ...options, name: 'meshtastic' });
        this.on('ready', () => void this.onReady());
        this.on('message', obj => void this.onMessage(obj));
        this.on('unload', callback => void this.onUnload(callback));
    }
    async onReady() {
        await this.setState('info.connection', false, true);
        const result = (0, config_1.normaliseConfig)(this.config);
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
        const keyRing = new codec_1.KeyRing(config.channels.map(c => ({ name: c.name, key: c.key })));
        const decoder = new codec_1.PacketDecoder({
            keyRing,
            maxTopicLength: config.broker.maxTopicLength,
            legacyJson: config.legacyJson,
        });
        this.mesh = new mesh_1.MeshModel({
            maxNodes: config.maxNodes,
            offlineMinutes: config.offlineMinutes,
            purgeDays: config.purgeDays,
            allowList: config.allowList,
            maxHops: config.maxHops,
            historySize: config.historySize,
            dedupWindowMs: 10 * 60_000,
            ownNodeNum: 0,
        }, config.channels.map(c => c.name));
        this.writer = new states_1.StateWriter(this, { maxNodes: config.maxNodes });
        const restored = await this.writer.init(config.channels.map(c => c.name));
        this.mesh.restore(restored);
        this.pipeline = new pipeline_1.Pipeline(decoder, this.mesh, this.writer, this.log);
        const transport = await this.createTransport(config);
        if (!transport) {
            return;
        }
        this.transport = transport;
        transport.onMessage(message => this.pipeline?.handle(message));
        transport.onStatus(status => void this.onTransportStatus(status));
        try {
            await transport.start();
        }
        catch (e) {
            this.log.error(String(e instanceof Error ? e.message : e));
            return;
        }
        this.log.info(config.mode === 'broker'
            ? `Embedded MQTT broker listening on ${config.broker.bind}:${config.broker.port}` +
                `${config.broker.ssl ? ' (TLS)' : ''}${config.broker.webSocket ? `, WebSocket on ${config.broker.port + 1}` : ''}`
            : `Connecting to ${config.client.url}`);
        this.timers.push(this.setInterval(() => this.writer?.apply(this.mesh?.tick(Date.now()) ?? []), PRESENCE_TICK_MS), this.setInterval(() => this.writeStats(), STATS_INTERVAL_MS), this.setInterval(() => this.writer?.apply(this.mesh?.purge(Date.now()) ?? []), PURGE_INTERVAL_MS));
        this.writer.apply(this.mesh.purge(Date.now()));
    }
    async createTransport(config) {
        const logger = this.log;
        const timers = {
            setTimeout: (cb, ms) => this.setTimeout(cb, ms),
            clearTimeout: (handle) => this.clearTimeout(handle),
        };
        if (config.mode === 'client') {
            const c = config.client;
            return (0, transport_1.createTransport)({
                mode: 'client',
                url: c.url,
                user: c.user || undefined,
                pass: c.pass || undefined,
                clientId: c.clientId || `iobroker-${(0, node_os_1.hostname)()}-${this.namespace}`.replace(/[^\w.-]/g, '_'),
                qos: c.qos,
                rejectUnauthorized: c.rejectUnauthorized,
                ca: c.caCert || undefined,
                subscriptions: (0, config_1.clientSubscriptions)(config),
                logger,
                timers,
            });
        }
        const b = config.broker;
        let tls;
        if (b.ssl) {
            try {
                const [certs] = await this.getCertificatesAsync(b.certPublic, b.certPrivate, b.certChained);
                tls = { key: certs.key, cert: certs.cert, ca: certs.ca?.length ? certs.ca.join('\n') : undefined };
            }
            catch (e) {
                this.log.error(`TLS is on, but the certificates "${b.certPublic}"/"${b.certPrivate}" cannot be loaded: ${String(e)}. ` +
                    'Choose existing certificates (System settings → Certificates) or create them with "iobroker cert create".');
                return undefined;
            }
        }
        return (0, transport_1.createTransport)({
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
    async onTransportStatus(status) {
        if (this.unloading) {
            return;
        }
        await this.setState('info.connection', status.connected, true);
        if (this.settings?.mode === 'broker') {
            await this.setState('info.clients', JSON.stringify(status.clients), true);
        }
    }
    writeStats() {
        if (this.mesh && this.writer) {
            this.writer.writeStats(this.mesh.stats(), [...this.mesh.unknownChannels()]);
        }
    }
    onMessage(obj) {
        if (!obj?.command || !obj.callback) {
            return;
        }
        const reply = (response) => {
            this.sendTo(obj.from, obj.command, response, obj.callback);
        };
        const message = (typeof obj.message === 'object' && obj.message !== null ? obj.message : {});
        const mesh = this.mesh;
        if (!mesh) {
            reply({ error: 'the adapter is not running (check the configuration and the log)' });
            return;
        }
        switch (obj.command) {
            case 'findNodes': {
                const query = typeof message.query === 'string' ? message.query : typeof obj.message === 'string' ? obj.message : '';
                const limit = typeof message.limit === 'number' && message.limit > 0 ? Math.min(message.limit, 1000) : 50;
                reply({ nodes: mesh.findNodes(query).slice(0, limit).map(states_1.nodeSummary) });
                break;
            }
            case 'getNode': {
                const id = typeof message.id === 'string' || typeof message.id === 'number' ? String(message.id) : typeof obj.message === 'string' ? obj.message : '';
                const node = mesh.findNodes(id).find(n => n.id === id || n.hex === id.replace('!', '').toLowerCase() || String(n.num) === id);
                reply(node ? { node: (0, states_1.nodeSummary)(node, true) } : { error: `no node ${id}` });
                break;
            }
            case 'getStats':
                reply({
                    stats: mesh.stats(),
                    nodes: [...mesh.nodes()].length,
                    unknownChannels: [...mesh.unknownChannels()],
                    writer: this.writer?.counters(),
                    memory: { rssMB: Math.round(process.memoryUsage().rss / 1048576), heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576) },
                });
                break;
            default:
                reply({ error: `unknown command "${obj.command}"` });
        }
    }
    async onUnload(callback) {
        this.unloading = true;
        try {
            for (const timer of this.timers) {
                this.clearInterval(timer);
            }
            await this.transport?.stop();
            this.writeStats();
            await this.writer?.flush(3000);
            await this.setState('info.connection', false, true);
        }
        catch (e) {
            this.log.debug(`unload: ${String(e)}`);
        }
        finally {
            callback();
        }
    }
}
exports.MeshtasticAdapter = MeshtasticAdapter;
if (require.main !== module) {
    module.exports = (options) => new MeshtasticAdapter(options);
}
else {
    (() => new MeshtasticAdapter())();
}
