/**
 * Public types of the codec: what bytes from MQTT turn into. Pure data, no ioBroker, no I/O.
 * Numbers that are uint32 on the wire (node numbers, packet ids) are always unsigned JS numbers.
 */

/** Where a packet came from, parsed from the MQTT topic. */
export type TopicKind = 'e' | 'c' | 'map' | 'json';

export interface ParsedTopic {
    /** Everything before `/2/`, e.g. `msh/EU_868` or `msh/US/CA/bay`. */
    root: string;
    /** `e` (encrypted/protobuf, ≥2.3), `c` (protobuf, 2.0–2.2), `map` (map reports), `json` (legacy). */
    kind: TopicKind;
    /** Channel name (`LongFast`), `PKI`, or undefined for `map`. */
    channelId?: string;
    /** The publishing gateway's `!xxxxxxxx` id (last topic level), when present. */
    gatewayId?: string;
}

/** Why a packet could not be turned into data. Every failure of the codec is one of these, never a throw. */
export type CodecErrorReason =
    | 'topic' // topic is not a Meshtastic topic, too long or malformed
    | 'envelope' // payload is not a ServiceEnvelope (or a required field is missing)
    | 'decrypt' // no configured key produced a valid Data message
    | 'pki' // PKI packet that we cannot decrypt (not for us, or key unknown)
    | 'payload' // Data decoded but the port payload did not parse
    | 'json'; // legacy JSON text that does not parse

export interface CodecError {
    ok: false;
    reason: CodecErrorReason;
    message: string;
    /** For `decrypt`: the channel name from the envelope and the packet's channel hash, so users see what key is missing. */
    channelId?: string;
    channelHash?: number;
    gatewayId?: string;
}

export type Result<T> = { ok: true; value: T } | CodecError;

/** MeshPacket header fields as they appear on MQTT. Defaults (0/false) are filled in. */
export interface PacketHeader {
    from: number;
    to: number;
    id: number;
    /** Encrypted: 8-bit channel hash (0 for PKI). Decoded: the gateway's local channel index. */
    channel: number;
    hopLimit: number;
    hopStart: number;
    wantAck: boolean;
    viaMqtt: boolean;
    /** Gateway receive time, epoch seconds (0 if absent). */
    rxTime: number;
    rxSnr: number;
    rxRssi: number;
    priority: number;
    /** Last byte of the node that last transmitted the packet (≥2.6). */
    relayNode: number;
    /** Last byte of the intended next hop (≥2.6). */
    nextHop: number;
    pkiEncrypted: boolean;
    /** Sender's public key, present on decoded PKI packets. */
    publicKey?: Uint8Array;
    transportMechanism: number;
    /** Deprecated `delayed` enum (field 13), only when non-zero; kept so re-encoding is byte-identical. */
    delayed?: number;
    /** Firmware-internal `tx_after` (field 20), only when non-zero; kept so re-encoding is byte-identical. */
    txAfter?: number;
}

/** The decrypted `Data` message. */
export interface DataMessage {
    portnum: number;
    payload: Uint8Array;
    wantResponse: boolean;
    dest: number;
    source: number;
    requestId: number;
    replyId: number;
    emoji: number;
    /** Absent ⇒ pre-2.5 sender. bit0 OK_TO_MQTT, bit1 WANT_RESPONSE. */
    bitfield?: number;
}

/** A ServiceEnvelope, before decryption. */
export interface Envelope {
    channelId: string;
    gatewayId: string;
    header: PacketHeader;
    /** Exactly one of `encrypted` / `decoded` is set. */
    encrypted?: Uint8Array;
    decoded?: DataMessage;
}

/** How the Data of a packet was obtained. */
export type Encryption = 'none' | 'channel' | 'pki';

// ---- Payloads ------------------------------------------------------------------------------------

export interface PositionInfo {
    /** Degrees (WGS84); undefined when the node sent no fix. */
    latitude?: number;
    longitude?: number;
    /** Metres above MSL. */
    altitude?: number;
    /** 1..32; 32 = full precision. Old packets without the field report 32. */
    precisionBits: number;
    /** Radius in metres of the precision cell (0 at full precision). */
    accuracyMeters: number;
    /** Epoch seconds of the fix, when given. */
    time?: number;
    /** Metres per second, when given. */
    groundSpeed?: number;
    /** Degrees, when given. */
    groundTrack?: number;
    satsInView?: number;
}

export interface UserInfo {
    /** `!xxxxxxxx` as sent (may differ from the sender's real id on hostile packets). */
    id: string;
    longName: string;
    shortName: string;
    /** Hardware model enum name, e.g. `HELTEC_V3`, or the number as string when unknown. */
    hwModel: string;
    hwModelNumber: number;
    /** Role enum name, e.g. `CLIENT`, `ROUTER`. */
    role: string;
    roleNumber: number;
    isLicensed: boolean;
    isUnmessagable: boolean;
    /** 32-byte X25519 key, when the node advertises one. */
    publicKey?: Uint8Array;
    macaddr?: Uint8Array;
}

/**
 * Telemetry variants, named as the adapter's state folders. `pax` is no Telemetry oneof case: PAXCOUNTER_APP counts
 * are kept (and shown) like a variant's metrics.
 */
export type TelemetryVariant =
    'device' | 'environment' | 'airQuality' | 'power' | 'localStats' | 'health' | 'host' | 'pax';

/** Broadcast destination of `MeshPacket.to` (`NODENUM_BROADCAST`). */
export const BROADCAST_NUM = 0xffffffff;

/** Every telemetry variant, in the order states and the tab list them: the one list of them. */
export const TELEMETRY_VARIANTS: readonly TelemetryVariant[] = [
    'device',
    'environment',
    'airQuality',
    'power',
    'localStats',
    'health',
    'host',
    'pax',
];

/** True for a string that names a telemetry variant (input from restored objects or the network). */
export function isTelemetryVariant(value: unknown): value is TelemetryVariant {
    return typeof value === 'string' && (TELEMETRY_VARIANTS as readonly string[]).includes(value);
}

export interface TelemetryInfo {
    variant: TelemetryVariant;
    /** Epoch seconds (or device uptime when the node has no clock). */
    time: number;
    /**
     * Only the fields the node actually sent (proto3 optional presence), protobuf-es camelCase names,
     * e.g. `batteryLevel`, `voltage`, `temperature`, `relativeHumidity`, `pm25Standard`.
     * Strings (host metrics' user string) are left out; everything here is numeric.
     */
    metrics: Record<string, number>;
}

export interface NeighborInfoPayload {
    nodeId: number;
    lastSentById: number;
    broadcastIntervalSecs: number;
    neighbors: { nodeId: number; snr: number }[];
}

export interface MapReportPayload {
    longName: string;
    shortName: string;
    role: string;
    hwModel: string;
    firmwareVersion: string;
    region: string;
    modemPreset: string;
    hasDefaultChannel: boolean;
    latitude?: number;
    longitude?: number;
    altitude?: number;
    positionPrecision: number;
    numOnlineLocalNodes: number;
    hasOptedReportLocation: boolean;
}

export interface RoutingPayload {
    /** `ack` for error_reason NONE, `nak` for any error, `request`/`reply` for route discovery variants. */
    kind: 'ack' | 'nak' | 'request' | 'reply';
    /** Error enum name (`NONE`, `NO_ROUTE`, `MAX_RETRANSMIT`, `PKI_UNKNOWN_PUBKEY`…). */
    errorReason: string;
    errorCode: number;
}

export interface TraceroutePayload {
    route: number[];
    /** dB (wire value / 4); undefined where unknown (−128 on the wire). */
    snrTowards: (number | undefined)[];
    routeBack: number[];
    snrBack: (number | undefined)[];
}

export interface WaypointPayload {
    id: number;
    name: string;
    description: string;
    latitude?: number;
    longitude?: number;
    /** Epoch seconds, 0 = never. */
    expire: number;
    lockedTo: number;
    icon: number;
}

export interface PaxcounterPayload {
    wifi: number;
    ble: number;
    uptime: number;
}

export interface StoreForwardPayload {
    /** RequestResponse enum name, e.g. `ROUTER_HEARTBEAT`. */
    kind: string;
    heartbeatPeriod?: number;
    text?: string;
}

/** The port payload, decoded into plain typed values. */
export type MeshPayload =
    | { type: 'text'; text: string }
    | { type: 'position'; position: PositionInfo }
    | { type: 'nodeinfo'; user: UserInfo }
    | { type: 'telemetry'; telemetry: TelemetryInfo }
    | { type: 'neighborinfo'; neighborInfo: NeighborInfoPayload }
    | { type: 'mapreport'; mapReport: MapReportPayload }
    | { type: 'routing'; routing: RoutingPayload }
    | { type: 'traceroute'; traceroute: TraceroutePayload }
    | { type: 'waypoint'; waypoint: WaypointPayload }
    | { type: 'rangetest'; text: string }
    | { type: 'detection'; text: string }
    | { type: 'alert'; text: string }
    | { type: 'paxcounter'; paxcounter: PaxcounterPayload }
    | { type: 'storeforward'; storeForward: StoreForwardPayload }
    /** Any other port, or a payload kept opaque: portnum + bytes. */
    | { type: 'raw'; portnum: number; bytes: Uint8Array };

/** A fully decoded packet: what the mesh model consumes. */
export interface DecodedPacket {
    topic: ParsedTopic;
    channelId: string;
    gatewayId: string;
    header: PacketHeader;
    encryption: Encryption;
    /** Name of the configured channel whose key decrypted it (channel encryption), else the envelope's channel id. */
    channelName: string;
    data: DataMessage;
    payload: MeshPayload;
    /** The payload failed to parse for its port (kept as raw); set so the pipeline can count it. */
    payloadError?: string;
}

/** A packet that we could not decrypt but whose header is still useful (PKI DMs between others, unknown keys). */
export interface OpaquePacket {
    topic: ParsedTopic;
    channelId: string;
    gatewayId: string;
    header: PacketHeader;
    reason: 'pki' | 'decrypt';
}
