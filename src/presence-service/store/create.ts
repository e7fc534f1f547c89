import type { Store } from './ports.js';
import { createEmbeddedStore, type EmbeddedStoreOptions } from './embedded.js';
import { createRedisStore, type RedisStoreOptions } from './redis.js';

export type StoreOptions = ({ kind: 'embedded' } & Omit<EmbeddedStoreOptions, 'clock'>) | ({ kind: 'redis' } & Omit<RedisStoreOptions, 'clock'>);

/** The store the configuration asks for. */
export function createStore(opts: StoreOptions, clock?: () => number): Promise<Store> {
  const { kind, ...rest } = opts;
  return kind === 'embedded' ? createEmbeddedStore({ ...(rest as EmbeddedStoreOptions), clock }) : createRedisStore({ ...(rest as RedisStoreOptions), clock });
}

/** What the configuration asks for: a Redis Cluster, one Redis server, or the embedded store. */
export function storeOptions(config: { redisUrl: string | null; redisClusterNodes: readonly string[]; redisKeyPrefix: string; dataDir: string }): StoreOptions {
  if (config.redisClusterNodes.length) return { kind: 'redis', clusterNodes: config.redisClusterNodes, keyPrefix: config.redisKeyPrefix };
  if (config.redisUrl) return { kind: 'redis', url: config.redisUrl, keyPrefix: config.redisKeyPrefix };
  return { kind: 'embedded', dataDir: config.dataDir };
}
