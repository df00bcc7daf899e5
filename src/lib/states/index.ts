export * from './table';
export * from './mapping';
export * from './writer';
