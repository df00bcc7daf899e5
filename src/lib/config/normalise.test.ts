import { expect } from 'chai';
import { clientSubscriptions, DEFAULT_TILE_URL, normaliseConfig, type ConfigResult, type MeshtasticConfig } from '.';

const defaults = {
    mode: 'broker',
    bind: '127.0.0.1',
    port: 1883,
    rootTopic: 'msh/EU_868',
    channels: [{ name: 'LongFast', psk: 'AQ==', downlink: true }],
};

function ok(result: ConfigResult): MeshtasticConfig {
    if (!result.ok) {
        throw new Error(`expected a valid config, got ${JSON.stringify(result.errors)}`);
    }
    return result.config;
}

function errorFields(native: Record<string, unknown>): string[] {
    const result = normaliseConfig({ ...defaults, ...native });
    return result.ok ? [] : result.errors.map(e => e.field);
}

describe('config: normaliseConfig', () => {
    it('accepts the io-package defaults and expands the default key', () => {
        const config = ok(normaliseConfig(defaults));
        expect(config.mode).to.equal('broker');
        expect(config.broker.port).to.equal(1883);
        expect(config.channels).to.have.length(1);
        expect(Buffer.from(config.channels[0].key).toString('hex')).to.equal('d4f1bb3a20290759f0bcffabcf4e6901');
        expect(config.channels[0].downlink).to.equal(true);
        expect(config.virtualNode.shortName).to.equal('IOB');
    });

    it('writes radio states at most hourly and lastHeard per 30 min by default (a small machine on a busy mesh)', () => {
        const config = ok(normaliseConfig(defaults));
        expect(config).to.include({ radioWrites: 'interval', radioMinutes: 60, lastHeardMinutes: 30 });
        const perPacket = ok(normaliseConfig({ ...defaults, radioWrites: 'packet', lastHeardMinutes: '0' }));
        expect(perPacket).to.include({ radioWrites: 'packet', lastHeardMinutes: 0 });
    });

    it('accepts numbers given as strings, as older admin versions store them', () => {
        const config = ok(normaliseConfig({ ...defaults, port: '11883', maxNodes: ' 42 ' }));
        expect(config.broker.port).to.equal(11883);
        expect(config.maxNodes).to.equal(42);
    });

    const broken: [string, Record<string, unknown>, string][] = [
        ['port out of range', { port: 70000 }, 'port'],
        ['port not a number', { port: 'abc' }, 'port'],
        ['unknown mode', { mode: 'server' }, 'mode'],
        ['bad base64 key', { channels: [{ name: 'A', psk: '!!notbase64!!' }] }, 'channels[1].psk'],
        [
            'impossible key length',
            { channels: [{ name: 'A', psk: Buffer.alloc(40).toString('base64') }] },
            'channels[1].psk',
        ],
        [
            'duplicate channel names',
            {
                channels: [
                    { name: 'A', psk: 'AQ==' },
                    { name: 'A', psk: 'Ag==' },
                ],
            },
            'channels[2].name',
        ],
        ['empty channel name', { channels: [{ name: ' ', psk: 'AQ==' }] }, 'channels[1].name'],
        ['channel name too long', { channels: [{ name: 'ABCDEFGHIJKL', psk: 'AQ==' }] }, 'channels[1].name'],
        ['no channel at all', { channels: [] }, 'channels'],
        ['wildcard in root topic', { rootTopic: 'msh/#' }, 'rootTopic'],
        ['short name over 4 bytes', { shortName: 'DeadBeef' }, 'shortName'],
        ['allow-list garbage', { allowList: '!a1b2c3d4, hello' }, 'allowList'],
        ['client mode without URL', { mode: 'client', url: '' }, 'url'],
        ['client mode with http URL', { mode: 'client', url: 'http://example.org' }, 'url'],
        ['TLS without certificates', { ssl: true }, 'certPublic'],
        ['hop limit above 7', { hopLimit: 8 }, 'hopLimit'],
        ['unknown radio write mode', { radioWrites: 'sometimes' }, 'radioWrites'],
        ['radio interval of 0 minutes', { radioMinutes: 0 }, 'radioMinutes'],
        ['negative lastHeard granularity', { lastHeardMinutes: -1 }, 'lastHeardMinutes'],
    ];
    for (const [what, native, field] of broken) {
        it(`names the field on ${what}`, () => {
            expect(errorFields(native)).to.include(field);
        });
    }

    it('reports every broken field at once', () => {
        expect(errorFields({ port: 0, mode: 'x', rootTopic: '' })).to.include.members(['port', 'mode', 'rootTopic']);
    });

    it('never puts a key into an error message', () => {
        const secret = Buffer.alloc(40, 7).toString('base64');
        const result = normaliseConfig({ ...defaults, channels: [{ name: 'A', psk: secret }] });
        expect(result.ok).to.equal(false);
        expect(JSON.stringify(result)).not.to.include(secret);
    });

    it('fills the public server preset, keeping user-supplied credentials', () => {
        const config = ok(normaliseConfig({ ...defaults, mode: 'client', clientPreset: 'meshtastic' }));
        expect(config.client.url).to.equal('mqtt://mqtt.meshtastic.org:1883');
        expect(config.client.user).to.equal('meshdev');
        const own = ok(
            normaliseConfig({ ...defaults, mode: 'client', clientPreset: 'meshtastic', user: 'me', pass: 'x' }),
        );
        expect(own.client.user).to.equal('me');
    });

    it('adds mqtt:// to a bare host name in client mode', () => {
        const config = ok(normaliseConfig({ ...defaults, mode: 'client', url: '192.168.1.5:1883' }));
        expect(config.client.url).to.equal('mqtt://192.168.1.5:1883');
    });

    it('warns about an open broker reachable from the network', () => {
        const result = normaliseConfig({ ...defaults, bind: '0.0.0.0' });
        expect(result.ok && result.warnings.map(w => w.field)).to.deep.equal(['user']);
    });

    it('subscribes to each channel, PKI and map reports, JSON only when asked', () => {
        const config = ok(normaliseConfig({ ...defaults, rootTopic: 'msh/US/' }));
        expect(clientSubscriptions(config)).to.deep.equal([
            'msh/US/2/e/LongFast/#',
            'msh/US/2/e/PKI/#',
            'msh/US/2/map/#',
        ]);
        config.legacyJson = true;
        expect(clientSubscriptions(config)).to.include('msh/US/2/json/#');
    });
});

describe('config: tileUrl', () => {
    function tileUrl(value: unknown): { url: string; warnings: string[] } {
        const result = normaliseConfig({ ...defaults, tileUrl: value });
        const config = ok(result);
        return { url: config.tileUrl, warnings: result.ok ? result.warnings.map(w => w.field) : [] };
    }

    it('uses OpenStreetMap when missing or empty', () => {
        expect(DEFAULT_TILE_URL).to.equal('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
        expect(ok(normaliseConfig(defaults)).tileUrl).to.equal(DEFAULT_TILE_URL);
        for (const value of [undefined, null, '', '   ']) {
            expect(tileUrl(value), JSON.stringify(value)).to.deep.equal({ url: DEFAULT_TILE_URL, warnings: [] });
        }
    });

    it('keeps a valid custom template', () => {
        const url = 'https://{s}.tile.example.org/{z}/{x}/{y}.png';
        expect(tileUrl(url)).to.deep.equal({ url, warnings: [] });
        expect(tileUrl(` ${url} `).url).to.equal(url);
        expect(tileUrl('http://tiles.local:8080/{z}/{x}/{y}.png?style=dark').warnings).to.deep.equal([]);
    });

    const rejected: [string, string][] = [
        ['a URL without {z}/{x}/{y}', 'https://tile.example.org/tiles.png'],
        ['a URL without {y}', 'https://tile.example.org/{z}/{x}.png'],
        ['a javascript: URL', 'javascript:alert(1)//{z}/{x}/{y}'],
        ['an ftp: URL', 'ftp://tile.example.org/{z}/{x}/{y}.png'],
        ['a URL with a double quote', 'https://tile.example.org/{z}/{x}/{y}.png"onerror="alert(1)'],
        ['a URL with a single quote', "https://tile.example.org/{z}/{x}/{y}.png'x"],
        ['a URL with a space', 'https://tile.example.org/{z}/{x}/{y}.png x'],
        ['a URL with angle brackets', 'https://tile.example.org/{z}/{x}/{y}.png<script>'],
    ];
    for (const [what, url] of rejected) {
        it(`warns and uses the default for ${what}`, () => {
            expect(tileUrl(url)).to.deep.equal({ url: DEFAULT_TILE_URL, warnings: ['tileUrl'] });
        });
    }

    it('names the field in an error for a non-text value', () => {
        expect(errorFields({ tileUrl: { url: 'x' } })).to.deep.equal(['tileUrl']);
    });
});
