import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countStoreErrors } from './metrics.js';
import { StoreUnavailableError } from './store/ports.js';

test('store calls that fail for an outage are counted by port; callers still see the same rejection', async () => {
  const counted: string[] = [];
  const raw = {
    kind: 'redis' as const,
    kv: { get: async () => Promise.reject(new StoreUnavailableError()), set: async () => Promise.reject(new TypeError('a bug, not an outage')) },
    ephemeral: { take: async () => 'v' },
    bus: {},
    healthy: () => true,
  };
  const store = countStoreErrors(raw, (port) => counted.push(port));
  await store.kv.get().then(
    () => assert.unreachable(),
    (err: unknown) => assert.instance(err, StoreUnavailableError),
  );
  await store.kv.set().then(
    () => assert.unreachable(),
    (err: unknown) => assert.instance(err, TypeError),
  );
  assert.is(await store.ephemeral.take(), 'v');
  assert.equal(counted, ['kv']);
  assert.is(store.kv, store.kv, 'the wrapped port is made once');
  assert.is(store.healthy(), true);
});

test.run();
