import type { Store } from './ports.js';
import type { RedisEvent } from './redis-connection.js';
import { connectCluster, connectSingle, type PubSubChoice } from './redis-backend.js';
import type { KeyLayoutName } from './redis-layout.js';
import { RedisKeyValueStore } from './redis-kv.js';
import { RedisEphemeralStore } from './redis-ephemeral.js';
import { RedisBus } from './redis-bus.js';

export interface RedisStoreOptions {
  /** A single server (`redis://` or `rediss://`). Exactly one of url and clusterNodes. */
  url?: string;
  /** Some nodes of a Redis Cluster; the client discovers the rest. */
  clusterNodes?: readonly string[];
  /** Prepended to every key and channel (several deployments or tests on one Redis). */
  keyPrefix?: string;
  clock?: () => number;
  /** How long startup waits for Redis before failing (default STARTUP_TIMEOUT_MS). */
  startupTimeoutMs?: number;
  /** Connection events for logging; messages never contain the URL. */
  onEvent?: (e: RedisEvent & { connection: 'commands' | 'subscriber' }) => void;
  /** Key names (store/redis-layout.ts): a cluster always uses `slotted`; a single server defaults to `plain`. */
  layout?: KeyLayoutName;
  /** `auto` (default): sharded pub/sub on Redis 7+, classic before. */
  pubsub?: PubSubChoice;
}

/**
 * The shared store for N instances, on one Redis server or a Redis Cluster. Two
 * connections: one for commands, one for pub/sub. While Redis is unreachable every call
 * rejects at once with StoreUnavailableError and healthy() is false; both connections
 * reconnect by themselves.
 */
export async function createRedisStore(opts: RedisStoreOptions): Promise<Store> {
  if (Boolean(opts.url) === Boolean(opts.clusterNodes?.length)) throw new RangeError('createRedisStore needs exactly one of url and clusterNodes');
  const prefix = opts.keyPrefix ?? '';
  const backendOptions = { startupTimeoutMs: opts.startupTimeoutMs, onEvent: opts.onEvent ?? (() => {}), layout: opts.layout, pubsub: opts.pubsub };
  const backend = opts.url ? await connectSingle(opts.url, backendOptions) : await connectCluster(opts.clusterNodes!, backendOptions);
  let closed = false;
  return {
    kind: 'redis',
    kv: new RedisKeyValueStore(backend.commands, `${prefix}d:`, backend.layout),
    ephemeral: new RedisEphemeralStore(backend.commands, prefix, opts.clock ?? Date.now, backend.layout),
    bus: new RedisBus(backend, `${prefix}bus:`),
    healthy: () => !closed && backend.commands.isReady && backend.subscriber.isReady,
    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}
