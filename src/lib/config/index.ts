/**
 * The adapter's settings: `native` validated and normalised once (normalise.ts, by section in connection.ts and
 * mesh-settings.ts), the memory hint (memory.ts), and the secrets as stored at rest (secrets.ts). Pure.
 */
export type * from './types';
export { CLIENT_PRESETS } from './connection';
export { parseNodeNum } from './field-reader';
export { DEFAULT_TILE_URL } from './mesh-settings';
export { clientSubscriptions, normaliseConfig } from './normalise';
export { BASE_HEAP_MB, HEAP_PER_NODE_KB, memoryAdvice } from './memory';
export { loadSecrets, readSecrets, tableCipher } from './secrets';
export type { LoadedSecrets, SecretCrypto, SecretsAtRest, SecretsHost } from './secrets';
