/** The connection settings: broker mode, client mode (with its presets) and the MQTT root topic (pure). */
import type { BrokerSettings, ClientPreset, ClientSettings, Mode } from './types';
import type { FieldReader } from './field-reader';

/** Well-known servers offered in the form. The public server's read-only credentials are published by Meshtastic. */
export const CLIENT_PRESETS: Record<Exclude<ClientPreset, 'custom'>, { url: string; user: string; pass: string }> = {
    meshtastic: { url: 'mqtt://mqtt.meshtastic.org:1883', user: 'meshdev', pass: 'large4cats' },
    messhost: { url: 'mqtt://mqtt.mess.host:1883', user: '', pass: '' },
    bashcat: { url: 'mqtt://mqtt.bashcat.net:1883', user: '', pass: '' },
};

/** The embedded broker's settings; warns when it would be open to anyone. */
export function readBroker(reader: FieldReader, mode: Mode): BrokerSettings {
    const broker: BrokerSettings = {
        bind: reader.string('bind', '0.0.0.0') || '0.0.0.0',
        port: reader.integer('port', 1883, 1, 65534), // 65535 is impossible: WebSocket uses port + 1
        webSocket: reader.bool('webSocket', false),
        ssl: reader.bool('ssl', false),
        certPublic: reader.string('certPublic', ''),
        certPrivate: reader.string('certPrivate', ''),
        certChained: reader.string('certChained', ''),
        user: reader.string('user', ''),
        pass: reader.string('pass', ''),
        maxClients: reader.integer('maxClients', 50, 1, 10000),
        maxTopicLength: reader.integer('maxTopicLength', 256, 32, 65535),
        maxPacketSize: reader.integer('maxPacketSize', 8192, 512, 1048576),
    };
    if (mode === 'broker' && broker.ssl && (!broker.certPublic || !broker.certPrivate)) {
        reader.fail('certPublic', 'TLS is on but no public/private certificate is selected');
    }
    if (mode === 'broker' && broker.bind !== '127.0.0.1' && broker.bind !== '::1' && !broker.user) {
        reader.warn('user', 'the embedded broker accepts anyone who can reach it: set a user and password');
    }
    return broker;
}

/** The MQTT root topic (`msh/EU_868`): no wildcards, no `/2/` (the adapter adds it). */
export function readRootTopic(reader: FieldReader): string {
    const root = reader.string('rootTopic', 'msh/EU_868').replace(/\/+$/, '');
    if (!root) {
        reader.fail('rootTopic', 'must not be empty (e.g. msh/EU_868)');
    } else if (/[+#]/.test(root) || root.startsWith('/') || root.includes('//') || /(^|\/)2(\/|$)/.test(root)) {
        reader.fail('rootTopic', `"${root}" is not a root topic (e.g. msh/EU_868, without wildcards or /2/)`);
    } else if (root.length > 128) {
        reader.fail('rootTopic', 'is longer than 128 characters');
    }
    return root;
}

/** Client mode's settings; a preset fills in its server and its published credentials. */
export function readClient(reader: FieldReader, mode: Mode): ClientSettings {
    const preset = reader.oneOf<ClientPreset>(
        'clientPreset',
        ['custom', 'meshtastic', 'messhost', 'bashcat'],
        'custom',
    );
    let url = reader.string('url', '');
    let user = reader.string('user', '');
    let pass = reader.string('pass', '');
    if (preset !== 'custom') {
        const p = CLIENT_PRESETS[preset];
        url = p.url;
        user = user || p.user;
        pass = pass || p.pass;
    }
    if (mode === 'client') {
        if (!url) {
            reader.fail('url', 'a broker URL is needed in client mode (e.g. mqtt://192.168.1.10:1883)');
        } else {
            if (!/^[a-z]+:\/\//i.test(url)) {
                url = `mqtt://${url}`;
            }
            try {
                const parsed = new URL(url);
                if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:', 'tls:'].includes(parsed.protocol)) {
                    reader.fail(
                        'url',
                        `unsupported scheme "${parsed.protocol}" (use mqtt://, mqtts://, ws:// or wss://)`,
                    );
                }
            } catch {
                reader.fail('url', `"${url}" is not a valid URL`);
            }
        }
    }
    const qos = reader.integer('qos', 0, 0, 1) as 0 | 1;
    return {
        preset,
        url,
        user,
        pass,
        clientId: reader.string('clientId', ''),
        qos,
        rejectUnauthorized: reader.bool('rejectUnauthorized', true),
        caCert: reader.string('caCert', ''),
    };
}
