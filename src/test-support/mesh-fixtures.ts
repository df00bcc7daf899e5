/**
 * Hand-built codec outputs for the mesh model's tests. Not compiled into the build (tsconfig.build excludes
 * src/test-support/**).
 */
import { nodeIdString } from '../lib/codec/encoder';
import { emptyData, emptyHeader } from '../lib/codec/wire';
import { MAP_REPORT_APP, PortNum, TEXT_MESSAGE_APP } from '../lib/codec/portnums';
import type {
    DataMessage,
    DecodedPacket,
    Encryption,
    MapReportPayload,
    MeshPayload,
    OpaquePacket,
    PacketHeader,
    PositionInfo,
    TelemetryVariant,
    UserInfo,
} from '../lib/codec/types';
import { MeshModel } from '../lib/mesh/model';
import type { MeshEvent, MeshOptions, NodeRecord, NodeSection } from '../lib/mesh/types';
import { hexOf } from '../lib/mesh/util';

/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const BROADCAST = 0xffffffff;

/** The gateway id of a node number, as the codec writes it. */
export const gw = nodeIdString;

/** Options as `config/` normalises them (its defaults, smaller bounds for tests). */
export function meshOptions(overrides: Partial<MeshOptions> = {}): MeshOptions {
    return {
        maxNodes: 100,
        offlineMinutes: 120,
        purgeDays: 7,
        allowList: new Set<number>(),
        maxHops: 0,
        historySize: 5,
        dedupWindowMs: 10 * MINUTE,
        ownNodeNum: 0,
        ...overrides,
    };
}

/** A model over `meshOptions(overrides)` with these configured channels. */
export function meshModel(overrides: Partial<MeshOptions> = {}, channels = ['LongFast']): MeshModel {
    return new MeshModel(meshOptions(overrides), channels);
}

/** The codec's empty header (its defaults) with a sender, broadcast destination and hop counts as tests want them. */
export function header(overrides: Partial<PacketHeader> = {}): PacketHeader {
    return { ...emptyHeader(), from: 0x11111111, to: BROADCAST, id: 1, hopLimit: 3, hopStart: 3, ...overrides };
}

/** The codec's empty Data (its defaults) as a text message with the firmware's "ok to MQTT" bitfield. */
export function data(overrides: Partial<DataMessage> = {}): DataMessage {
    return { ...emptyData(), portnum: TEXT_MESSAGE_APP, bitfield: 1, ...overrides };
}

export interface PacketSpec {
    from: number;
    id?: number;
    to?: number;
    gateway?: string;
    channelName?: string;
    channelId?: string;
    encryption?: Encryption;
    payload?: MeshPayload;
    header?: Partial<PacketHeader>;
    data?: Partial<DataMessage>;
    payloadError?: string;
}

export function decoded(spec: PacketSpec): DecodedPacket {
    const channelId = spec.channelId ?? spec.channelName ?? 'LongFast';
    const gatewayId = spec.gateway ?? gw(0x0a0a0a0a);
    const packet: DecodedPacket = {
        topic: { root: 'msh/EU_868', kind: 'e', channelId, gatewayId },
        channelId,
        gatewayId,
        header: header({ from: spec.from, id: spec.id ?? 1, to: spec.to ?? BROADCAST, ...spec.header }),
        encryption: spec.encryption ?? 'channel',
        channelName: spec.channelName ?? channelId,
        data: data(spec.data),
        payload: spec.payload ?? { type: 'raw', portnum: PortNum.PRIVATE_APP, bytes: new Uint8Array(0) },
    };
    if (spec.payloadError !== undefined) {
        packet.payloadError = spec.payloadError;
    }
    return packet;
}

export function opaque(
    spec: Omit<PacketSpec, 'payload' | 'data' | 'encryption' | 'channelName'> & { reason?: 'pki' | 'decrypt' },
): OpaquePacket {
    const channelId = spec.channelId ?? 'Secret';
    const gatewayId = spec.gateway ?? gw(0x0a0a0a0a);
    return {
        topic: { root: 'msh/EU_868', kind: 'e', channelId, gatewayId },
        channelId,
        gatewayId,
        header: header({ from: spec.from, id: spec.id ?? 1, to: spec.to ?? BROADCAST, ...spec.header }),
        reason: spec.reason ?? 'decrypt',
    };
}

export function text(value: string): MeshPayload {
    return { type: 'text', text: value };
}

export function position(overrides: Partial<PositionInfo> = {}): MeshPayload {
    return {
        type: 'position',
        position: {
            latitude: 52.52,
            longitude: 13.405,
            altitude: 34,
            precisionBits: 32,
            accuracyMeters: 0,
            ...overrides,
        },
    };
}

export function nodeinfo(overrides: Partial<UserInfo> = {}): MeshPayload {
    return {
        type: 'nodeinfo',
        user: {
            id: '!11111111',
            longName: 'Alpha Station',
            shortName: 'ALP',
            hwModel: 'HELTEC_V3',
            hwModelNumber: 43,
            role: 'CLIENT',
            roleNumber: 0,
            isLicensed: false,
            isUnmessagable: false,
            ...overrides,
        },
    };
}

export function telemetry(variant: TelemetryVariant, metrics: Record<string, number>, time = 0): MeshPayload {
    return { type: 'telemetry', telemetry: { variant, time, metrics } };
}

export function neighborinfo(nodeId: number, neighbors: { nodeId: number; snr: number }[]): MeshPayload {
    return {
        type: 'neighborinfo',
        neighborInfo: { nodeId, lastSentById: nodeId, broadcastIntervalSecs: 900, neighbors },
    };
}

export function mapReport(overrides: Partial<MapReportPayload> = {}): MeshPayload {
    return {
        type: 'mapreport',
        mapReport: {
            longName: 'Gateway Roof',
            shortName: 'GWR',
            role: 'CLIENT_MUTE',
            hwModel: 'RAK4631',
            firmwareVersion: '2.7.15.567b8ea',
            region: 'EU_868',
            modemPreset: 'LONG_FAST',
            hasDefaultChannel: true,
            latitude: 48.1,
            longitude: 11.6,
            altitude: 520,
            positionPrecision: 14,
            numOnlineLocalNodes: 23,
            hasOptedReportLocation: true,
            ...overrides,
        },
    };
}

/** A map report packet as a gateway publishes it on `<root>/2/map/`: from == gateway, id 0, decoded. */
export function mapReportPacket(from: number, overrides: Partial<MapReportPayload> = {}): DecodedPacket {
    const packet = decoded({
        from,
        id: 0,
        gateway: gw(from),
        encryption: 'none',
        payload: mapReport(overrides),
        header: { hopStart: 0, hopLimit: 0 },
        data: { portnum: MAP_REPORT_APP, bitfield: undefined },
    });
    packet.topic = { root: 'msh/EU_868', kind: 'map', gatewayId: gw(from) };
    return packet;
}

// ---- event helpers ----------------------------------------------------------------------------------

export function eventsOfType<T extends MeshEvent['type']>(
    events: MeshEvent[],
    type: T,
): Extract<MeshEvent, { type: T }>[] {
    return events.filter((e): e is Extract<MeshEvent, { type: T }> => e.type === type);
}

export type NodeEvent = Extract<MeshEvent, { type: 'node' }>;

export function nodeEvents(events: MeshEvent[]): NodeEvent[] {
    return events.filter((e): e is NodeEvent => e.type === 'node');
}

export function nodeEvent(events: MeshEvent[], num: number): NodeEvent | undefined {
    return nodeEvents(events).find(e => e.node.num === num);
}

export function sectionsOf(events: MeshEvent[], num: number): NodeSection[] {
    const event = nodeEvent(events, num);
    return event ? [...event.sections].sort() : [];
}

export function removals(events: MeshEvent[]): Extract<MeshEvent, { type: 'nodeRemoved' }>[] {
    return events.filter((e): e is Extract<MeshEvent, { type: 'nodeRemoved' }> => e.type === 'nodeRemoved');
}

export function record(num: number, overrides: Partial<NodeRecord> = {}): NodeRecord {
    return {
        num,
        id: nodeIdString(num),
        hex: hexOf(num),
        telemetry: {},
        lastHeard: T0,
        lastMqtt: 0,
        presence: 'rf',
        history: [],
        packets: 1,
        ...overrides,
    };
}
