/** The containers of the state tree: top-level ids, their objects, and the containers inside a node. */
import type { ContainerSpec, ContainerType } from './spec';

/** Top-level ids (relative to the namespace). */
export const ROOT = {
    nodes: 'nodes',
    channels: 'channels',
    messages: 'messages',
    stats: 'stats',
    info: 'info',
    waypoints: 'waypoints',
} as const;

export const ROOT_CONTAINERS: Readonly<Record<(typeof ROOT)[keyof typeof ROOT], ContainerSpec>> = {
    nodes: { type: 'folder', name: 'Mesh nodes' },
    channels: { type: 'folder', name: 'Channels' },
    messages: { type: 'channel', name: 'Text messages' },
    stats: { type: 'channel', name: 'Reception statistics' },
    info: { type: 'channel', name: 'Information' },
    waypoints: { type: 'folder', name: 'Waypoints' },
};

/** The object type of `waypoints.<id>`. */
export const WAYPOINT_CONTAINER_TYPE: ContainerType = 'channel';

/** The object type of `nodes.<hex>` and of `channels.<name>`. */
export const NODE_CONTAINER_TYPE: ContainerType = 'device';
export const CHANNEL_CONTAINER_TYPE: ContainerType = 'channel';

/** Parent id of the telemetry variant channels inside a node. */
export const TELEMETRY_FOLDER = 'telemetry';

/** Containers inside `nodes.<hex>` (ids relative to the device). Every state's parent chain is listed here. */
export const NODE_CONTAINERS: Readonly<Record<string, ContainerSpec>> = {
    info: { type: 'channel', name: 'Node information' },
    position: { type: 'channel', name: 'Position' },
    radio: { type: 'channel', name: 'Radio reception' },
    status: { type: 'channel', name: 'Status' },
    messages: { type: 'channel', name: 'Text messages from this node' },
    [TELEMETRY_FOLDER]: { type: 'folder', name: 'Telemetry' },
    [`${TELEMETRY_FOLDER}.device`]: { type: 'channel', name: 'Device metrics' },
    [`${TELEMETRY_FOLDER}.environment`]: { type: 'channel', name: 'Environment metrics' },
    [`${TELEMETRY_FOLDER}.airQuality`]: { type: 'channel', name: 'Air quality metrics' },
    [`${TELEMETRY_FOLDER}.power`]: { type: 'channel', name: 'Power metrics' },
    [`${TELEMETRY_FOLDER}.localStats`]: { type: 'channel', name: 'Local statistics' },
    [`${TELEMETRY_FOLDER}.health`]: { type: 'channel', name: 'Health metrics' },
    [`${TELEMETRY_FOLDER}.host`]: { type: 'channel', name: 'Host metrics' },
    [`${TELEMETRY_FOLDER}.pax`]: { type: 'channel', name: 'Paxcounter' },
    traceroute: { type: 'channel', name: 'Traceroute' },
    detection: { type: 'channel', name: 'Detection sensor' },
    alert: { type: 'channel', name: 'Alerts from this node' },
    rangeTest: { type: 'channel', name: 'Range test' },
};
