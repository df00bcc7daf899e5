export * from './table';
export { nodeDisplayName } from './table/values';
export * from './ids';
export * from './send-targets';
export * from './batches';
export * from './restore';
export * from './info';
export * from './writer';
export * from './cadence';
