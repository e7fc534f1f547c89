import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Json, Store } from './ports.js';
import { StoreUnavailableError } from './ports.js';
import { createRedisStore } from './redis.js';
import { testKeyPrefix, testRedis, type TestRedis } from '../testing/redis.js';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.js';
import { waitUntil } from '../testing/wait.js';

/** Fail fast means: an answer within about a second, never a queue that waits for Redis. */
const FAIL_FAST_BOUND_MS = 2_500;
const RECOVERY_DEADLINE_MS = 15_000;
/** Reconnects refused by the cut proxy before it is restored: the client must survive several. */
const FAILED_RECONNECTS = 3;

let redis: TestRedis;
let proxy: TcpProxy;
let store: Store;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

const until = (fn: () => Promise<boolean> | boolean, what: string) => waitUntil(fn, what, RECOVERY_DEADLINE_MS);

test.before(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  redis = await testRedis();
  const { hostname, port } = new URL(redis.url);
  proxy = await startTcpProxy({ host: hostname, port: Number(port) });
  store = await createRedisStore({ url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: testKeyPrefix() });
});

test.after(async () => {
  await store.close();
  await proxy.close();
  await redis.stop();
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

test('while Redis is unreachable, calls reject fast with StoreUnavailableError and healthy() is false', async () => {
  const got: Json[] = [];
  await store.bus.subscribe('events', (m) => got.push(m));
  await store.kv.set('before', 1);
  assert.ok(store.healthy());

  proxy.cut();
  const calls: [string, () => Promise<unknown>][] = [
    ['kv.get', () => store.kv.get('before')],
    ['kv.set', () => store.kv.set('during', 1)],
    ['ephemeral.take', () => store.ephemeral.take('t')],
    ['ephemeral.incr', () => store.ephemeral.incr('r', 1000)],
    ['ephemeral.members', () => store.ephemeral.members('m')],
    ['bus.publish', () => store.bus.publish('events', 'lost')],
  ];
  for (const [name, call] of calls) {
    const started = Date.now();
    const err = await call().then(
      () => null,
      (e: unknown) => e,
    );
    assert.instance(err, StoreUnavailableError, `${name} should reject with StoreUnavailableError`);
    assert.ok(Date.now() - started < FAIL_FAST_BOUND_MS, `${name} should not wait for Redis`);
  }
  await until(() => !store.healthy(), 'healthy() to turn false');
  const refused = proxy.refused;
  await until(() => proxy.refused >= refused + FAILED_RECONNECTS, 'failed reconnect attempts'); // none may crash the process
  assert.equal(unhandled, []);

  proxy.restore();
  await until(() => store.healthy(), 'reconnect');
  assert.is(await store.kv.get('before'), 1);
  // The subscriber re-subscribes after reconnecting; publish until a message arrives.
  await until(async () => {
    if (got.includes('after')) return true;
    await store.bus.publish('events', 'after');
    return false;
  }, 'pub/sub after recovery');
  assert.not.ok(got.includes('lost'));
  assert.equal(unhandled, []);
});

test('an unsubscribe during an outage does not double deliveries after recovery', async () => {
  await until(() => store.healthy(), 'a healthy start');
  const first: Json[] = [];
  const off = await store.bus.subscribe('again', (m) => first.push(m));
  proxy.cut();
  await until(() => !store.healthy(), 'the outage to be noticed');
  await off(); // must not throw while Redis is away
  const err = await store.bus
    .subscribe('other', () => {})
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.instance(err, StoreUnavailableError, 'subscribing while Redis is away rejects');
  proxy.restore();
  await until(() => store.healthy(), 'reconnect');

  const second: Json[] = [];
  await store.bus.subscribe('again', (m) => second.push(m));
  await until(async () => {
    if (second.length > 0) return true;
    await store.bus.publish('again', 'ping');
    return false;
  }, 'delivery after re-subscribing');
  const before = second.length;
  await store.bus.publish('again', 'once');
  // Same channel, same connections: a duplicate of 'once' would arrive before 'last'.
  await store.bus.publish('again', 'last');
  await until(() => second.includes('last'), 'the message after the counted one');
  assert.is(second.length, before + 2, 'each message arrives once');
  assert.equal(first, []);
  assert.equal(unhandled, []);
});

test.run();
