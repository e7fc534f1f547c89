/**
 * Redis Cluster clients that survive a master failing over to its replica.
 *
 * node-redis (5.x) learns the cluster's layout only at connect time and from MOVED replies.
 * When a master dies, its node client only ever reconnects to the dead address: commands for
 * its slots fail until that address answers again (a replaced Kubernetes pod never does), and
 * the sharded pub/sub connection of that master is lost with its subscriptions (a rediscovery
 * drops the pub/sub client of a node no longer in use without moving its listeners, in
 * cluster-slots.js `#discover`). Publishing to the promoted replica meanwhile works, so the
 * shard's channels go silent and nobody is told (the failover chaos test).
 *
 * So on trouble at any node a keeper builds a new client, which discovers the cluster afresh
 * from the root nodes, restores what lived on the old one (the subscriptions), swaps it in and
 * drops the old one; it retries with backoff until the cluster serves again (the replica has
 * been promoted). Then it tells its listeners (`onRebuilt`).
 */
import type { createCluster } from 'redis';
import { StoreUnavailableError } from './ports.js';
import { OP_TIMEOUT_MS } from './redis-connection.js';

export type Cluster = ReturnType<typeof createCluster>;
type Listener = (message: string, channel: string) => void;

const REBUILD_BASE_MS = 100;
const REBUILD_MAX_MS = 2_000;
/** Restoring thousands of subscriptions is one pipeline; this bounds a cluster that accepts none. */
const RESTORE_TIMEOUT_MS = OP_TIMEOUT_MS * 5;

export interface KeeperParts {
  /** A new, unconnected client (it discovers the cluster from the root nodes). */
  make: () => Cluster;
  /** Connects a client made by `make`, or rejects in bounded time (closing it). */
  connect: (c: Cluster) => Promise<void>;
  /** Drops a client at once, without waiting for nodes that may be gone (a replaced client, and the last one at close). */
  destroy: (c: Cluster) => Promise<void>;
  /** Puts back on a new client what the old one carried (subscriptions); rejecting means "not yet". */
  restore?: (next: Cluster) => Promise<void>;
}

export class ClusterKeeper {
  private client: Cluster;
  private readonly rebuiltListeners = new Set<() => void>();
  private rebuilding: Promise<void> | null = null;
  private closed = false;

  constructor(
    first: Cluster,
    private readonly parts: KeeperParts,
  ) {
    this.client = first;
    this.watch(first);
  }

  /** The client to use now (a different object after a rebuild). */
  get current(): Cluster {
    return this.client;
  }

  get settled(): boolean {
    return this.rebuilding === null && this.client.isOpen;
  }

  onRebuilt(fn: () => void): void {
    this.rebuiltListeners.add(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.rebuilding;
    await this.parts.destroy(this.client);
  }

  private watch(c: Cluster): void {
    const trouble = () => {
      if (c === this.client && !this.closed) this.rebuilding ??= this.rebuild().finally(() => (this.rebuilding = null));
    };
    c.on('node-error', trouble);
    c.on('node-reconnecting', trouble);
  }

  private async rebuild(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(REBUILD_BASE_MS * 2 ** attempt, REBUILD_MAX_MS)));
      if (this.closed) return;
      const next = this.parts.make();
      try {
        await this.parts.connect(next);
        if (this.parts.restore) await within(this.parts.restore(next), RESTORE_TIMEOUT_MS);
      } catch {
        await this.parts.destroy(next);
        continue; // the cluster has not settled yet (a slot without a reachable master): again
      }
      const old = this.client;
      this.client = next;
      this.watch(next);
      await this.parts.destroy(old);
      for (const fn of this.rebuiltListeners) fn();
      return;
    }
  }
}

/**
 * Sharded subscriptions kept across rebuilds: what this process subscribed to is the truth a
 * new client is subscribed from. A rebuild means messages may have been missed: a gap.
 */
export class ShardedSubscriber {
  private readonly channels = new Map<string, Set<Listener>>();
  private readonly keeper: ClusterKeeper;

  constructor(first: Cluster, parts: Omit<KeeperParts, 'restore'>) {
    this.keeper = new ClusterKeeper(first, { ...parts, restore: (next) => this.restore(next) });
  }

  get isReady(): boolean {
    return this.keeper.settled;
  }

  async subscribe(channel: string, listener: Listener): Promise<void> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(listener);
    await this.keeper.current.sSubscribe(channel, listener);
  }

  async unsubscribe(channel: string, listener: Listener): Promise<void> {
    const set = this.channels.get(channel);
    if (set?.delete(listener) && set.size === 0) this.channels.delete(channel);
    await this.keeper.current.sUnsubscribe(channel, listener);
  }

  onGap(fn: () => void): void {
    this.keeper.onRebuilt(fn);
  }

  close(): Promise<void> {
    return this.keeper.close();
  }

  private async restore(next: Cluster): Promise<void> {
    // Every channel, including those added while this runs (Map iteration visits late entries).
    const subscribed: Promise<void>[] = [];
    for (const [channel, listeners] of this.channels) for (const l of listeners) subscribed.push(next.sSubscribe(channel, l));
    await Promise.all(subscribed);
  }
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError('redis cluster did not settle in time')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
