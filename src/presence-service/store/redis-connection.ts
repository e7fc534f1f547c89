import { createClient, ErrorReply } from 'redis';
import { StoreUnavailableError } from './ports.js';

/** A command that has not answered by then is treated as an outage, never waited on. */
export const OP_TIMEOUT_MS = 1_000;
/** How long startup waits for the first connection before giving up. */
export const STARTUP_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 2_000;
const RECONNECT_BASE_MS = 50;
const RECONNECT_MAX_MS = 2_000;
const RECONNECT_JITTER_MS = 100;
/** Pings detect a dead peer the OS has not noticed yet (half-open TCP). */
const PING_INTERVAL_MS = 5_000;

export type RedisClient = ReturnType<typeof createClient>;
export type RedisEvent = { type: 'error'; message: string } | { type: 'reconnecting' } | { type: 'ready' };

/** Options for one connection (also a cluster's `defaults`, applied to each node's client). */
export function clientOptions(name: string, ping: boolean) {
  return {
    name,
    disableOfflineQueue: true,
    pingInterval: ping ? PING_INTERVAL_MS : undefined,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(RECONNECT_BASE_MS * 2 ** retries, RECONNECT_MAX_MS) + Math.floor(Math.random() * RECONNECT_JITTER_MS),
    },
  };
}

/**
 * A client that fails fast while Redis is away (no offline queue), reconnects by itself
 * with capped exponential backoff, and never lets an 'error' event crash the process.
 */
export function newClient(url: string, name: string, onEvent: (e: RedisEvent) => void, ping: boolean): RedisClient {
  const client = createClient({ url, ...clientOptions(name, ping) });
  // Only the message: the error object may carry the URL, which may carry a password.
  client.on('error', (err: unknown) => onEvent({ type: 'error', message: err instanceof Error ? err.message : 'redis error' }));
  client.on('reconnecting', () => onEvent({ type: 'reconnecting' }));
  client.on('ready', () => onEvent({ type: 'ready' }));
  return client;
}

/** Connects, or gives up after timeoutMs (a wrong URL should fail the boot, not hang it). */
export async function connectOrFail(client: RedisClient, timeoutMs = STARTUP_TIMEOUT_MS): Promise<void> {
  const timer = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new StoreUnavailableError('redis did not accept a connection at startup')), timeoutMs);
    t.unref();
  });
  try {
    await Promise.race([client.connect(), timer]);
  } catch (err) {
    await shutdown(client);
    throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError('redis connection failed', { cause: err });
  }
}

/**
 * Error replies a Redis Cluster gives while a master restarts or fails over (the cluster is
 * down, a slot is moving, a node is loading its data): outages, not bugs.
 */
const TRANSIENT_REPLY = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN)\b/;

/**
 * Runs one operation, turning connection trouble (offline, socket closed, no answer in
 * time) into StoreUnavailableError. Redis error replies are bugs, not outages: they pass.
 */
export async function run<T>(client: { readonly isReady: boolean }, op: () => Promise<T>, timeoutMs = OP_TIMEOUT_MS): Promise<T> {
  if (!client.isReady) throw new StoreUnavailableError('redis is not connected');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError('redis did not answer in time')), timeoutMs);
  });
  try {
    return await Promise.race([op(), timeout]);
  } catch (err) {
    if (err instanceof ErrorReply && TRANSIENT_REPLY.test(err.message)) throw new StoreUnavailableError('redis is failing over', { cause: err });
    if (err instanceof StoreUnavailableError || err instanceof ErrorReply) throw err;
    throw new StoreUnavailableError('shared store unavailable', { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** Closes gracefully when connected, else drops the socket and stops reconnecting. */
export async function shutdown(client: RedisClient): Promise<void> {
  try {
    if (client.isReady) await client.close();
    else if (client.isOpen) client.destroy();
  } catch {
    if (client.isOpen) client.destroy();
  }
}
