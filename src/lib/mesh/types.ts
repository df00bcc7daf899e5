/**
 * The mesh model's public types: what the adapter knows about the mesh, independent of ioBroker.
 * The states layer reads these records and decides ids, roles and units.
 */
import type { MapReportPayload, PositionInfo, TelemetryVariant } from '../codec/types';

/** MESS.HOST-style presence: the node uplinks itself (`mqtt`), is heard through others (`rf`), or neither lately. */
export type Presence = 'mqtt' | 'rf' | 'offline';

/** Which part of a node changed; the states layer rewrites only the states of changed sections. */
export type NodeSection =
    | 'info'
    | 'position'
    | 'radio'
    | 'status'
    | 'neighbors'
    | 'messages'
    | `telemetry.${TelemetryVariant}`
    | PacketSection;

/** Sections of the less common packet types (one record part each, see `packet-records.ts`). */
export type PacketSection = 'traceroute' | 'detection' | 'alert' | 'rangeTest';

/** One node of a traced route. */
export interface RouteHop {
    /** `!xxxxxxxx` */
    id: string;
    /** Long name (else short name) when the node is known. */
    name?: string;
    /** dB with which this hop received the packet (absent for the first hop and where unknown). */
    snr?: number;
}

/** The last route traced to a node (from a traceroute reply). */
export interface TracerouteRecord {
    /** Epoch ms of arrival. */
    time: number;
    /** Requester (`!xxxxxxxx`), where the route starts. */
    from: string;
    /** Requester → … → this node. */
    towards: RouteHop[];
    /** This node → … (→ requester once the reply got there). */
    back: RouteHop[];
}

export interface DetectionRecord {
    text: string;
    /** Epoch ms of arrival. */
    time: number;
    /** True from a detection until `detectionAlarmMs` later. */
    alarm: boolean;
}

export interface AlertRecord {
    text: string;
    /** Epoch ms of arrival. */
    time: number;
}

export interface RangeTestRecord {
    /** The `seq N` number, when the text has one. */
    sequence?: number;
    /** Reception by the first gateway (RF only). */
    snr?: number;
    rssi?: number;
    /** Epoch ms of arrival. */
    time: number;
}

/** A waypoint as the states and the map show it. */
export interface WaypointRecord {
    id: number;
    name: string;
    description: string;
    latitude?: number;
    longitude?: number;
    /** Epoch ms, 0 = never. */
    expire: number;
    /** Node allowed to change it (`!xxxxxxxx`), '' = anyone. */
    lockedTo: string;
    /** The icon as text (an emoji), '' when none. */
    icon: string;
    /** Sender of the last update (`!xxxxxxxx`). */
    from: string;
    /** Epoch ms of the last update. */
    time: number;
}

export interface NodeUser {
    longName: string;
    shortName: string;
    hwModel: string;
    role: string;
    /** Base64 of the 32-byte X25519 public key, when advertised. */
    publicKey?: string;
    isLicensed: boolean;
    isUnmessagable: boolean;
}

export interface TextMessage {
    /** Packet id. */
    id: number;
    from: number;
    /** `!xxxxxxxx` of the sender. */
    fromId: string;
    /** Sender's long name when known, else its id. */
    fromName: string;
    to: number;
    /** Channel name the message arrived on (`PKI` for PKI DMs). */
    channel: string;
    text: string;
    /** Epoch milliseconds of arrival at the adapter. */
    time: number;
    /** Direct message (to a single node) rather than a channel broadcast. */
    direct: boolean;
    gateway: string;
    rxSnr?: number;
    rxRssi?: number;
    hopsAway?: number;
    viaMqtt: boolean;
    replyId?: number;
    /** Set for tapback reactions (the payload is the emoji). */
    emoji?: number;
    encryption: 'none' | 'channel' | 'pki';
    /** An ALERT_APP text (a message to be shown with priority), not a plain text. */
    alert?: true;
}

export interface NodeRadio {
    /** SNR/RSSI of the first RF reception of the node's last packet (as seen by the gateway). */
    snr?: number;
    rssi?: number;
    hopsAway?: number;
    viaMqtt: boolean;
    /** Gateway id (`!xxxxxxxx`) that delivered the node's last packet first. */
    gateway: string;
    /** How many gateways uplinked the node's last packet. */
    gatewayCount: number;
    /** The first (up to 16) distinct gateways that uplinked the node's last packet, in arrival order. */
    gateways?: string[];
}

export interface NodeRecord {
    num: number;
    /** `!xxxxxxxx` */
    id: string;
    /** 8 lowercase hex digits, the object id level. */
    hex: string;
    user?: NodeUser;
    /** From map reports. */
    firmware?: string;
    region?: string;
    modemPreset?: string;
    numOnlineLocalNodes?: number;
    position?: PositionInfo;
    telemetry: Partial<Record<TelemetryVariant, Record<string, number>>>;
    radio?: NodeRadio;
    /** Epoch ms of the last packet from this node. */
    lastHeard: number;
    /** Epoch ms the node last uplinked itself (gateway id == node id) or sent a map report. */
    lastMqtt: number;
    presence: Presence;
    neighbors?: { nodeId: number; id: string; snr: number }[];
    lastText?: TextMessage;
    /** Bounded, newest last. */
    history: TextMessage[];
    packets: number;
    /** Id of the node's last packet (dedup bookkeeping: late duplicates of it still update `radio`). */
    lastPacketId?: number;
    /** The last route traced to this node. */
    traceroute?: TracerouteRecord;
    detection?: DetectionRecord;
    alert?: AlertRecord;
    rangeTest?: RangeTestRecord;
}

export interface ChannelRecord {
    name: string;
    lastMessage?: TextMessage;
    /** Bounded, newest last. */
    history: TextMessage[];
}

export interface UnknownChannelRecord {
    /** Channel id from the envelope (may be empty for PKI) */
    channelId: string;
    channelHash: number;
    packets: number;
    lastGateway: string;
    /** Epoch ms */
    lastSeen: number;
}

/**
 * A partition: received = decoded + undecryptable + invalid + ignored. `duplicates` and `filtered` are parts of
 * decoded/undecryptable (the packet was understood first), `unknownChannels` counts channels, not packets.
 */
export interface MeshStats {
    received: number;
    decoded: number;
    duplicates: number;
    undecryptable: number;
    invalid: number;
    /** Messages on topics that are not Meshtastic packets (other clients of the broker). */
    ignored: number;
    unknownChannels: number;
    /** Packets dropped on purpose by filters (allow-list, max hops). */
    filtered: number;
    /** TEXT_MESSAGE_COMPRESSED_APP packets (part of decoded): no compatible maintained decoder exists. */
    compressedTexts: number;
}

/** What changed after ingesting a packet or a timer tick. */
export type MeshEvent =
    | { type: 'node'; node: Readonly<NodeRecord>; sections: ReadonlySet<NodeSection>; isNew: boolean }
    | { type: 'nodeRemoved'; num: number; hex: string; reason: 'maxNodes' | 'purge' }
    | { type: 'channelMessage'; channel: Readonly<ChannelRecord>; message: TextMessage }
    | { type: 'directMessage'; message: TextMessage }
    | { type: 'unknownChannel'; record: Readonly<UnknownChannelRecord>; firstSeen: boolean }
    | { type: 'waypoint'; waypoint: Readonly<WaypointRecord> }
    | { type: 'waypointRemoved'; id: number; reason: 'expired' | 'deleted' | 'limit' };

/** Normalised by `config/` (ranges and defaults); the model takes them as they are. */
export interface MeshOptions {
    /** At most this many nodes; the least recently heard is dropped first. */
    readonly maxNodes: number;
    /** Presence turns `offline` after this long without a packet. */
    readonly offlineMinutes: number;
    /** Nodes unheard for this many days are purged by `purge()`. 0 = never. */
    readonly purgeDays: number;
    /** Accept only these node numbers when non-empty. */
    readonly allowList: ReadonlySet<number>;
    /** Drop packets whose hopsAway is known and larger (0 = no limit). */
    readonly maxHops: number;
    /** Entries per text history (node and channel). */
    readonly historySize: number;
    /** Dedup window in ms. */
    readonly dedupWindowMs: number;
    /** Our own virtual node number (packets from it are not shown as received), 0 if none. */
    readonly ownNodeNum: number;
    /** Upper bound of packets remembered for dedup (default 50,000; the oldest is evicted first). */
    readonly dedupMaxEntries?: number;
    /** A detection sensor's `alarm` falls back to false this long after its last detection (default 60 s). */
    readonly detectionAlarmMs?: number;
    /** Waypoints kept (default 200; the least recently updated goes first). */
    readonly maxWaypoints?: number;
}

export type { MapReportPayload };
