/**
 * ioBroker.meshtastic: lifecycle only. The configuration is normalised in src/lib/config, turned into the running
 * components in src/lib/wiring.ts, and `sendTo` is answered by src/lib/api (see docs/ARCHITECTURE.md).
 */
import * as utils from '@iobroker/adapter-core';
import { getHeapStatistics } from 'node:v8';
import { answerCommand } from './lib/api';
import { loadSecrets, memoryAdvice, normaliseConfig, type LoadedSecrets, type MeshtasticConfig } from './lib/config';
import { IDENTITY_OBJECT_ID, loadIdentity, type IdentityHost } from './lib/identity-store';
import type { VirtualNodeIdentity } from './lib/send';
import { writeInfoConnection } from './lib/states';
import { Wiring, type WiringHost } from './lib/wiring';

/** How long to wait for js-controller's restart after rewriting the instance object (secrets at rest). */
const RESTART_GRACE_MS = 3000;

export class MeshtasticAdapter extends utils.Adapter {
    /** The running components; absent until the configuration is valid (commands are then refused). */
    private wiring?: Wiring;
    private unloading = false;

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
        const secrets = await this.secretsAtRest();
        const result = normaliseConfig({ ...(this.config as unknown as Record<string, unknown>), ...secrets.values });
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
        const advice = memoryAdvice(config.maxNodes, getHeapStatistics().heap_size_limit / 1048576);
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
        this.wiring = new Wiring(this.wiringHost(), config, identity);
        await this.wiring.start();
    }

    /** The adapter as the wiring sees it: its states, its own timers (cleared on unload), certificates and subscriptions. */
    private wiringHost(): WiringHost {
        return {
            states: this,
            timers: {
                setTimeout: (cb, ms) => this.setTimeout(cb, ms),
                clearTimeout: handle => this.clearTimeout(handle as ioBroker.Timeout),
                setInterval: (cb, ms) => this.setInterval(cb, ms),
                clearInterval: handle => this.clearInterval(handle as ioBroker.Interval),
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
    private async secretsAtRest(): Promise<LoadedSecrets> {
        const id = `system.adapter.${this.namespace}`;
        try {
            const loaded = await loadSecrets({
                readInstanceObject: () => this.getForeignObjectAsync(id),
                writeInstanceNative: async fields => {
                    const obj = await this.getForeignObjectAsync(id);
                    if (obj) {
                        obj.native = { ...obj.native, ...fields };
                        await this.setForeignObjectAsync(id, obj);
                    }
                },
                readSystemSecret: async () => {
                    const secret: unknown = (await this.getForeignObjectAsync('system.config'))?.native?.secret;
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
                this.log.info(
                    `Secrets stored in plain text or an older form are now stored encrypted (${loaded.fixed.join(', ')}); the adapter restarts once`,
                );
            }
            return loaded;
        } catch (e) {
            this.log.warn(`Could not check how the secrets are stored: ${String(e)}`);
            return { fixed: [] };
        }
    }

    /** The virtual node's identity: configured, else kept in the `identity` object, else created there now. */
    private async loadIdentity(config: MeshtasticConfig): Promise<VirtualNodeIdentity | undefined> {
        const host: IdentityHost = {
            readIdentityObject: id => this.getObjectAsync(id),
            writeIdentityObject: async (id, native) => {
                await this.setObjectAsync(id, { type: 'folder', common: { name: 'Virtual node identity' }, native });
            },
            encrypt: value => this.encrypt(value),
            decrypt: value => this.decrypt(value),
        };
        try {
            const result = await loadIdentity(config.virtualNode, host);
            if (!result.ok) {
                this.log.error(`Virtual node: ${result.error}; sending is off`);
                return undefined;
            }
            if (result.created.length > 0) {
                // The key itself never appears in a log or a state; the object holds it encrypted.
                this.log.info(
                    `Virtual node ${result.identity.id} created (${result.created.join(' and ')} kept in ${this.namespace}.${IDENTITY_OBJECT_ID})`,
                );
            }
            return result.identity;
        } catch (e) {
            this.log.error(`Virtual node: the identity could not be read or stored (${String(e)}); sending is off`);
            return undefined;
        }
    }

    private onStateChange(id: string, state: ioBroker.State | null | undefined): void {
        if (state && !state.ack) {
            this.wiring?.onCommandWrite(id, state.val);
        }
    }

    private async onMessage(obj: ioBroker.Message): Promise<void> {
        if (!obj?.command || !obj.callback) {
            return;
        }
        const response = await answerCommand(this.wiring, obj.command, obj.message);
        this.sendTo(obj.from, obj.command, response, obj.callback);
    }

    private async onUnload(callback: () => void): Promise<void> {
        this.unloading = true;
        try {
            await this.wiring?.stop();
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
