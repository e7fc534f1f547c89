import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AGENT_RECONNECT_CAP_MS, AGENT_RECONNECT_FIXED, backoffDelay, BACKOFF_BASE_MS } from './backoff.js';
import { newClientMsgId } from './ids.js';
import { duration } from './format.js';

const agent = (attempt: number, random: () => number) => backoffDelay(attempt, AGENT_RECONNECT_CAP_MS, AGENT_RECONNECT_FIXED, random);

test('agent reconnect delays grow exponentially and never exceed the cap', () => {
  assert.is(
    agent(0, () => 1),
    BACKOFF_BASE_MS,
  );
  assert.is(
    agent(2, () => 1),
    BACKOFF_BASE_MS * 4,
  );
  assert.is(
    agent(50, () => 1),
    AGENT_RECONNECT_CAP_MS,
  );
});

test('half-fixed jitter spreads agent delays over the upper half, never to zero', () => {
  assert.is(
    agent(0, () => 0),
    BACKOFF_BASE_MS / 2,
  );
  assert.is(
    agent(50, () => 0),
    AGENT_RECONNECT_CAP_MS / 2,
  );
  const seen = new Set(Array.from({ length: 20 }, (_, i) => agent(4, () => i / 20)));
  assert.ok(seen.size > 10);
});

test('full jitter (the widget) spreads delays from zero up to just below the ceiling', () => {
  assert.is(
    backoffDelay(0, 8_000, 0, () => 0.999),
    999,
  );
  assert.is(
    backoffDelay(3, 8_000, 0, () => 0.5),
    4000,
  );
  assert.is(
    backoffDelay(50, 8_000, 0, () => 0.999999),
    8_000 - 1,
  );
  assert.is(
    backoffDelay(5, 8_000, 0, () => 0),
    0,
  );
});

test('client message ids are 128 random bits the protocol accepts', () => {
  const ids = new Set(Array.from({ length: 100 }, () => newClientMsgId()));
  assert.is(ids.size, 100);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});

test('waiting durations read compactly', () => {
  assert.is(duration(45_000), '45s');
  assert.is(duration(6 * 60_000 + 5_000), '6m');
  assert.is(duration(2 * 3_600_000 + 5 * 60_000), '2h 5m');
  assert.is(duration(3 * 86_400_000), '3d');
  assert.is(duration(-5), '0s');
});

test.run();
