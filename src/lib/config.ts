/**
 * Validates and normalises the adapter's `native` settings once at start. Pure: no adapter, no I/O.
 * A broken setting is reported with the field it concerns; the adapter then refuses to start half-configured.
 */
import { parsePsk } from './codec/keys';
import type { RadioWrites } from './states/cadence';

export type Mode = 'broker' | 'client';
export type ClientPreset = 'custom' | 'meshtastic' | 'messhost' | 'bashcat';

export interface ChannelConfig {
    name: string;
    /** Expanded AES key (16 or 32 bytes), or empty for an unencrypted channel. */
    key: Uint8Array;
    downlink: boolean;
}

export interface BrokerSettings {
    bind: string;
    port: number;
    webSocket: boolean;
    ssl: boolean;
    certPublic: string;
    certPrivate: string;
    certChained: string;
    user: string;
    pass: string;
    maxClients: number;
    maxTopicLength: number;
    maxPacketSize: number;
}

export interface ClientSettings {
    preset: ClientPreset;
    url: string;
    user: string;
    pass: string;
    /** Empty: the adapter derives a stable id from host and instance. */
    clientId: string;
    qos: 0 | 1;
    rejectUnauthorized: boolean;
    caCert: string;
}

export interface VirtualNodeSettings {
    /** Node number from the config, or undefined to use the one generated once and stored. */
    nodeNum?: number;
    longName: string;
    shortName: string;
    hwModel: number;
    role: number;
    nodeInfoIntervalHours: number;
    hopLimit: number;
    sendSpacingMs: number;
    ackTimeoutSeconds: number;
    /** Base64 X25519 private key, or '' when none has been generated yet. */
    privateKey: string;
    allowChannelDm: ReadonlySet<number>;
}

export interface MeshtasticConfig {
    mode: Mode;
    broker: BrokerSettings;
    client: ClientSettings;
    rootTopic: string;
    channels: ChannelConfig[];
    legacyJson: boolean;
    maxNodes: number;
    purgeDays: number;
    offlineMinutes: number;
    allowList: ReadonlySet<number>;
    maxHops: number;
    historySize: number;
    /** How often `radio.*` states are written: every change, at most every `radioMinutes` per node, or only once. */
    radioWrites: RadioWrites;
    radioMinutes: number;
    /** At most one `status.lastHeard` write per node in this time (0 = every packet). */
    lastHeardMinutes: number;
    virtualNode: VirtualNodeSettings;
    /** Map tiles of the admin tab: an http(s) URL template with {z}, {x} and {y}. */
    tileUrl: string;
}

export interface ConfigProblem {
    field: string;
    message: string;
}

export type ConfigResult =
    { ok: true; config: MeshtasticConfig; warnings: ConfigProblem[] } | { ok: false; errors: ConfigProblem[] };

/** Well-known servers offered in the form. The public server's read-only credentials are published by Meshtastic. */
export const CLIENT_PRESETS: Record<Exclude<ClientPreset, 'custom'>, { url: string; user: string; pass: string }> = {
    meshtastic: { url: 'mqtt://mqtt.meshtastic.org:1883', user: 'meshdev', pass: 'large4cats' },
    messhost: { url: 'mqtt://mqtt.mess.host:1883', user: '', pass: '' },
    bashcat: { url: 'mqtt://mqtt.bashcat.net:1883', user: '', pass: '' },
};

const MAX_CHANNEL_NAME_BYTES = 11;

/** A short, safe description of a setting's value for an error message. */
function describe(value: unknown): string {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? `"${String(value).slice(0, 40)}"`
        : typeof value;
}

/** Collects problems while reading fields, so one pass reports every broken field at once. */
class FieldReader {
    readonly errors: ConfigProblem[] = [];
    readonly warnings: ConfigProblem[] = [];

    constructor(private readonly native: Record<string, unknown>) {}

    fail(field: string, message: string): void {
        this.errors.push({ field, message });
    }

    warn(field: string, message: string): void {
        this.warnings.push({ field, message });
    }

    string(field: string, fallback: string): string {
        const value = this.native[field];
        if (value === undefined || value === null) {
            return fallback;
        }
        if (typeof value !== 'string' && typeof value !== 'number') {
            this.fail(field, `must be text, got ${typeof value}`);
            return fallback;
        }
        return String(value).trim();
    }

    bool(field: string, fallback: boolean): boolean {
        const value = this.native[field];
        if (value === undefined || value === null || value === '') {
            return fallback;
        }
        if (typeof value === 'boolean') {
            return value;
        }
        if (value === 'true' || value === 1 || value === '1') {
            return true;
        }
        if (value === 'false' || value === 0 || value === '0') {
            return false;
        }
        this.fail(field, `must be true or false, got ${describe(value)}`);
        return fallback;
    }

    integer(field: string, fallback: number, min: number, max: number): number {
        const value = this.native[field];
        if (value === undefined || value === null || value === '') {
            return fallback;
        }
        const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
        if (!Number.isInteger(num)) {
            this.fail(field, `must be a whole number, got ${describe(value)}`);
            return fallback;
        }
        if (num < min || num > max) {
            this.fail(field, `must be between ${min} and ${max}, got ${num}`);
            return fallback;
        }
        return num;
    }

    oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
        const value = this.string(field, fallback);
        if (value === '') {
            return fallback;
        }
        if (!(allowed as readonly string[]).includes(value)) {
            this.fail(field, `must be one of ${allowed.join(', ')}, got "${value}"`);
            return fallback;
        }
        return value as T;
    }

    raw(field: string): unknown {
        return this.native[field];
    }
}

/** Parses `!a1b2c3d4`, `a1b2c3d4` or a decimal node number; undefined when it is none of these. */
export function parseNodeNum(text: string): number | undefined {
    const t = text.trim().toLowerCase();
    if (/^!?[0-9a-f]{8}$/.test(t)) {
        return parseInt(t.replace('!', ''), 16) >>> 0;
    }
    if (/^\d{1,10}$/.test(t)) {
        const n = Number(t);
        return n <= 0xffffffff ? n : undefined;
    }
    return undefined;
}

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** The admin tab's map tiles. A broken template only costs the map background, so it is a warning, not an error. */
function readTileUrl(reader: FieldReader): string {
    const url = reader.string('tileUrl', DEFAULT_TILE_URL);
    if (url === '') {
        return DEFAULT_TILE_URL;
    }
    if (!/^https?:\/\/[^\s"'<>]+$/i.test(url) || !['{z}', '{x}', '{y}'].every(part => url.includes(part))) {
        reader.warn(
            'tileUrl',
            `"${url.slice(0, 80)}" is not an http(s) tile URL with {z}, {x} and {y}: using OpenStreetMap`,
        );
        return DEFAULT_TILE_URL;
    }
    return url;
}

function readNodeList(reader: FieldReader, field: string): Set<number> {
    const result = new Set<number>();
    const text = reader.string(field, '');
    for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
        const num = parseNodeNum(part);
        if (num === undefined) {
            reader.fail(field, `"${part}" is not a node id (expected !a1b2c3d4)`);
        } else {
            result.add(num);
        }
    }
    return result;
}

function readChannels(reader: FieldReader): ChannelConfig[] {
    const raw = reader.raw('channels');
    const rows: unknown[] = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [];
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
        reader.fail('channels', 'must be a table of channels');
    }
    const channels: ChannelConfig[] = [];
    const seen = new Set<string>();
    rows.forEach((row, index) => {
        const where = `channels[${index + 1}]`;
        if (typeof row !== 'object' || row === null) {
            reader.fail(where, 'is not a channel row');
            return;
        }
        const record = row as Record<string, unknown>;
        const name = typeof record.name === 'string' ? record.name.trim() : '';
        if (!name) {
            reader.fail(`${where}.name`, 'channel name is empty');
            return;
        }
        if (Buffer.byteLength(name, 'utf8') > MAX_CHANNEL_NAME_BYTES) {
            reader.fail(`${where}.name`, `"${name}" is longer than ${MAX_CHANNEL_NAME_BYTES} bytes (firmware limit)`);
            return;
        }
        if (name === 'PKI') {
            reader.fail(`${where}.name`, '"PKI" is reserved for direct messages');
            return;
        }
        if (seen.has(name)) {
            reader.fail(`${where}.name`, `duplicate channel name "${name}"`);
            return;
        }
        seen.add(name);
        const psk = typeof record.psk === 'string' ? record.psk : '';
        const key = parsePsk(psk);
        if (!key.ok) {
            // Never echo the key itself: it is a secret.
            reader.fail(`${where}.psk`, `key of channel "${name}" is invalid: ${key.message}`);
            return;
        }
        channels.push({ name, key: key.value, downlink: record.downlink === true || record.downlink === 'true' });
    });
    if (channels.length === 0 && reader.errors.length === 0) {
        reader.fail('channels', 'at least one channel is needed (default: LongFast with key AQ==)');
    }
    return channels;
}

function readRootTopic(reader: FieldReader): string {
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

function readClient(reader: FieldReader, mode: Mode): ClientSettings {
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

function readVirtualNode(reader: FieldReader): VirtualNodeSettings {
    const nodeIdText = reader.string('nodeId', '');
    let nodeNum: number | undefined;
    if (nodeIdText) {
        nodeNum = parseNodeNum(nodeIdText);
        if (nodeNum === undefined || nodeNum <= 3 || nodeNum === 0xffffffff) {
            reader.fail('nodeId', `"${nodeIdText}" is not a usable node id (expected !a1b2c3d4)`);
            nodeNum = undefined;
        }
    }
    const longName = reader.string('longName', 'ioBroker') || 'ioBroker';
    if (Buffer.byteLength(longName, 'utf8') > 39) {
        reader.fail('longName', 'must be at most 39 bytes');
    }
    const shortName = reader.string('shortName', 'IOB') || 'IOB';
    if (Buffer.byteLength(shortName, 'utf8') > 4) {
        // Firmware's nanopb decode of a User with a longer short name fails: nobody would see our NodeInfo.
        reader.fail('shortName', `"${shortName}" is longer than 4 bytes (firmware rejects such node info)`);
    }
    return {
        nodeNum,
        longName,
        shortName,
        hwModel: reader.integer('hwModel', 255, 0, 255),
        role: reader.integer('nodeRole', 0, 0, 20),
        nodeInfoIntervalHours: reader.integer('nodeInfoIntervalHours', 3, 1, 168),
        hopLimit: reader.integer('hopLimit', 3, 0, 7),
        sendSpacingMs: reader.integer('sendSpacingMs', 2500, 0, 600000),
        ackTimeoutSeconds: reader.integer('ackTimeoutSeconds', 60, 5, 3600),
        privateKey: reader.string('privateKey', ''),
        allowChannelDm: readNodeList(reader, 'allowChannelDm'),
    };
}

/** Validates every field; returns all problems at once, or the typed configuration. */
export function normaliseConfig(native: Record<string, unknown>): ConfigResult {
    const reader = new FieldReader(native);
    const mode = reader.oneOf<Mode>('mode', ['broker', 'client'], 'broker');
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
    const client = readClient(reader, mode);
    const config: MeshtasticConfig = {
        mode,
        broker,
        client,
        rootTopic: readRootTopic(reader),
        channels: readChannels(reader),
        legacyJson: reader.bool('legacyJson', false),
        maxNodes: reader.integer('maxNodes', 500, 1, 100000),
        purgeDays: reader.integer('purgeDays', 7, 0, 3650),
        offlineMinutes: reader.integer('offlineMinutes', 120, 1, 100000),
        allowList: readNodeList(reader, 'allowList'),
        maxHops: reader.integer('maxHops', 0, 0, 7),
        historySize: reader.integer('historySize', 20, 1, 500),
        radioWrites: reader.oneOf<RadioWrites>('radioWrites', ['packet', 'interval', 'off'], 'interval'),
        radioMinutes: reader.integer('radioMinutes', 60, 1, 1440),
        lastHeardMinutes: reader.integer('lastHeardMinutes', 30, 0, 1440),
        virtualNode: readVirtualNode(reader),
        tileUrl: readTileUrl(reader),
    };
    if (reader.errors.length) {
        return { ok: false, errors: reader.errors };
    }
    return { ok: true, config, warnings: reader.warnings };
}

/** MQTT subscriptions the client mode needs (the broker mode sees everything published to it). */
export function clientSubscriptions(config: MeshtasticConfig): string[] {
    const root = config.rootTopic;
    const topics = config.channels.map(c => `${root}/2/e/${c.name}/#`);
    topics.push(`${root}/2/e/PKI/#`, `${root}/2/map/#`);
    if (config.legacyJson) {
        topics.push(`${root}/2/json/#`);
    }
    return topics;
}

/** True for canonical, padded base64 of a length a Meshtastic key can have. */
function looksLikeStoredKey(text: string): boolean {
    const parsed = parsePsk(text);
    if (!parsed.ok || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        return false;
    }
    return [0, 1, 16, 32].includes(Buffer.from(text, 'base64').length);
}

/**
 * Admin encrypts the `psk` column of the channel table itself (legacy scheme), and js-controller does not decrypt
 * table columns for the adapter. A stored value may therefore be plain (the io-package default, or a row admin left
 * untouched) or encrypted: pick whichever of the two is a valid key.
 */
export function decryptChannelKeys(
    native: Record<string, unknown>,
    decrypt: (value: string) => string,
): Record<string, unknown> {
    if (!Array.isArray(native.channels)) {
        return native;
    }
    const channels = native.channels.map((row: unknown) => {
        if (typeof row !== 'object' || row === null || typeof (row as { psk?: unknown }).psk !== 'string') {
            return row;
        }
        const raw = (row as { psk: string }).psk;
        let decrypted: string;
        try {
            decrypted = decrypt(raw);
        } catch {
            return row;
        }
        const rawOk = parsePsk(raw).ok;
        const decryptedOk = parsePsk(decrypted).ok;
        let psk = decrypted;
        if (rawOk && !decryptedOk) {
            psk = raw;
        } else if (rawOk && decryptedOk && looksLikeStoredKey(raw) && !looksLikeStoredKey(decrypted)) {
            psk = raw;
        }
        return { ...(row as Record<string, unknown>), psk };
    });
    return { ...native, channels };
}

/**
 * Heap of the adapter without nodes, MB: the libraries alone hold ~40 MB (js-controller's adapter library, the MQTT
 * packet library's number cache, protobuf descriptors), measured in a heap snapshot; with margin for garbage.
 */
export const BASE_HEAP_MB = 64;
/**
 * Heap per node at `maxNodes` (records, value caches, ids, tab rows), KB: measured 18–20 KB through the real pipeline
 * with 1,000 and 4,000 nodes; with margin.
 */
export const HEAP_PER_NODE_KB = 32;
/** Share of the heap limit the estimate may use before the adapter warns (GC needs room to work). */
const HEAP_HEADROOM = 0.85;

/**
 * A warning when `maxNodes` nodes would likely not fit the process's V8 heap limit (the instance's memory limit,
 * `memoryLimitMB`, when the user set one; else Node's default), else undefined. Big meshes need it raised, and an
 * out-of-memory crash loop would be far worse than this line.
 */
export function memoryAdvice(maxNodes: number, heapLimitMB: number): string | undefined {
    const neededMB = Math.ceil(BASE_HEAP_MB + (maxNodes * HEAP_PER_NODE_KB) / 1024);
    if (!(heapLimitMB > 0) || neededMB <= heapLimitMB * HEAP_HEADROOM) {
        return undefined;
    }
    const suggestMB = Math.ceil(neededMB / HEAP_HEADROOM / 128) * 128;
    return (
        `maxNodes ${maxNodes} may need about ${neededMB} MB of memory, but this instance may only use ${Math.round(heapLimitMB)} MB: ` +
        `raise its memory limit (Instances → this instance → edit → "Memory limit (MB)") to ${suggestMB} MB or lower maxNodes`
    );
}

/**
 * Channel rows whose `psk` is stored in plain text (config written by a script, the CLI or a backup restore, not by
 * admin's form) re-encrypted with `encrypt`; `undefined` when every key is already encrypted, so a second start
 * writes nothing (no restart loop). The caller stores the result in the instance object.
 */
export function encryptPlainChannelKeys(
    native: Record<string, unknown>,
    decrypt: (value: string) => string,
    encrypt: (value: string) => string,
): unknown[] | undefined {
    if (!Array.isArray(native.channels)) {
        return undefined;
    }
    const resolved = decryptChannelKeys(native, decrypt).channels as unknown[];
    let changed = false;
    const channels = native.channels.map((row: unknown, i: number) => {
        const raw = (row as { psk?: unknown } | null)?.psk;
        const used = (resolved[i] as { psk?: unknown } | null)?.psk;
        // Plain: the stored text itself is the key in use. Empty and one-byte keys (the published default key's
        // shorthand) are no secret: leaving them keeps a fresh install from rewriting its config (one restart).
        if (typeof raw !== 'string' || used !== raw || Buffer.from(raw, 'base64').length <= 1) {
            return row;
        }
        changed = true;
        return { ...(row as Record<string, unknown>), psk: encrypt(raw) };
    });
    return changed ? channels : undefined;
}
