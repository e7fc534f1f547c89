import type { Store } from './ports.js';
import { createEmbeddedStore, type EmbeddedStoreOptions } from './memory.js';
import { createRedisStore, type RedisStoreOptions } from './redis.js';

export type StoreOptions =
  | ({ kind: 'embedded' } & Omit<EmbeddedStoreOptions, 'clock'>)
  | ({ kind: 'redis' } & Omit<RedisStoreOptions, 'clock'>);

/** The store the configuration asks for. */
export function createStore(opts: StoreOptions, clock?: () => number): Promise<Store> {
  const { kind, ...rest } = opts;
  return kind === 'embedded' ? createEmbeddedStore({ ...(rest as EmbeddedStoreOptions), clock }) : createRedisStore({ ...(rest as RedisStoreOptions), clock });
}
