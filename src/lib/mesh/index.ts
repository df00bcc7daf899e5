/**
 * The mesh model layer (pure: no ioBroker, no I/O, no timers). Entry point: `MeshModel`.
 * Events carry live records: read them synchronously, do not mutate or keep them.
 */
export type * from './types';
export { LinkedMap } from './linked-map';
export { PacketDeduplicator, DEFAULT_DEDUP_MAX_ENTRIES, MAX_GATEWAYS_PER_PACKET } from './dedup';
export type { DedupEntry, DedupResult, Reception } from './dedup';
export { NodeStore, MAX_NEIGHBORS, MAX_METRICS_PER_VARIANT, newNodeRecord, sanitizeRecord } from './node-store';
export type { CreateResult } from './node-store';
export { computePresence, updatePresence, offlineMs } from './presence';
export { MeshModel, MAX_UNKNOWN_CHANNELS, MAX_EXTRA_CHANNELS, precisionRadiusMeters } from './model';
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
