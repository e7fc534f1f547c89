/**
 * The presence service's state, behind ports with two adapters each: embedded (one
 * process; durable data in a file under DATA_DIR) and Redis (N instances). One contract
 * suite (store/contract.ts) runs against both. Message text never enters any of these.
 *
 * Keys are built only by store/keys.ts, always scoped by installationId first.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Durable data: identity map, installation links, project config, schedules, encrypted credentials. */
export interface KeyValueStore {
  get<T extends Json = Json>(key: string): Promise<T | null>;
  set(key: string, value: Json): Promise<void>;
  /** Set only if absent; true when this call wrote it. */
  setIfAbsent(key: string, value: Json): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys starting with prefix (admin overviews, sweeps). Order unspecified. */
  keys(prefix: string): Promise<string[]>;
}

export interface MemberEntry {
  member: string;
  data: Json;
  /** Epoch ms when this member expires unless touched again. */
  expiresAt: number;
}

/** Ephemeral data with TTLs: presence, open sockets, tickets, rate counters. */
export interface EphemeralStore {
  set(key: string, value: Json, ttlMs: number): Promise<void>;
  get<T extends Json = Json>(key: string): Promise<T | null>;
  /** Get and delete in one step (single-use tickets): at most one caller gets the value. */
  take<T extends Json = Json>(key: string): Promise<T | null>;
  delete(key: string): Promise<void>;
  /** Increment a counter that expires ttlMs after it was created (fixed window). */
  incr(key: string, ttlMs: number): Promise<number>;
  /** A set whose members expire one by one (sockets of a crashed instance vanish within their TTL). */
  touchMember(setKey: string, member: string, data: Json, ttlMs: number): Promise<void>;
  removeMember(setKey: string, member: string): Promise<void>;
  /** Unexpired members only. */
  members(setKey: string): Promise<MemberEntry[]>;
}

/**
 * What a store call may return when it finished at once and cannot fail any more (the
 * in-process bus: every customer message publishes twice). One shared settled promise, so
 * wrappers (metrics.ts countStoreErrors) know there is no rejection to watch for.
 */
export const DONE: Promise<void> = Promise.resolve();

/**
 * Cross-instance fan-out. Delivery is at most once; handlers must not throw. A published
 * message is read-only from then on, for the publisher and every handler: the in-process bus
 * hands the value itself to its subscribers (a JSON copy per message and subscriber was a
 * tenth of the service's CPU per customer message), Redis a parsed copy.
 */
export interface Bus {
  publish(channel: string, message: Json): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(channel: string, handler: (message: Json) => void): Promise<() => Promise<void>>;
  /** Subscriptions to `channel`, for a bus that sees them all (in-process); absent where other processes may listen (Redis). */
  subscribers?(channel: string): number;
  /**
   * `fn` runs when messages may have been lost without a publisher noticing (a Redis Cluster
   * master failed over and the subscriptions were made again): whoever relays live frames
   * should have its clients catch up. Absent where that cannot happen.
   */
  onGap?(fn: () => void): void;
}

export interface Store {
  readonly kind: 'embedded' | 'redis';
  readonly kv: KeyValueStore;
  readonly ephemeral: EphemeralStore;
  readonly bus: Bus;
  /** True while the backing store answers (false while Redis is down). */
  healthy(): boolean;
  close(): Promise<void>;
}

/**
 * Thrown by adapters when the backing store cannot be reached. Callers turn it into a
 * client-visible `unavailable` error; the process keeps running and recovers by itself.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(message = 'shared store unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
