/**
 * THE declarative table of the adapter's public state tree: every id, role, unit and name lives here and nowhere
 * else, one file per section; `spec.ts` documents every field of a spec.
 */
export { TELEMETRY_VARIANTS } from '../../codec/types';
export * from './spec';
export * from './tree';
export * from './node';
export * from './telemetry';
export * from './packets';
export * from './channel';
export * from './send';
export * from './stats-info';
export { cleanFloat } from './values';
