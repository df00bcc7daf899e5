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
 * ioBroker.meshtastic: lifecycle only. The configuration is normalised in src/lib/config, turned into the running
 * components in src/lib/wiring.ts, and `sendTo` is answered by src/lib/api (see docs/ARCHITECTURE.md).
 */
const utils = __importStar(require("@iobroker/adapter-core"));
const node_v8_1 = require("node:v8");
const api_1 = require("./lib/api");
const config_1 = require("./lib/config");
const identity_store_1 = require("./lib/identity-store");
const states_1 = require("./lib/states");
const wiring_1 = require("./lib/wiring");
/** How long to wait for js-controller's restart after rewriting the instance object (secrets at rest). */
const RESTART_GRACE_MS = 3000;
class MeshtasticAdapter extends utils.Adapter {
    /** The running components; absent until the configuration is valid (commands are then refused). */
    wiring;
    unloading = false;
    constructor(options = {}) {
        // Objects are always created from the state table before their first value: the per-write object check would
        // only add a DB round trip to every setState.
        super({ ...options, name: 'meshtastic', strictObjectChecks: false });
        this.on('ready', () => void this.onReady());
        this.on('message', obj => void this.onMessage(obj));
        this.on('stateChange', (id, state) => this.onStateChange(id, state));
        this.on('unload', callback => void this.onUnload(callback));
    }
    async onReady() {
        await (0, states_1.writeInfoConnection)(this, false);
        const secrets = await this.secretsAtRest();
        const result = (0, config_1.normaliseConfig)({ ...this.config, ...secrets.values });
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
        const advice = (0, config_1.memoryAdvice)(config.maxNodes, (0, node_v8_1.getHeapStatistics)().heap_size_limit / 1048576);
        if (advice !== undefined) {
            this.log.warn(advice);
        }
        const identity = await this.loadIdentity(config);
        if (secrets.fixed.length > 0) {
            // js-controller restarts the instance for the rewritten object within moments: starting the broker now
            // would accept packets that the restart then drops. Without a controller (test harness) nothing comes.
            await this.delay(RESTART_GRACE_MS);
            if (this.unloading) {
                return;
            }
        }
        this.wiring = new wiring_1.Wiring(this.wiringHost(), config, identity);
        await this.wiring.start();
    }
    /** The adapter as the wiring sees it: its states, its own timers (cleared on unload), certificates and subscriptions. */
    wiringHost() {
        return {
            states: this,
            timers: {
                setTimeout: (cb, ms) => this.setTimeout(cb, ms),
                clearTimeout: handle => this.clearTimeout(handle),
                setInterval: (cb, ms) => this.setInterval(cb, ms),
                clearInterval: handle => this.clearInterval(handle),
            },
            loadCertificates: async (certPublic, certPrivate, certChained) => {
                const [certs] = await this.getCertificatesAsync(certPublic, certPrivate, certChained);
                return certs;
            },
            subscribeSendStates: async () => {
                await this.subscribeStatesAsync('channels.*.send');
                await this.subscribeStatesAsync('nodes.*.send');
                await this.subscribeStatesAsync('nodes.*.traceroute.request');
            },
        };
    }
    /**
     * The secrets as stored in the instance object (js-controller's decrypted copy is garbage for a plain value); any
     * found in plain text or an older form are stored encrypted, once: the second start finds nothing and writes
     * nothing. Without the instance object, js-controller's copy is used as it is.
     */
    async secretsAtRest() {
        const id = `system.adapter.${this.namespace}`;
        try {
            const loaded = await (0, config_1.loadSecrets)({
                readInstanceObject: () => this.getForeignObjectAsync(id),
                writeInstanceNative: async (fields) => {
                    const obj = await this.getForeignObjectAsync(id);
                    if (obj) {
                        obj.native = { ...obj.native, ...fields };
                        await this.setForeignObjectAsync(id, obj);
                    }
                },
                readSystemSecret: async () => {
                    const secret = (await this.getForeignObjectAsync('system.config'))?.native?.secret;
                    return typeof secret === 'string' ? secret : undefined;
                },
                encrypt: value => this.encrypt(value),
                decrypt: value => this.decrypt(value),
            });
            if (loaded.writeError !== undefined) {
                this.log.warn(`Could not store the secrets encrypted: ${loaded.writeError}`);
            }
            if (loaded.fixed.length > 0) {
                // Field names only, never a value.
                this.log.info(`Secrets stored in plain text or an older form are now stored encrypted (${loaded.fixed.join(', ')}); the adapter restarts once`);
            }
            return loaded;
        }
        catch (e) {
            this.log.warn(`Could not check how the secrets are stored: ${String(e)}`);
            return { fixed: [] };
        }
    }
    /** The virtual node's identity: configured, else kept in the `identity` object, else created there now. */
    async loadIdentity(config) {
        const host = {
            readIdentityObject: id => this.getObjectAsync(id),
            writeIdentityObject: async (id, native) => {
                await this.setObjectAsync(id, { type: 'folder', common: { name: 'Virtual node identity' }, native });
            },
            encrypt: value => this.encrypt(value),
            decrypt: value => this.decrypt(value),
        };
        try {
            const result = await (0, identity_store_1.loadIdentity)(config.virtualNode, host);
            if (!result.ok) {
                this.log.error(`Virtual node: ${result.error}; sending is off`);
                return undefined;
            }
            if (result.created.length > 0) {
                // The key itself never appears in a log or a state; the object holds it encrypted.
                this.log.info(`Virtual node ${result.identity.id} created (${result.created.join(' and ')} kept in ${this.namespace}.${identity_store_1.IDENTITY_OBJECT_ID})`);
            }
            return result.identity;
        }
        catch (e) {
            this.log.error(`Virtual node: the identity could not be read or stored (${String(e)}); sending is off`);
            return undefined;
        }
    }
    onStateChange(id, state) {
        if (state && !state.ack) {
            this.wiring?.onCommandWrite(id, state.val);
        }
    }
    async onMessage(obj) {
        if (!obj?.command || !obj.callback) {
            return;
        }
        const response = await (0, api_1.answerCommand)(this.wiring, obj.command, obj.message);
        this.sendTo(obj.from, obj.command, response, obj.callback);
    }
    async onUnload(callback) {
        this.unloading = true;
        try {
            await this.wiring?.stop();
            await (0, states_1.writeInfoConnection)(this, false);
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
