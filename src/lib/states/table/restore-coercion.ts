/** Coercion of stored state values back into node records (restart): anything unexpected is ignored. */
import type { PositionInfo } from '../../codec/types';
import { finite } from '../../mesh/util';
import type { NodeRadio, NodeRecord, NodeUser, TextMessage } from '../../mesh/types';

export const asNum: (v: ioBroker.StateValue) => number | undefined = finite;
export const asStr = (v: ioBroker.StateValue): string | undefined => (typeof v === 'string' ? v : undefined);
export const asBool = (v: ioBroker.StateValue): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
export function asJson(v: ioBroker.StateValue): unknown {
    if (typeof v !== 'string') {
        return undefined;
    }
    try {
        return JSON.parse(v) as unknown;
    } catch {
        return undefined;
    }
}

export function userOf(node: NodeRecord): NodeUser {
    node.user ??= { longName: '', shortName: '', hwModel: '', role: '', isLicensed: false, isUnmessagable: false };
    return node.user;
}

export function positionOf(node: NodeRecord): PositionInfo {
    node.position ??= { precisionBits: 32, accuracyMeters: 0 };
    return node.position;
}

export function radioOf(node: NodeRecord): NodeRadio {
    node.radio ??= { viaMqtt: false, gateway: '', gatewayCount: 0 };
    return node.radio;
}

/** Setter for a string field of the user record. */
export const putUser =
    (key: 'longName' | 'shortName' | 'hwModel' | 'role' | 'publicKey') =>
    (node: NodeRecord, v: ioBroker.StateValue): void => {
        const s = asStr(v);
        if (s !== undefined) {
            userOf(node)[key] = s;
        }
    };

export const putUserFlag =
    (key: 'isLicensed' | 'isUnmessagable') =>
    (node: NodeRecord, v: ioBroker.StateValue): void => {
        const b = asBool(v);
        if (b !== undefined) {
            userOf(node)[key] = b;
        }
    };

export const putNodeLabel =
    (key: 'firmware' | 'region' | 'modemPreset') =>
    (node: NodeRecord, v: ioBroker.StateValue): void => {
        const s = asStr(v);
        if (s !== undefined) {
            node[key] = s;
        }
    };

export const putPosition =
    (
        key:
            | 'latitude'
            | 'longitude'
            | 'altitude'
            | 'precisionBits'
            | 'accuracyMeters'
            | 'groundSpeed'
            | 'groundTrack'
            | 'satsInView',
    ) =>
    (node: NodeRecord, v: ioBroker.StateValue): void => {
        const n = asNum(v);
        if (n !== undefined) {
            positionOf(node)[key] = n;
        }
    };

export const putRadioNumber =
    (key: 'snr' | 'rssi' | 'hopsAway' | 'gatewayCount') =>
    (node: NodeRecord, v: ioBroker.StateValue): void => {
        const n = asNum(v);
        if (n !== undefined) {
            radioOf(node)[key] = n;
        }
    };

export function putOnlineLocalNodes(node: NodeRecord, v: ioBroker.StateValue): void {
    const x = asNum(v);
    if (x !== undefined) {
        node.numOnlineLocalNodes = x;
    }
}

export function putFixTime(node: NodeRecord, v: ioBroker.StateValue): void {
    const ms = asNum(v);
    if (ms !== undefined) {
        positionOf(node).time = Math.round(ms / 1000);
    }
}

export function putViaMqtt(node: NodeRecord, v: ioBroker.StateValue): void {
    const b = asBool(v);
    if (b !== undefined) {
        radioOf(node).viaMqtt = b;
    }
}

export function putGateway(node: NodeRecord, v: ioBroker.StateValue): void {
    const s = asStr(v);
    if (s !== undefined) {
        radioOf(node).gateway = s;
    }
}

export function putGateways(node: NodeRecord, v: ioBroker.StateValue): void {
    const list = asJson(v);
    if (Array.isArray(list)) {
        radioOf(node).gateways = list.filter((g): g is string => typeof g === 'string');
    }
}

export function putLastHeard(node: NodeRecord, v: ioBroker.StateValue): void {
    const ms = asNum(v);
    if (ms !== undefined) {
        node.lastHeard = ms;
    }
}

export function putNeighbors(node: NodeRecord, v: ioBroker.StateValue): void {
    const list = asJson(v);
    if (Array.isArray(list)) {
        node.neighbors = list as NodeRecord['neighbors']; // re-validated by the mesh model's restore
    }
}

export function putHistory(node: NodeRecord, v: ioBroker.StateValue): void {
    const list = asJson(v);
    if (Array.isArray(list)) {
        node.history = list as TextMessage[]; // re-validated by the mesh model's restore
        node.lastText = node.history[node.history.length - 1];
    }
}
