import { expect } from 'chai';
import { KeyRing } from './codec';
import { clientSubscriptions, normaliseConfig, type MeshtasticConfig } from './config';
import {
    DEDUP_WINDOW_MS,
    defaultClientId,
    listeningLine,
    meshOptionsOf,
    sendChannelsOf,
    transportOptionsOf,
    writeCadenceOf,
    type TransportEnvironment,
} from './wiring-options';

const native = {
    mode: 'broker',
    bind: '127.0.0.1',
    port: 1883,
    rootTopic: 'msh/EU_868',
    channels: [
        { name: 'LongFast', psk: 'AQ==', downlink: true },
        { name: 'Private', psk: 'AQ==', downlink: false },
    ],
};

function configOf(overrides: Record<string, unknown> = {}): MeshtasticConfig {
    const result = normaliseConfig({ ...native, ...overrides });
    if (!result.ok) {
        throw new Error(JSON.stringify(result.errors));
    }
    return result.config;
}

const env: TransportEnvironment = {
    clientIdFallback: 'iobroker-host-meshtastic.0',
    logger: { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined },
    timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
};

describe('wiring-options', () => {
    it('hands the mesh the normalised bounds and our own node number', () => {
        const config = configOf({ maxNodes: 42, offlineMinutes: 30, allowList: '!11111111', maxHops: 3 });
        const options = meshOptionsOf(config, 0x1e0b0001);
        expect(options).to.include({
            maxNodes: 42,
            offlineMinutes: 30,
            maxHops: 3,
            purgeDays: config.purgeDays,
            historySize: config.historySize,
            dedupWindowMs: DEDUP_WINDOW_MS,
            ownNodeNum: 0x1e0b0001,
        });
        expect([...options.allowList]).to.deep.equal([0x11111111]);
    });

    it('hands the writer the write cadence: radio at most hourly and lastHeard per 30 min by default', () => {
        expect(writeCadenceOf(configOf())).to.deep.equal({
            radio: 'interval',
            radioMs: 3_600_000,
            lastHeardMs: 1_800_000,
        });
        expect(
            writeCadenceOf(configOf({ radioWrites: 'packet', radioMinutes: '60', lastHeardMinutes: 0 })),
        ).to.deep.equal({ radio: 'packet', radioMs: 3_600_000, lastHeardMs: 0 });
        expect(writeCadenceOf(configOf({ radioWrites: 'off' })).radio).to.equal('off');
    });

    it('broker mode: limits as configured, TLS as loaded, an empty login as none', () => {
        const tls = { key: 'K', cert: 'C' };
        const options = transportOptionsOf(configOf({ maxClients: 7 }), { ...env, tls });
        expect(options).to.include({ mode: 'broker', bind: '127.0.0.1', port: 1883, maxClients: 7, tls });
        expect(options.user).to.equal(undefined);
        expect(options.pass).to.equal(undefined);
        const login = transportOptionsOf(configOf({ user: 'gw', pass: 'secret' }), env);
        expect(login).to.include({ user: 'gw', pass: 'secret', tls: undefined });
    });

    it('client mode: the derived client id when none is set, and the subscriptions of the configuration', () => {
        const config = configOf({ mode: 'client', url: 'mqtt://10.0.0.2:1883' });
        const options = transportOptionsOf(config, env);
        expect(options).to.include({ mode: 'client', url: 'mqtt://10.0.0.2:1883', clientId: env.clientIdFallback });
        expect(options.mode === 'client' && options.subscriptions).to.deep.equal(clientSubscriptions(config));
        expect(options.mode === 'client' && options.ca).to.equal(undefined);
        const own = transportOptionsOf(configOf({ mode: 'client', url: 'mqtt://h', clientId: 'mine' }), env);
        expect(own).to.include({ clientId: 'mine' });
    });

    it('derives a client id every broker accepts from host and instance', () => {
        expect(defaultClientId('my host.local', 'meshtastic.0')).to.equal('iobroker-my_host.local-meshtastic.0');
    });

    it('gives each send channel the downlink setting of its configured channel', () => {
        const config = configOf();
        const ring = new KeyRing(config.channels.map(c => ({ name: c.name, key: c.key })));
        const channels = sendChannelsOf(config, ring.channels);
        expect(channels.map(c => [c.name, c.downlink])).to.deep.equal([
            ['LongFast', true],
            ['Private', false],
        ]);
        expect(channels[0].hash).to.equal(ring.channels[0].hash);
    });

    it('says where it listens or connects to', () => {
        expect(listeningLine(configOf())).to.equal('Embedded MQTT broker listening on 127.0.0.1:1883');
        expect(listeningLine(configOf({ webSocket: true, port: 1884 }))).to.equal(
            'Embedded MQTT broker listening on 127.0.0.1:1884, WebSocket on 1885',
        );
        expect(listeningLine(configOf({ mode: 'client', url: 'mqtt://10.0.0.2:1883' }))).to.equal(
            'Connecting to mqtt://10.0.0.2:1883',
        );
    });
});
