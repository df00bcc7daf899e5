"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NODE_CONTAINERS = exports.TELEMETRY_FOLDER = exports.CHANNEL_CONTAINER_TYPE = exports.NODE_CONTAINER_TYPE = exports.WAYPOINT_CONTAINER_TYPE = exports.ROOT_CONTAINERS = exports.ROOT = void 0;
/** Top-level ids (relative to the namespace). */
exports.ROOT = {
    nodes: 'nodes',
    channels: 'channels',
    messages: 'messages',
    stats: 'stats',
    info: 'info',
    waypoints: 'waypoints',
};
exports.ROOT_CONTAINERS = {
    nodes: { type: 'folder', name: 'Mesh nodes' },
    channels: { type: 'folder', name: 'Channels' },
    messages: { type: 'channel', name: 'Text messages' },
    stats: { type: 'channel', name: 'Reception statistics' },
    info: { type: 'channel', name: 'Information' },
    waypoints: { type: 'folder', name: 'Waypoints' },
};
/** The object type of `waypoints.<id>`. */
exports.WAYPOINT_CONTAINER_TYPE = 'channel';
/** The object type of `nodes.<hex>` and of `channels.<name>`. */
exports.NODE_CONTAINER_TYPE = 'device';
exports.CHANNEL_CONTAINER_TYPE = 'channel';
/** Parent id of the telemetry variant channels inside a node. */
exports.TELEMETRY_FOLDER = 'telemetry';
/** Containers inside `nodes.<hex>` (ids relative to the device). Every state's parent chain is listed here. */
exports.NODE_CONTAINERS = {
    info: { type: 'channel', name: 'Node information' },
    position: { type: 'channel', name: 'Position' },
    radio: { type: 'channel', name: 'Radio reception' },
    status: { type: 'channel', name: 'Status' },
    messages: { type: 'channel', name: 'Text messages from this node' },
    [exports.TELEMETRY_FOLDER]: { type: 'folder', name: 'Telemetry' },
    [`${exports.TELEMETRY_FOLDER}.device`]: { type: 'channel', name: 'Device metrics' },
    [`${exports.TELEMETRY_FOLDER}.environment`]: { type: 'channel', name: 'Environment metrics' },
    [`${exports.TELEMETRY_FOLDER}.airQuality`]: { type: 'channel', name: 'Air quality metrics' },
    [`${exports.TELEMETRY_FOLDER}.power`]: { type: 'channel', name: 'Power metrics' },
    [`${exports.TELEMETRY_FOLDER}.localStats`]: { type: 'channel', name: 'Local statistics' },
    [`${exports.TELEMETRY_FOLDER}.health`]: { type: 'channel', name: 'Health metrics' },
    [`${exports.TELEMETRY_FOLDER}.host`]: { type: 'channel', name: 'Host metrics' },
    [`${exports.TELEMETRY_FOLDER}.pax`]: { type: 'channel', name: 'Paxcounter' },
    traceroute: { type: 'channel', name: 'Traceroute' },
    detection: { type: 'channel', name: 'Detection sensor' },
    alert: { type: 'channel', name: 'Alerts from this node' },
    rangeTest: { type: 'channel', name: 'Range test' },
};
