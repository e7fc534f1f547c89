import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay, RECONNECT_BASE_MS, RECONNECT_MAX_MS } from './backoff.js';
import { duration } from './format.js';

test('reconnect delays grow exponentially and never exceed the cap', () => {
  assert.is(backoffDelay(0, () => 1), RECONNECT_BASE_MS);
  assert.is(backoffDelay(2, () => 1), RECONNECT_BASE_MS * 4);
  assert.is(backoffDelay(50, () => 1), RECONNECT_MAX_MS);
});

test('jitter spreads delays over the upper half, never to zero', () => {
  assert.is(backoffDelay(0, () => 0), RECONNECT_BASE_MS / 2);
  assert.is(backoffDelay(50, () => 0), RECONNECT_MAX_MS / 2);
  const seen = new Set(Array.from({ length: 20 }, (_, i) => backoffDelay(4, () => i / 20)));
  assert.ok(seen.size > 10);
});

test('waiting durations read compactly', () => {
  assert.is(duration(45_000), '45s');
  assert.is(duration(6 * 60_000 + 5_000), '6m');
  assert.is(duration(2 * 3_600_000 + 5 * 60_000), '2h 5m');
  assert.is(duration(3 * 86_400_000), '3d');
  assert.is(duration(-5), '0s');
});

test.run();
