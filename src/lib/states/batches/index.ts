/** Pure mapping from mesh model records to object entries and state values (no I/O; specs from `../table`). */
export * from './entries';
export * from './node';
export { metricCommon, nodeHead } from './node-ids';
export * from './messages';
export * from './stats-info';
export * from './waypoints';
