/**
 * The mesh model layer (pure: no ioBroker, no I/O, no timers). Entry point: `MeshModel`.
 * Events carry live records: read them synchronously, do not mutate or keep them.
 */
export type * from './types';
export { LinkedMap } from './linked-map';
export { PacketDeduplicator, DEFAULT_DEDUP_MAX_ENTRIES, MAX_GATEWAYS_PER_PACKET } from './dedup';
export type { DedupEntry, DedupResult, Reception } from './dedup';
export { NodeStore } from './node-store';
export { MAX_NEIGHBORS, MAX_METRICS_PER_VARIANT, newNodeRecord } from './record';
export { sanitizeRecord } from './restore';
export type { CreateResult } from './node-store';
export { computePresence, updatePresence, offlineMs } from './presence';
export { MeshModel } from './model';
export { ChannelRegistry, MAX_EXTRA_CHANNELS, MAX_UNKNOWN_CHANNELS, UnknownChannels } from './channels';
export { precisionRadiusMeters } from './handlers/position';
export {
    hexOf,
    nodeIdOf,
    parseNodeId,
    isBroadcast,
    isRealNodeNum,
    sanitizeLabel,
    sanitizeText,
    MAX_LONG_NAME,
    MAX_SHORT_NAME,
} from './util';
