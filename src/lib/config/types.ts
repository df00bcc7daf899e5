/** The adapter's settings as the rest of the adapter sees them: validated and normalised (config/normalise.ts). */
import type { RadioWrites } from '../states/cadence';

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
    /** A detection sensor's alarm state falls back to false this long after its last detection. */
    detectionAlarmSeconds: number;
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
