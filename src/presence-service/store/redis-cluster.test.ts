import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'redis';
import { storeContract } from './contract.js';
import { createRedisStore } from './redis.js';
import { keys, channels } from './keys.js';
import { redisContractFixture, testKeyPrefix } from '../testing/redis.js';
import { testRedisCluster, type TestRedisCluster } from '../testing/redis-cluster.js';
import { waitUntil } from '../testing/wait.js';

let cluster: TestRedisCluster | undefined;
let starting: Promise<TestRedisCluster> | undefined;
const server = () => (starting ??= testRedisCluster().then((c) => (cluster = c)));

const fixture = (pubsub: 'sharded' | 'classic') => async () => redisContractFixture({ clusterNodes: (await server()).nodes.slice(0, 1), pubsub });

storeContract('redis cluster (3 masters, sharded pub/sub)', fixture('sharded'));
storeContract('redis cluster (3 masters, classic pub/sub)', fixture('classic'));

/** The master holding each key name, found by asking every master to SCAN itself. */
async function keysByMaster(ports: readonly number[], match: string): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const port of ports) {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    await client.connect();
    try {
      const found: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: match, COUNT: 500 })) found.push(...batch);
      if (found.length) out.set(port, found);
    } finally {
      await client.close();
    }
  }
  return out;
}

test('every key of one tenant, durable and ephemeral, lives on one master', async () => {
  const { nodes, ports } = await server();
  const keyPrefix = testKeyPrefix();
  const store = await createRedisStore({ clusterNodes: nodes, keyPrefix });
  try {
    for (const site of ['site-a', 'site-b', 'site-c', 'site-d', 'site-e', 'site-f']) {
      await store.kv.set(keys.link(site), { n: 1 });
      await store.kv.set(keys.projectConfig(site, 'SUP'), { n: 2 });
      await store.ephemeral.touchMember(keys.customerSockets(site, 'acc:1'), 's1', { i: 1 }, 60_000);
      await store.ephemeral.touchMember(keys.projectAgents(site, 'SUP'), 'agent', null, 60_000);
      await store.ephemeral.incr(keys.rate(site, 'messages', 'acc:1'), 60_000);
      const byMaster = await keysByMaster(ports, `${keyPrefix}*{${site}}*`);
      assert.is(byMaster.size, 1, `${site} spread over ${byMaster.size} masters`);
      assert.is([...byMaster.values()][0]!.length, 7); // 2 durable + 2×(zset+hash) + 1 counter
      assert.equal((await store.kv.keys(`tenant:${site}:`)).sort(), [keys.link(site), keys.projectConfig(site, 'SUP')].sort());
    }
    // Six tenants over three masters: the tags spread them (sha1 of the id picks a slot).
    const all = await keysByMaster(ports, `${keyPrefix}*`);
    assert.ok(all.size > 1, 'all tenants on one master');
    // A global key's member set (sorted set + hash) also shares one slot: members() works.
    await store.ephemeral.touchMember('widget-watchers', 'm', 1, 60_000);
    assert.equal(
      (await store.ephemeral.members('widget-watchers')).map((m) => m.member),
      ['m'],
    );
  } finally {
    await store.close();
  }
});

test('sharded pub/sub reaches an instance connected through a different master', async () => {
  const { nodes } = await server();
  const keyPrefix = testKeyPrefix();
  const one = await createRedisStore({ clusterNodes: [nodes[0]!], keyPrefix });
  const two = await createRedisStore({ clusterNodes: [nodes[2]!], keyPrefix });
  try {
    const got: unknown[] = [];
    const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => channels.customer(`site-${s}`, 'acc'));
    for (const name of names) await two.bus.subscribe(name, (m) => got.push(m));
    for (const name of names) await one.bus.publish(name, { name });
    await waitUntil(() => got.length === names.length, 'every channel delivered', 3_000, 5);
    assert.equal(got.map((m) => (m as { name: string }).name).sort(), [...names].sort());
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});

test.after(async () => {
  await cluster?.stop();
});

test.run();
