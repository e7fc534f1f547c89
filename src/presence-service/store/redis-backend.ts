/**
 * One Redis deployment — a single server or a Redis Cluster — seen through the few
 * operations the adapters need: commands, SCAN over every master, and pub/sub (sharded
 * SPUBLISH/SSUBSCRIBE where the server has it, 7.0+, else PUBLISH/SUBSCRIBE).
 */
import { createCluster } from 'redis';
import { StoreUnavailableError } from './ports.js';
import { keyLayout, plainLayout, slottedLayout, type KeyLayout, type KeyLayoutName } from './redis-layout.js';
import { clientOptions, connectOrFail, newClient, shutdown, type RedisClient, type RedisEvent } from './redis-connection.js';
import { ClusterKeeper, ShardedSubscriber, type Cluster } from './redis-cluster-keeper.js';

/** The commands the adapters use; a cluster client routes each by its first key. */
export type RedisCommands = Pick<RedisClient, 'get' | 'set' | 'getDel' | 'del' | 'exists' | 'multi' | 'eval' | 'publish' | 'sPublish'>;

/** Something `run()` can check before sending (no offline queue: fail fast instead). */
export interface Readiness {
  readonly isReady: boolean;
}

export interface RedisCommandConnection extends Readiness {
  readonly commands: RedisCommands;
  /** Every key name matching `match`, across all masters; may repeat a name. */
  scan(match: string, count: number): AsyncIterable<string[]>;
}

export type PubSubMode = 'sharded' | 'classic';
type Listener = (message: string, channel: string) => void;

export interface RedisSubscriberConnection extends Readiness {
  subscribe(channel: string, listener: Listener): Promise<void>;
  unsubscribe(channel: string, listener: Listener): Promise<void>;
  /** Where the connection can lose messages silently (a cluster failing over): told after it subscribed again. */
  onGap?(fn: () => void): void;
}

export interface RedisBackend {
  readonly topology: 'single' | 'cluster';
  readonly layout: KeyLayout;
  readonly pubsub: PubSubMode;
  readonly commands: RedisCommandConnection;
  readonly subscriber: RedisSubscriberConnection;
  publish(channel: string, text: string): Promise<unknown>;
  close(): Promise<void>;
}

export type PubSubChoice = PubSubMode | 'auto';
const SHARDED_PUBSUB_MAJOR = 7;

export interface BackendOptions {
  startupTimeoutMs?: number;
  onEvent: (e: RedisEvent & { connection: 'commands' | 'subscriber' }) => void;
  /** Default: `slotted` on a cluster (required there), `plain` on a single server (its existing data). */
  layout?: KeyLayoutName;
  pubsub?: PubSubChoice;
}

function majorVersion(info: string): number {
  const m = /redis_version:(\d+)/.exec(info);
  return m ? Number(m[1]) : 0;
}

export async function connectSingle(url: string, opts: BackendOptions): Promise<RedisBackend> {
  const client = newClient(url, 'presence', (e) => opts.onEvent({ ...e, connection: 'commands' }), true);
  const subscriber = newClient(url, 'presence-sub', (e) => opts.onEvent({ ...e, connection: 'subscriber' }), false);
  await connectOrFail(client, opts.startupTimeoutMs);
  try {
    await connectOrFail(subscriber, opts.startupTimeoutMs);
  } catch (err) {
    await shutdown(client);
    throw err;
  }
  const pubsub =
    opts.pubsub && opts.pubsub !== 'auto' ? opts.pubsub : majorVersion(await client.info('server')) >= SHARDED_PUBSUB_MAJOR ? 'sharded' : 'classic';
  const sharded = pubsub === 'sharded';
  return {
    topology: 'single',
    layout: opts.layout ? keyLayout(opts.layout) : plainLayout,
    pubsub,
    commands: {
      get isReady() {
        return client.isReady;
      },
      commands: client,
      scan: (MATCH, COUNT) => client.scanIterator({ MATCH, COUNT }),
    },
    subscriber: {
      get isReady() {
        return subscriber.isReady;
      },
      subscribe: (ch, l) => (sharded ? subscriber.sSubscribe(ch, l) : subscriber.subscribe(ch, l)),
      unsubscribe: (ch, l) => (sharded ? subscriber.sUnsubscribe(ch, l) : subscriber.unsubscribe(ch, l)),
    },
    publish: (ch, text) => (sharded ? client.sPublish(ch, text) : client.publish(ch, text)),
    close: async () => void (await Promise.all([shutdown(client), shutdown(subscriber)])),
  };
}

/**
 * A Redis Cluster from a few of its nodes (the client discovers the rest). One cluster
 * client for commands, a second for subscriptions, as on a single server.
 */
export async function connectCluster(rootNodes: readonly string[], opts: BackendOptions): Promise<RedisBackend> {
  if (rootNodes.length === 0) throw new StoreUnavailableError('no Redis Cluster nodes configured');
  if (opts.layout === 'plain') throw new RangeError('a Redis Cluster needs the slotted key layout');
  const make = (name: string, connection: 'commands' | 'subscriber', ping: boolean) => {
    const cluster = createCluster({
      rootNodes: rootNodes.map((url) => ({ url })),
      defaults: clientOptions(name, ping),
      minimizeConnections: connection === 'subscriber',
    });
    const report = opts.onEvent;
    // Only messages: error objects may carry node URLs, which may carry a password.
    const message = (err: unknown) => (err instanceof Error ? err.message : 'redis error');
    cluster.on('error', (err: unknown) => report({ type: 'error', message: message(err), connection }));
    cluster.on('node-error', (err: unknown) => report({ type: 'error', message: message(err), connection }));
    cluster.on('node-reconnecting', () => report({ type: 'reconnecting', connection }));
    cluster.on('node-ready', () => report({ type: 'ready', connection }));
    return cluster;
  };
  const commands = make('presence', 'commands', true);
  const subscriber = make('presence-sub', 'subscriber', false);
  const connect = async (cluster: Cluster) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError('redis cluster did not accept a connection at startup')), opts.startupTimeoutMs ?? 5_000);
    });
    try {
      await Promise.race([cluster.connect(), timeout]);
    } catch (err) {
      // Not close(): it waits on nodes that never answered.
      await destroyCluster(cluster);
      throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError('redis cluster connection failed', { cause: err });
    } finally {
      clearTimeout(timer);
    }
  };
  await connect(commands);
  try {
    await connect(subscriber);
  } catch (err) {
    await destroyCluster(commands);
    throw err;
  }
  let pubsub: PubSubMode;
  if (opts.pubsub && opts.pubsub !== 'auto') pubsub = opts.pubsub;
  else {
    const first = commands.masters[0];
    const info = first ? await (await commands.nodeClient(first)).info('server') : '';
    pubsub = majorVersion(info) >= SHARDED_PUBSUB_MAJOR ? 'sharded' : 'classic';
  }
  const sharded = pubsub === 'sharded';
  // Both clients are rebuilt when a master fails over (redis-cluster-keeper.ts).
  const keeper = new ClusterKeeper(commands, { make: () => make('presence', 'commands', true), connect, destroy: destroyCluster });
  const shardedSubscriber = sharded
    ? new ShardedSubscriber(subscriber, { make: () => make('presence-sub', 'subscriber', false), connect, destroy: destroyCluster })
    : null;
  const cmd = currentClientOf(keeper);
  const mastersReady = (cluster: Cluster) => cluster.isOpen && cluster.masters.every((m) => !m.client || (m.client as { isReady?: boolean }).isReady === true);
  return {
    topology: 'cluster',
    layout: slottedLayout,
    pubsub,
    commands: {
      get isReady() {
        return mastersReady(keeper.current);
      },
      commands: cmd,
      async *scan(MATCH, COUNT) {
        const cluster = keeper.current;
        for (const master of cluster.masters) {
          const node = await cluster.nodeClient(master);
          yield* node.scanIterator({ MATCH, COUNT });
        }
      },
    },
    subscriber: shardedSubscriber ?? {
      get isReady() {
        return subscriber.isOpen;
      },
      subscribe: (ch, l) => subscriber.subscribe(ch, l),
      // The cluster's UNSUBSCRIBE is typed for buffer listeners too; ours never asks for buffers.
      unsubscribe: (ch, l) => subscriber.unsubscribe(ch, l as Parameters<Cluster['unsubscribe']>[1]),
    },
    publish: (ch, text) => (sharded ? cmd.sPublish(ch, text) : cmd.publish(ch, text)),
    close: async () => void (await Promise.all([keeper.close(), shardedSubscriber ? shardedSubscriber.close() : destroyCluster(subscriber)])),
  };
}

/**
 * The keeper's client of the moment, with the command API the adapters hold on to (the same
 * at runtime as a single client's; only the TypeScript types differ). Bound methods are
 * made once per client, not per call.
 */
function currentClientOf(keeper: ClusterKeeper): RedisCommands {
  let bound = new Map<PropertyKey, unknown>();
  let of: Cluster | null = null;
  return new Proxy({} as RedisCommands, {
    get(_, prop) {
      const client = keeper.current;
      if (client !== of) {
        of = client;
        bound = new Map();
      }
      let v = bound.get(prop);
      if (v === undefined) {
        v = Reflect.get(client, prop) as unknown;
        if (typeof v === 'function') v = (v as (...a: unknown[]) => unknown).bind(client);
        bound.set(prop, v);
      }
      return v;
    },
  });
}

/**
 * At once, without waiting for nodes that may be gone (a replaced subscriber, and the store's
 * close too). Never node-redis's close(): it waits for the replies to pending commands, and
 * when a node dies meanwhile a node client stays "ready" for good, its ping timer keeping the
 * process alive (a chaos run's process that never exited). Close comes after the drain, when
 * no pending command is still needed.
 */
function destroyCluster(cluster: Cluster): Promise<void> {
  try {
    cluster.destroy();
  } catch {
    // already closed
  }
  return Promise.resolve();
}
