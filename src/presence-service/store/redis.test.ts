import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { storeContract } from './contract.js';
import { createRedisStore, type RedisStoreOptions } from './redis.js';
import { createStore } from './create.js';
import { redisContractFixture, testKeyPrefix, testRedis, type TestRedis } from '../testing/redis.js';

let redis: TestRedis | undefined;
const server = async () => (redis ??= await testRedis());

const fixture = (extra: Omit<RedisStoreOptions, 'url' | 'keyPrefix' | 'clock'>) => async () => redisContractFixture({ url: (await server()).url, ...extra });

storeContract('redis', fixture({}));
// The cluster's key names and the pub/sub of Redis before 7, on the single server.
storeContract('redis (slotted keys, classic pub/sub)', fixture({ layout: 'slotted', pubsub: 'classic' }));

test('createStore picks the Redis adapter and a key prefix isolates deployments', async () => {
  const { url } = await server();
  const one = await createStore({ kind: 'redis', url, keyPrefix: testKeyPrefix() });
  const two = await createStore({ kind: 'redis', url, keyPrefix: testKeyPrefix() });
  try {
    assert.is(one.kind, 'redis');
    await one.kv.set('shared-name', 1);
    assert.is(await two.kv.get('shared-name'), null);
    assert.equal(await two.kv.keys(''), []);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});

test('createRedisStore fails with StoreUnavailableError when nothing listens', async () => {
  try {
    await createRedisStore({ url: 'redis://127.0.0.1:1', startupTimeoutMs: 500 });
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'store_unavailable');
  }
});

test.after(async () => {
  await redis?.stop();
});

test.run();
