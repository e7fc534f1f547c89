import type { Store } from './ports.js';
import { connectOrFail, newClient, shutdown, type RedisEvent } from './redis-connection.js';
import { RedisKeyValueStore } from './redis-kv.js';
import { RedisEphemeralStore } from './redis-ephemeral.js';
import { RedisBus } from './redis-bus.js';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key and channel (several deployments or tests on one Redis). */
  keyPrefix?: string;
  clock?: () => number;
  /** How long startup waits for Redis before failing (default STARTUP_TIMEOUT_MS). */
  startupTimeoutMs?: number;
  /** Connection events for logging; messages never contain the URL. */
  onEvent?: (e: RedisEvent & { connection: 'commands' | 'subscriber' }) => void;
}

/**
 * The shared store for N instances. Two connections: one for commands, one for pub/sub.
 * While Redis is unreachable every call rejects at once with StoreUnavailableError and
 * healthy() is false; both connections reconnect by themselves.
 */
export async function createRedisStore(opts: RedisStoreOptions): Promise<Store> {
  const prefix = opts.keyPrefix ?? '';
  const report = opts.onEvent ?? (() => {});
  const client = newClient(opts.url, 'presence', (e) => report({ ...e, connection: 'commands' }), true);
  const subscriber = newClient(opts.url, 'presence-sub', (e) => report({ ...e, connection: 'subscriber' }), false);
  await connectOrFail(client, opts.startupTimeoutMs);
  try {
    await connectOrFail(subscriber, opts.startupTimeoutMs);
  } catch (err) {
    await shutdown(client);
    throw err;
  }
  let closed = false;
  return {
    kind: 'redis',
    kv: new RedisKeyValueStore(client, `${prefix}d:`),
    ephemeral: new RedisEphemeralStore(client, prefix, opts.clock ?? Date.now),
    bus: new RedisBus(client, subscriber, `${prefix}bus:`),
    healthy: () => !closed && client.isReady && subscriber.isReady,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([shutdown(client), shutdown(subscriber)]);
    },
  };
}
