/**
 * The outbox's drop paths (docs/analytics.md "Delivery"), driven with an injected clock and
 * no retry waits: a sink down long enough has its batches parked up to MAX_PARKED_BATCHES,
 * then dropped and counted (storage stays bounded); a parked batch older than
 * MAX_PARKED_AGE_MS is dropped and counted instead of sent; a batch the sink refuses as
 * invalid is dropped at once. Storage is the local Forge host's kvs, reached the way
 * @forge/kvs reaches it (the `__forge_fetch__` global, inside an invocation).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KvsStore } from '../../sandbox/forge-host/kvs.js';
import { runInvocation, type InvocationDispatcher } from '../../sandbox/forge-host/runtime.js';
import type { AnalyticsEvent } from './events.js';
import { MAX_PARKED_AGE_MS, MAX_PARKED_BATCHES } from './limits.js';
import { deliver, readCounters } from './outbox.js';
import { SinkError, type Sink } from './sink.js';

const NO_WAITS: readonly number[] = [];
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const hex = () => randomBytes(16).toString('hex');
const batch = (n: number): AnalyticsEvent[] =>
  Array.from({ length: n }, () => ({
    id: hex(),
    name: 'chat_message',
    at: T0,
    visitor: hex(),
    conversation: hex(),
    project: hex(),
    channel: 'web',
    sender: 'customer',
  }));

/** A sink whose state the test sets: up, down (unavailable), or refusing (invalid). */
function fakeSink(): Sink & { state: 'up' | 'down' | 'refusing'; received: AnalyticsEvent[]; calls: number } {
  const s = {
    name: 'ga4' as const,
    state: 'up' as 'up' | 'down' | 'refusing',
    received: [] as AnalyticsEvent[],
    calls: 0,
    async send(events: readonly AnalyticsEvent[]) {
      s.calls++;
      if (s.state === 'down') throw new SinkError('unavailable', 'GA4 answered 503');
      if (s.state === 'refusing') throw new SinkError('invalid', 'GA4 refused the batch (400)');
      s.received.push(...events);
    },
  };
  return s;
}

/** Runs `fn` as a Forge invocation whose storage is a fresh kvs file. */
async function withStorage(fn: () => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-test-'));
  try {
    const kvs = await KvsStore.open(join(dir, 'kvs.json'));
    const dispatcher: InvocationDispatcher = {
      fetch: (target, path, init) => (target.type === 'kvs' ? kvs.handle(path, init) : Promise.reject(new Error(`unexpected ${target.type} call`))),
    };
    const id = { appId: 'app', environmentId: 'env', installationId: 'inst', cloudId: 'cloud', appVersion: '1', scopes: [] };
    await runInvocation(dispatcher, id, { functionKey: 'test', moduleType: 'core:function', moduleKey: 'test' }, fn);
    await kvs.flush();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a sink down long enough: batches park up to the backlog cap, then further ones are dropped and counted', () =>
  withStorage(async () => {
    const sink = fakeSink();
    sink.state = 'down';
    const extra = 3;
    for (let i = 0; i < MAX_PARKED_BATCHES + extra; i++) await deliver(sink, batch(2), T0 + i * 60_000, NO_WAITS);
    const c = await readCounters('ga4');
    assert.is(c.parked, MAX_PARKED_BATCHES, 'storage holds at most the backlog cap');
    assert.is(c.dropped, extra * 2, 'every event of the batches beyond the cap is counted as dropped');
    assert.is(c.sent, 0);
    assert.match(String(c.lastError), /backlog full/);
    assert.is(sink.received.length, 0);
  }));

test('parked batches older than the age bound are dropped and counted, younger ones are sent when the sink is back', () =>
  withStorage(async () => {
    const sink = fakeSink();
    sink.state = 'down';
    await deliver(sink, batch(4), T0, NO_WAITS);
    await deliver(sink, batch(1), T0 + MAX_PARKED_AGE_MS - 60_000, NO_WAITS);
    assert.is((await readCounters('ga4')).parked, 2);
    sink.state = 'up';
    // Just past the bound for the first batch, still within it for the second.
    await deliver(sink, batch(1), T0 + MAX_PARKED_AGE_MS + 1, NO_WAITS);
    const c = await readCounters('ga4');
    assert.is(c.parked, 0, 'nothing is left in storage');
    assert.is(c.dropped, 4, 'the old batch is dropped, never sent');
    assert.is(c.sent, 2, 'the younger parked batch and the new one');
    assert.is(sink.received.length, 2);
    assert.match(String(c.lastError), /expired/);
  }));

test('an old parked batch is dropped by age even while the sink is still down', () =>
  withStorage(async () => {
    const sink = fakeSink();
    sink.state = 'down';
    await deliver(sink, batch(3), T0, NO_WAITS);
    const calls = sink.calls;
    await deliver(sink, [], T0 + MAX_PARKED_AGE_MS + 1, NO_WAITS);
    const c = await readCounters('ga4');
    assert.is(c.parked, 0);
    assert.is(c.dropped, 3);
    assert.is(sink.calls, calls, 'an expired batch is not even tried');
  }));

test('a batch the sink refuses as invalid is dropped and counted at once, never parked or retried', () =>
  withStorage(async () => {
    const sink = fakeSink();
    sink.state = 'refusing';
    await deliver(sink, batch(5), T0, [0, 0]);
    const c = await readCounters('ga4');
    assert.is(sink.calls, 1, 'no retry of an invalid batch');
    assert.is(c.parked, 0);
    assert.is(c.dropped, 5);
    assert.match(String(c.lastError), /refused/);
  }));

test.run();
