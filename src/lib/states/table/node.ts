/** Fixed states of a node (`nodes.<hex>.*`); telemetry metrics are in `telemetry.ts`. */
import type { NodeRecord, Presence } from '../../mesh/types';
import {
    asStr,
    putFixTime,
    putGateway,
    putGateways,
    putHistory,
    putLastHeard,
    putNeighbors,
    putNodeLabel,
    putOnlineLocalNodes,
    putPosition,
    putRadioNumber,
    putUser,
    putUserFlag,
    putViaMqtt,
} from './restore-coercion';
import { PACKET_NODE_STATES } from './packets';
import { bool, common, type NodeStateSpec, num, str } from './spec';
import { TELEMETRY_FOLDER } from './tree';
import { cleanDegrees, cleanFloat, json } from './values';

/** Presence values (MESS.HOST-style) shown as `common.states`. */
export const PRESENCE_STATES: Readonly<Record<string, string>> = { mqtt: 'mqtt', rf: 'rf', offline: 'offline' };

/** `value.gps` text: "latitude;longitude". */
function gpsText(node: Readonly<NodeRecord>): string | undefined {
    const lat = cleanDegrees(node.position?.latitude);
    const lon = cleanDegrees(node.position?.longitude);
    return lat === undefined || lon === undefined ? undefined : `${lat};${lon}`;
}

function putPresence(node: NodeRecord, v: ioBroker.StateValue): void {
    const s = asStr(v);
    if (s !== undefined && Object.prototype.hasOwnProperty.call(PRESENCE_STATES, s)) {
        node.presence = s as Presence;
    }
}

/** Battery level > 100 means "powered" in DeviceMetrics. */
function externalPower(node: Readonly<NodeRecord>): boolean | undefined {
    const level = node.telemetry.device?.batteryLevel;
    return level === undefined ? undefined : level > 100;
}

function putExternalPower(node: NodeRecord, v: ioBroker.StateValue): void {
    if (v === true) {
        node.telemetry.device = { ...node.telemetry.device, batteryLevel: 101 };
    }
}

/** Fixed (non-telemetry-metric) states of a node. Telemetry metrics are in TELEMETRY_METRICS. */
export const NODE_STATES: readonly NodeStateSpec[] = [
    // info
    { id: 'info.id', section: 'info', common: str('Node id', 'info.address'), get: n => `!${n.hex}` },
    { id: 'info.num', section: 'info', common: num('Node number', 'value'), get: n => n.num },
    {
        id: 'info.longName',
        section: 'info',
        common: str('Long name', 'info.name'),
        get: n => n.user?.longName,
        put: putUser('longName'),
    },
    {
        id: 'info.shortName',
        section: 'info',
        common: str('Short name', 'text'),
        get: n => n.user?.shortName,
        put: putUser('shortName'),
    },
    {
        id: 'info.hwModel',
        section: 'info',
        common: str('Hardware model', 'info.hardware'),
        get: n => n.user?.hwModel,
        put: putUser('hwModel'),
    },
    {
        id: 'info.role',
        section: 'info',
        common: str('Device role', 'text'),
        get: n => n.user?.role,
        put: putUser('role'),
    },
    {
        id: 'info.firmware',
        section: 'info',
        common: str('Firmware version', 'info.firmware'),
        get: n => n.firmware,
        put: putNodeLabel('firmware'),
    },
    {
        id: 'info.publicKey',
        section: 'info',
        common: str('Public key (base64)', 'text'),
        get: n => n.user?.publicKey || undefined,
        put: putUser('publicKey'),
    },
    {
        id: 'info.region',
        section: 'info',
        common: str('LoRa region', 'text'),
        get: n => n.region,
        put: putNodeLabel('region'),
    },
    {
        id: 'info.modemPreset',
        section: 'info',
        common: str('Modem preset', 'text'),
        get: n => n.modemPreset,
        put: putNodeLabel('modemPreset'),
    },
    {
        id: 'info.licensed',
        section: 'info',
        common: bool('Licensed operator (unencrypted)', 'indicator'),
        get: n => n.user?.isLicensed,
        put: putUserFlag('isLicensed'),
    },
    {
        id: 'info.unmessagable',
        section: 'info',
        common: bool('Does not accept messages', 'indicator'),
        get: n => n.user?.isUnmessagable,
        put: putUserFlag('isUnmessagable'),
    },
    {
        id: 'info.onlineLocalNodes',
        section: 'info',
        common: num('Online nodes around it (map report)', 'value'),
        get: n => n.numOnlineLocalNodes,
        put: putOnlineLocalNodes,
    },

    // position
    {
        id: 'position.latitude',
        section: 'position',
        common: num('Latitude', 'value.gps.latitude', '°'),
        get: n => cleanDegrees(n.position?.latitude),
        put: putPosition('latitude'),
    },
    {
        id: 'position.longitude',
        section: 'position',
        common: num('Longitude', 'value.gps.longitude', '°'),
        get: n => cleanDegrees(n.position?.longitude),
        put: putPosition('longitude'),
    },
    {
        id: 'position.altitude',
        section: 'position',
        common: num('Altitude above sea level', 'value.gps.elevation', 'm'),
        get: n => n.position?.altitude,
        put: putPosition('altitude'),
    },
    {
        id: 'position.gps',
        section: 'position',
        common: str('Position "latitude;longitude"', 'value.gps'),
        get: gpsText,
    },
    {
        id: 'position.precisionBits',
        section: 'position',
        common: num('Position precision (bits, 32 = exact)', 'value'),
        get: n => n.position?.precisionBits,
        put: putPosition('precisionBits'),
    },
    {
        id: 'position.accuracy',
        section: 'position',
        common: num('Position accuracy (radius)', 'value.gps.accuracy', 'm'),
        get: n => n.position?.accuracyMeters,
        put: putPosition('accuracyMeters'),
    },
    {
        id: 'position.time',
        section: 'position',
        common: num('Time of the fix', 'date'),
        get: n => (n.position?.time ? n.position.time * 1000 : undefined),
        put: putFixTime,
    },
    {
        id: 'position.groundSpeed',
        section: 'position',
        common: num('Ground speed', 'value.speed', 'm/s'),
        get: n => n.position?.groundSpeed,
        put: putPosition('groundSpeed'),
    },
    {
        id: 'position.groundTrack',
        section: 'position',
        common: num('Heading', 'value', '°'),
        get: n => n.position?.groundTrack,
        put: putPosition('groundTrack'),
    },
    {
        id: 'position.satsInView',
        section: 'position',
        common: num('Satellites in view', 'value'),
        get: n => n.position?.satsInView,
        put: putPosition('satsInView'),
    },

    // radio
    {
        id: 'radio.snr',
        section: 'radio',
        common: num('SNR of the last packet', 'value', 'dB'),
        get: n => (n.radio?.snr === undefined ? undefined : cleanFloat(n.radio.snr)),
        put: putRadioNumber('snr'),
    },
    {
        id: 'radio.rssi',
        section: 'radio',
        common: num('RSSI of the last packet', 'value.rssi', 'dBm'),
        get: n => n.radio?.rssi,
        put: putRadioNumber('rssi'),
    },
    {
        id: 'radio.hopsAway',
        section: 'radio',
        common: num('Hops away', 'value'),
        get: n => n.radio?.hopsAway,
        put: putRadioNumber('hopsAway'),
    },
    {
        id: 'radio.viaMqtt',
        section: 'radio',
        common: bool('Last packet came via MQTT', 'indicator'),
        get: n => n.radio?.viaMqtt,
        put: putViaMqtt,
    },
    {
        id: 'radio.gateway',
        section: 'radio',
        common: str('Gateway that delivered the last packet first', 'text'),
        get: n => n.radio?.gateway || undefined,
        put: putGateway,
    },
    {
        id: 'radio.gatewayCount',
        section: 'radio',
        common: num('Gateways that uplinked the last packet', 'value'),
        get: n => n.radio?.gatewayCount,
        put: putRadioNumber('gatewayCount'),
    },
    {
        id: 'radio.gateways',
        section: 'radio',
        common: str('Gateways that uplinked the last packet (JSON, first 16)', 'json'),
        get: n => (n.radio?.gateways ? json(n.radio.gateways) : undefined),
        put: putGateways,
    },

    // status
    {
        id: 'status.lastHeard',
        section: 'status',
        common: num('Last heard', 'date'),
        get: n => (n.lastHeard > 0 ? n.lastHeard : undefined),
        put: putLastHeard,
    },
    {
        id: 'status.online',
        section: 'status',
        common: bool('Online', 'indicator.reachable'),
        get: n => n.presence !== 'offline',
    },
    {
        id: 'status.presence',
        section: 'status',
        common: common('Presence (mqtt = uplinks itself, rf = heard via others)', 'string', 'text', undefined, {
            ...PRESENCE_STATES,
        }),
        get: n => n.presence,
        put: putPresence,
    },

    // neighbors (directly under the device)
    {
        id: 'neighbors',
        section: 'neighbors',
        common: str('Neighbours (JSON: nodeId, id, snr)', 'json'),
        get: n => (n.neighbors ? json(n.neighbors) : undefined),
        put: putNeighbors,
    },

    // messages
    {
        id: 'messages.lastText',
        section: 'messages',
        common: str('Last text from this node', 'text'),
        event: true,
        get: n => n.lastText?.text,
    },
    {
        id: 'messages.history',
        section: 'messages',
        common: str('Recent texts from this node (JSON, newest last)', 'json'),
        // appears with the node's first text: most nodes never send one, and an empty list is no data
        get: n => (n.history.length > 0 ? json(n.history) : undefined),
        put: putHistory,
    },

    // telemetry extras (derived from metrics)
    {
        id: `${TELEMETRY_FOLDER}.device.externalPower`,
        section: 'telemetry.device',
        common: bool('Externally powered (battery level > 100)', 'indicator'),
        get: externalPower,
        put: putExternalPower,
    },

    // traceroute, detection sensor, alert, range test
    ...PACKET_NODE_STATES,
];
