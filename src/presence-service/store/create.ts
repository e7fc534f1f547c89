import type { Store } from './ports.js';
import { createEmbeddedStore } from './memory.js';
import { createRedisStore } from './redis.js';

export type StoreOptions = { kind: 'embedded'; dataDir: string } | { kind: 'redis'; url: string; keyPrefix?: string };

/** The store the configuration asks for. */
export function createStore(opts: StoreOptions, clock?: () => number): Promise<Store> {
  return opts.kind === 'embedded'
    ? createEmbeddedStore({ dataDir: opts.dataDir, clock })
    : createRedisStore({ url: opts.url, keyPrefix: opts.keyPrefix, clock });
}
