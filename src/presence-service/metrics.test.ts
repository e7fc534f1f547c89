import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Histogram, Registry } from 'prom-client';
import { CallLatency, countStoreErrors } from './metrics.js';
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

test('the app-call histogram counted in plain numbers exposes exactly what a prom-client histogram with the same observations does', async () => {
  const name = 'jsmchat_app_call_duration_seconds';
  const [theirs, ours] = [new Registry(), new Registry()];
  const reference = new Histogram({
    name,
    help: 'h',
    labelNames: ['call', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [theirs],
  });
  const latency = new CallLatency(name, 'h', [ours]);
  const calls = ['message.customer', 'conversation.start', 'history'];
  // Bucket bounds themselves, just above, beyond the last bound, and a spread in between.
  const values = [0, 0.005, 0.0050001, 2.5, 10, 10.5, ...Array.from({ length: 300 }, (_, i) => ((i * 7919) % 1000) / 80)];
  values.forEach((v, i) => {
    const call = calls[i % 3]!;
    const ok = i % 7 !== 3;
    reference.observe({ call, outcome: ok ? 'ok' : 'error' }, v);
    latency.record(call, ok, v);
  });
  assert.is(await ours.metrics(), await theirs.metrics());
  assert.equal(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
  ours.resetMetrics();
  theirs.resetMetrics();
  assert.is(await ours.metrics(), await theirs.metrics());
});

test.run();
