export * from './ports.js';
export { keys, channels, tenantPrefix, escapePart, unescapePart, KeyPartError } from './keys.js';
export { createStore, storeOptions, type StoreOptions } from './create.js';
export { createEmbeddedStore, type EmbeddedStoreOptions } from './embedded.js';
export { StoreFileError } from './file-kv.js';
export { createRedisStore, type RedisStoreOptions } from './redis.js';
export { slotTag, type KeyLayoutName } from './redis-layout.js';
export type { RedisEvent } from './redis-connection.js';
