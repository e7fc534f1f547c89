/**
 * A Redis Cluster master dies for good and its replica takes over (SIGKILL; promoted after the
 * cluster's node timeout) while the service is subscribed and writing. node-redis alone keeps
 * dialling the dead address (redis-cluster-keeper.ts): here every operation on the moved slot
 * must work again on the promoted replica, without a restart of the service.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'redis';
import { createRedisStore } from './redis.js';
import { channels, keys } from './keys.js';
import type { Store } from './ports.js';
import { testKeyPrefix } from '../testing/redis.js';
import { testRedisCluster } from '../testing/redis-cluster.js';
import { waitUntil } from '../testing/wait.js';

/** Failover detection (2 s node timeout), election and the keepers' rebuild: seconds; a hang guard. */
const RECOVERY_MS = 30_000;

/** Tries `op` until it succeeds (the store answers `store_unavailable` until its client is rebuilt). */
async function once<T>(what: string, op: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RECOVERY_MS;
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what} never worked again: ${err instanceof Error ? err.message : String(err)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The index (in `ports`) of the master serving the slot of `name` (a key or a sharded channel). */
async function masterOf(ports: readonly number[], name: string): Promise<number> {
  const client = createClient({ url: `redis://127.0.0.1:${ports[0]}` });
  await client.connect();
  try {
    const slot = await client.clusterKeySlot(name);
    // CLUSTER NODES: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges...>`
    for (const line of (await client.clusterNodes()).trim().split('\n')) {
      const [, address, flags, , , , , , ...ranges] = line.split(' ');
      if (!flags!.split(',').includes('master')) continue;
      const serves = ranges.some((r) => {
        const [from, to = from] = r.split('-').map(Number);
        return slot >= from! && slot <= to!;
      });
      if (serves) return ports.indexOf(Number(address!.split(':')[1]!.split('@')[0]));
    }
  } finally {
    await client.close();
  }
  throw new Error(`no master serves ${name}`);
}

test('a master that fails over and never comes back: commands, transactions and sharded subscriptions on its slots work again, and the bus reports the gap', async () => {
  const cluster = await testRedisCluster({ replicas: 1 });
  const keyPrefix = testKeyPrefix();
  const stores: Store[] = [];
  try {
    // Two instances of the service: one listens, the other publishes.
    const listener = await createRedisStore({ clusterNodes: cluster.nodes, keyPrefix });
    stores.push(listener);
    const publisher = await createRedisStore({ clusterNodes: cluster.nodes, keyPrefix });
    stores.push(publisher);
    // A site whose keys (slot of its tag) and customer channel (slot of the whole name) are on one master.
    let site = '';
    let master = -1;
    for (let i = 0; master < 0; i++) {
      const candidate = `site-failover-${i}`;
      const ofKeys = await masterOf(cluster.ports, `{${candidate}}`);
      if (ofKeys === (await masterOf(cluster.ports, `${keyPrefix}bus:${channels.customer(candidate, 'acc')}`))) [site, master] = [candidate, ofKeys];
    }
    const channel = channels.customer(site, 'acc');
    const set = keys.customerSockets(site, 'acc');
    const got: number[] = [];
    let gaps = 0;
    assert.type(listener.bus.onGap, 'function', 'a cluster bus can report gaps');
    listener.bus.onGap!(() => gaps++);
    await listener.bus.subscribe(channel, (m) => got.push((m as { n: number }).n));
    // A second channel on the same master, left while its master is dead (a socket closing then).
    const leftChannel = channels.conversation(site, 'SUP-1');
    const leave = await listener.bus.subscribe(leftChannel, () => {});
    await listener.ephemeral.touchMember(set, 's1', { i: 1 }, 60_000);
    await listener.kv.set(keys.link(site), { v: 1 });
    await publisher.bus.publish(channel, { n: 1 });
    await waitUntil(() => got.length === 1, 'the first message', 5_000);

    const failover = cluster.failover(master, { rejoin: false });
    await waitUntil(() => !listener.healthy(), 'the dead master to be noticed', RECOVERY_MS);
    // Leaving settles at once (every bus call is bounded), and the channel can be listened to again later.
    const left = await Promise.race([leave().then(() => 'settled'), new Promise((r) => setTimeout(() => r('still waiting'), 5_000))]);
    assert.is(left, 'settled', 'leaving a channel of the dead master');
    await failover;

    await waitUntil(() => gaps > 0, 'the bus to report the gap', RECOVERY_MS);
    await once('a transaction on the moved slot (MULTI)', () => listener.ephemeral.touchMember(set, 's2', { i: 2 }, 60_000));
    assert.equal((await listener.ephemeral.members(set)).map((m) => m.member).sort(), ['s1', 's2']);
    assert.equal(await once('a read on the moved slot', () => listener.kv.get(keys.link(site))), { v: 1 }, 'the replica had the write');
    await once('a publish to the moved slot', () => publisher.bus.publish(channel, { n: 2 }));
    await waitUntil(() => got.includes(2), 'a message published after the failover', 5_000);
    assert.equal(got, [1, 2], 'each message once');
    // The channel left during the outage can be listened to again.
    const again: number[] = [];
    await once('subscribing again to the channel left during the outage', () => listener.bus.subscribe(leftChannel, (m) => again.push((m as { n: number }).n)));
    await once('a publish to it', () => publisher.bus.publish(leftChannel, { n: 3 }));
    await waitUntil(() => again.includes(3), 'a message on the channel left during the outage', 5_000);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    await cluster.stop();
  }
});

test.run();
