/** The JSON node summaries of `sendTo` answers (admin node search). */
import type { TelemetryVariant } from '../codec/types';
import type { NodeRecord } from '../mesh/types';
import { nodeBaseId, nodeDisplayName } from '../states';

export interface NodeSummary {
    id: string;
    num: number;
    hex: string;
    /** Object id of the node's device, relative to the namespace. */
    objectId: string;
    name: string;
    longName?: string;
    shortName?: string;
    hwModel?: string;
    role?: string;
    lastHeard: number;
    presence: string;
    hopsAway?: number;
    snr?: number;
    rssi?: number;
    viaMqtt?: boolean;
    latitude?: number;
    longitude?: number;
    /** Only with `detailed`. */
    details?: {
        firmware?: string;
        region?: string;
        modemPreset?: string;
        publicKey?: string;
        position?: NodeRecord['position'];
        telemetry: Partial<Record<TelemetryVariant, Record<string, number>>>;
        radio?: NodeRecord['radio'];
        neighbors?: NodeRecord['neighbors'];
        lastText?: NodeRecord['lastText'];
        traceroute?: NodeRecord['traceroute'];
        detection?: NodeRecord['detection'];
        alert?: NodeRecord['alert'];
        rangeTest?: NodeRecord['rangeTest'];
        packets: number;
        lastMqtt: number;
    };
}

/**
 * A JSON-friendly summary of a node (for sendTo answers). Only `detailed === true` adds telemetry, position, radio and
 * neighbours, so the function can be handed to `Array.map` directly (the index is ignored).
 */
export function nodeSummary(node: Readonly<NodeRecord>, detailed: boolean | number = false): NodeSummary {
    const summary: NodeSummary = {
        id: node.id,
        num: node.num,
        hex: node.hex,
        objectId: nodeBaseId(node.hex),
        name: nodeDisplayName(node),
        lastHeard: node.lastHeard,
        presence: node.presence,
    };
    if (node.user) {
        summary.longName = node.user.longName;
        summary.shortName = node.user.shortName;
        summary.hwModel = node.user.hwModel;
        summary.role = node.user.role;
    }
    if (node.radio) {
        summary.hopsAway = node.radio.hopsAway;
        summary.snr = node.radio.snr;
        summary.rssi = node.radio.rssi;
        summary.viaMqtt = node.radio.viaMqtt;
    }
    if (node.position) {
        summary.latitude = node.position.latitude;
        summary.longitude = node.position.longitude;
    }
    if (detailed === true) {
        summary.details = {
            firmware: node.firmware,
            region: node.region,
            modemPreset: node.modemPreset,
            publicKey: node.user?.publicKey,
            position: node.position,
            telemetry: node.telemetry,
            radio: node.radio,
            neighbors: node.neighbors,
            lastText: node.lastText,
            traceroute: node.traceroute,
            detection: node.detection,
            alert: node.alert,
            rangeTest: node.rangeTest,
            packets: node.packets,
            lastMqtt: node.lastMqtt,
        };
    }
    return summary;
}
