import { expect } from 'chai';
import {
    clientSubscriptions,
    DEFAULT_TILE_URL,
    decryptChannelKeys,
    encryptPlainChannelKeys,
    memoryAdvice,
    normaliseConfig,
    parseNodeNum,
    type ConfigResult,
    type MeshtasticConfig,
} from './config';

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

describe('config: parseNodeNum', () => {
    it('reads the forms users type', () => {
        expect(parseNodeNum('!a1b2c3d4')).to.equal(0xa1b2c3d4);
        expect(parseNodeNum('A1B2C3D4')).to.equal(0xa1b2c3d4);
        expect(parseNodeNum('1234')).to.equal(1234);
        expect(parseNodeNum('!a1b2')).to.equal(undefined);
        expect(parseNodeNum('99999999999')).to.equal(undefined);
    });
});

describe('config: decryptChannelKeys', () => {
    const secret = 'Zg7WqLm2Xc9vBn4kPq8sTt1uYy5rEe3w';
    const xor = (value: string): string =>
        [...value].map((c, i) => String.fromCharCode(secret.charCodeAt(i % secret.length) ^ c.charCodeAt(0))).join('');
    const key32 = Buffer.alloc(32, 0x5a).toString('base64');

    it('decrypts keys admin stored encrypted and keeps plain defaults', () => {
        const native = decryptChannelKeys(
            {
                channels: [
                    { name: 'LongFast', psk: 'AQ==' },
                    { name: 'Private', psk: xor(key32) },
                ],
            },
            xor,
        );
        const config = ok(normaliseConfig({ ...defaults, ...native }));
        expect(Buffer.from(config.channels[0].key).toString('hex')).to.equal('d4f1bb3a20290759f0bcffabcf4e6901');
        expect(Buffer.from(config.channels[1].key).toString('base64')).to.equal(key32);
    });

    it('leaves rows without a key alone', () => {
        const native = decryptChannelKeys({ channels: [{ name: 'A' }, null] }, xor);
        expect(native.channels).to.deep.equal([{ name: 'A' }, null]);
    });
});

describe('config: memoryAdvice', () => {
    it('stays silent when maxNodes fits a 512 MB limit', () => {
        expect(memoryAdvice(500, 512)).to.equal(undefined);
        expect(memoryAdvice(10000, 512)).to.equal(undefined);
    });

    it('tells how far to raise the memory limit for a big maxNodes', () => {
        const text = memoryAdvice(20000, 512);
        expect(text).to.be.a('string');
        expect(text).to.match(/^maxNodes 20000 may need about 689 MB of memory, but this instance may only use 512 MB/);
        expect(text).to.match(/"Memory limit \(MB\)"\) to 896 MB or lower maxNodes$/);
        expect(memoryAdvice(20000, 896)).to.equal(undefined);
    });

    it('says nothing without a known limit', () => {
        expect(memoryAdvice(100000, 0)).to.equal(undefined);
        expect(memoryAdvice(100000, Number.NaN)).to.equal(undefined);
    });
});

describe('config: encryptPlainChannelKeys', () => {
    const secret = 'Zg7WqLm2Xc9vBn4kPq8sTt1uYy5rEe3w';
    const xor = (value: string): string =>
        [...value].map((c, i) => String.fromCharCode(secret.charCodeAt(i % secret.length) ^ c.charCodeAt(0))).join('');
    const key32 = Buffer.alloc(32, 0x5a).toString('base64');
    const key16 = Buffer.alloc(16, 0x33).toString('base64');

    it('encrypts plain custom keys, keeps encrypted and public ones, and finds nothing on the second pass', () => {
        const stored = {
            channels: [
                { name: 'LongFast', psk: 'AQ==' },
                { name: 'A', psk: key32 },
                { name: 'B', psk: xor(key16) },
            ],
        };
        const channels = encryptPlainChannelKeys(stored, xor, xor);
        expect(channels).to.deep.equal([
            { name: 'LongFast', psk: 'AQ==' },
            { name: 'A', psk: xor(key32) },
            { name: 'B', psk: xor(key16) },
        ]);
        expect(JSON.stringify(channels)).not.to.include(key32);
        // Second start: nothing plain left, nothing written (no restart loop); the keys still resolve.
        expect(encryptPlainChannelKeys({ channels }, xor, xor)).to.equal(undefined);
        const used = decryptChannelKeys({ channels }, xor).channels as { psk: string }[];
        expect(used.map(c => c.psk)).to.deep.equal(['AQ==', key32, key16]);
    });
});
