/**
 * The behaviour every Store adapter promises, as one uvu suite. embedded.test.ts and
 * redis.test.ts run it; a new adapter is done when this passes against it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Json, Store } from './ports.js';
import { keys, channels } from './keys.js';
import type { FakeClock } from '../testing/clock.js';
import { sleep, waitUntil } from '../testing/wait.js';

export interface ContractFixture {
  store: Store;
  clock: FakeClock;
  /** Closes `store` and opens a new instance on the same backend (durability). */
  restart?: () => Promise<Store>;
  /** A second, independent instance on the same backend (cross-instance fan-out). */
  peer?: () => Promise<Store>;
  /** True when the backend expires keys in real time (Redis PX): the suite then also waits. */
  realTtl?: boolean;
}

/**
 * Why an adapter offers no `restart` or `peer`. Declared when the suite is built, so the
 * test that needs one is reported as skipped with this reason instead of passing empty;
 * a fixture that lacks one without saying why fails that test.
 */
export interface ContractGaps {
  restart?: string;
  peer?: string;
}

const A = 'site-a';
const B = 'site-b';
const EVENTUALLY_MS = 3_000;
/** Expiry tests on a backend that keeps real time (Redis) wait this out for real. */
const REAL_TTL_MS = 1_500;
const eventually = (fn: () => boolean, what: string) => waitUntil(fn, what, EVENTUALLY_MS, 5);

export function storeContract(name: string, make: () => Promise<ContractFixture>, gaps: ContractGaps = {}): void {
  const test = suite<{ fx: ContractFixture; extra: Store[] }>(`store contract: ${name}`, { fx: undefined!, extra: [] });

  test.before.each(async (ctx) => {
    ctx.fx = await make();
    ctx.extra = [];
  });
  test.after.each(async (ctx) => {
    await Promise.all([ctx.fx.store.close(), ...ctx.extra.map((s) => s.close())]);
  });

  /** Lets `ms` pass on the store's clock (and in reality, when the backend keeps real time). */
  const pass = async (fx: ContractFixture, ms: number) => {
    fx.clock.advance(ms);
    if (fx.realTtl) await sleep(ms);
  };
  /**
   * A TTL long enough that a real backend cannot expire it between two adjacent calls,
   * even on a busy CI machine where a sleep overshoots by hundreds of milliseconds.
   */
  const ttl = (fx: ContractFixture) => (fx.realTtl ? REAL_TTL_MS : 1_000);

  test('kv round-trips JSON values and returns copies', async ({ fx }) => {
    const { kv } = fx.store;
    const value = { a: 1, b: [true, null, 'x'], c: { d: 'é' } };
    await kv.set('k1', value);
    const read = await kv.get<typeof value>('k1');
    assert.equal(read, value);
    read!.a = 2;
    assert.equal(await kv.get('k1'), value);
    assert.is(await kv.get('missing'), null);
    await kv.delete('k1');
    assert.is(await kv.get('k1'), null);
  });

  test('kv setIfAbsent lets exactly one of many concurrent writers win', async ({ fx }) => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => fx.store.kv.setIfAbsent('race', i)));
    assert.is(results.filter(Boolean).length, 1);
    assert.is(await fx.store.kv.get('race'), results.indexOf(true));
  });

  test('kv keys(prefix) lists only keys under that prefix, not ephemeral ones', async ({ fx }) => {
    const { kv, ephemeral } = fx.store;
    await kv.set(keys.projectConfig(A, 'SUP'), 1);
    await kv.set(keys.link(A), 2);
    await kv.set(keys.link('site-a2'), 3);
    await kv.set('glob*[x]?', 4);
    await ephemeral.set(`${A}:ephemeral`, 5, 10_000);
    assert.equal((await kv.keys(`tenant:${A}:`)).sort(), [keys.link(A), keys.projectConfig(A, 'SUP')].sort());
    assert.equal(await kv.keys('glob*'), ['glob*[x]?']);
    assert.equal(await kv.keys('nothing-here'), []);
  });

  test('two sites with the same project and account never share keys', async ({ fx }) => {
    const { kv, ephemeral } = fx.store;
    await kv.set(keys.projectConfig(A, 'SUP'), 'a');
    await kv.set(keys.projectConfig(B, 'SUP'), 'b');
    await ephemeral.touchMember(keys.projectAgents(A, 'SUP'), 'acc-1', 'a', 10_000);
    assert.is(await kv.get(keys.projectConfig(A, 'SUP')), 'a');
    assert.is(await kv.get(keys.projectConfig(B, 'SUP')), 'b');
    assert.equal(await ephemeral.members(keys.projectAgents(B, 'SUP')), []);
    assert.equal(await kv.keys(`tenant:${B}:`), [keys.projectConfig(B, 'SUP')]);
  });

  test('ephemeral values expire after their TTL', async ({ fx }) => {
    const { ephemeral } = fx.store;
    const t = ttl(fx);
    await ephemeral.set('presence', { s: 'online' }, t);
    assert.equal(await ephemeral.get('presence'), { s: 'online' });
    await pass(fx, t + 100);
    assert.is(await ephemeral.get('presence'), null);
    await ephemeral.set('gone', 1, t);
    await ephemeral.delete('gone');
    assert.is(await ephemeral.get('gone'), null);
  });

  test('take() hands a single-use value to exactly one concurrent caller', async ({ fx }) => {
    const { ephemeral } = fx.store;
    await ephemeral.set('ticket', { accountId: 'x' }, 60_000);
    const results = await Promise.all(Array.from({ length: 20 }, () => ephemeral.take('ticket')));
    assert.equal(
      results.filter((r) => r !== null),
      [{ accountId: 'x' }],
    );
    assert.is(await ephemeral.get('ticket'), null);
  });

  test('take() of an expired value returns null', async ({ fx }) => {
    const t = ttl(fx);
    await fx.store.ephemeral.set('ticket', 1, t);
    await pass(fx, t + 100);
    assert.is(await fx.store.ephemeral.take('ticket'), null);
  });

  test('incr counts within a fixed window that later increments do not extend', async ({ fx }) => {
    const { ephemeral } = fx.store;
    const t = ttl(fx) * 2;
    assert.equal(await Promise.all([1, 2, 3].map(() => ephemeral.incr('rate', t))).then((r) => r.sort()), [1, 2, 3]);
    await pass(fx, t / 2);
    assert.is(await ephemeral.incr('rate', t), 4); // would extend a sliding window
    await pass(fx, t / 2 + 100);
    assert.is(await ephemeral.incr('rate', t), 1);
  });

  test('members expire one by one and carry their data', async ({ fx }) => {
    const { ephemeral } = fx.store;
    const t = ttl(fx);
    const set = keys.customerSockets(A, '557058:abc');
    await ephemeral.touchMember(set, 's1', { instance: 'i1' }, t);
    await pass(fx, t / 2);
    await ephemeral.touchMember(set, 's2', { instance: 'i2' }, t);
    const both = await ephemeral.members(set);
    assert.equal(both.map((m) => m.member).sort(), ['s1', 's2']);
    assert.equal(both.find((m) => m.member === 's2')?.data, { instance: 'i2' });
    assert.ok(both.every((m) => m.expiresAt > fx.clock.now()));
    await pass(fx, t / 2 + 100);
    assert.equal(
      (await ephemeral.members(set)).map((m) => m.member),
      ['s2'],
    );
    await pass(fx, t / 2);
    assert.equal(await ephemeral.members(set), []);
  });

  test('touching a member again keeps it alive; removeMember drops it', async ({ fx }) => {
    const { ephemeral } = fx.store;
    const t = ttl(fx);
    await ephemeral.touchMember('set', 'm', 1, t);
    await ephemeral.touchMember('set', 'n', 1, t);
    await pass(fx, t / 2);
    await ephemeral.touchMember('set', 'm', 2, t);
    await pass(fx, t / 2 + 100);
    assert.equal(await ephemeral.members('set').then((m) => m.map((e) => [e.member, e.data])), [['m', 2]]);
    await ephemeral.removeMember('set', 'm');
    assert.equal(await ephemeral.members('set'), []);
  });

  test('bus delivers to every subscriber of a channel until it unsubscribes, and only on its site', async ({ fx }) => {
    const { bus } = fx.store;
    const ch = channels.customer(A, 'acc');
    const got1: Json[] = [];
    const got2: Json[] = [];
    // Collected, not asserted in the handler: both buses swallow a handler's exception.
    const otherSite: Json[] = [];
    const off1 = await bus.subscribe(ch, (m) => got1.push(m));
    const off2 = await bus.subscribe(ch, (m) => got2.push(m));
    await bus.subscribe(channels.customer(B, 'acc'), (m) => otherSite.push(m));
    await bus.publish(ch, { n: 1 });
    await eventually(() => got1.length === 1 && got2.length === 1, 'both subscribers');
    await off1();
    await bus.publish(ch, { n: 2 });
    await eventually(() => got2.length === 2, 'second message');
    await off2();
    // A subscriber that stays: once it has the last message, so would the two that left.
    const stayed: Json[] = [];
    await bus.subscribe(ch, (m) => stayed.push(m));
    await bus.publish(ch, { n: 3 });
    await eventually(() => stayed.length === 1, 'the last message at the subscriber that stayed');
    assert.equal(got1, [{ n: 1 }]);
    assert.equal(got2, [{ n: 1 }, { n: 2 }]);
    assert.equal(otherSite, [], 'the other site got a message');
  });

  test('a throwing bus handler does not stop the others', async ({ fx }) => {
    const got: Json[] = [];
    await fx.store.bus.subscribe('ch', () => {
      throw new Error('bad handler');
    });
    await fx.store.bus.subscribe('ch', (m) => got.push(m));
    await fx.store.bus.publish('ch', 'x');
    await eventually(() => got.length === 1, 'the healthy handler');
  });

  const fanOut = 'bus fans out between two instances on the same backend';
  if (gaps.peer) test.skip(`${fanOut}: ${gaps.peer}`);
  else
    test(fanOut, async (ctx) => {
      assert.ok(ctx.fx.peer, 'the fixture has no peer and ContractGaps gives no reason');
      const other = await ctx.fx.peer();
      ctx.extra.push(other);
      const got: Json[] = [];
      const off = await other.bus.subscribe('fan', (m) => got.push(m));
      await ctx.fx.store.bus.publish('fan', { from: 'one' });
      await eventually(() => got.length === 1, 'cross-instance message');
      await off();
      // Subscribed again on the same instance: once it has the next message, the handler
      // that left would have had it too.
      const again: Json[] = [];
      await other.bus.subscribe('fan', (m) => again.push(m));
      await ctx.fx.store.bus.publish('fan', { from: 'one', again: true });
      await eventually(() => again.length === 1, 'the next message at the new subscriber');
      assert.equal(got, [{ from: 'one' }]);
    });

  const durable = 'durable data survives a restart; ephemeral data need not';
  if (gaps.restart) test.skip(`${durable}: ${gaps.restart}`);
  else
    test(durable, async (ctx) => {
      assert.ok(ctx.fx.restart, 'the fixture has no restart and ContractGaps gives no reason');
      await ctx.fx.store.kv.set(keys.link(A), { secret: 's' });
      await ctx.fx.store.kv.set('deleted', 1);
      await ctx.fx.store.kv.delete('deleted');
      ctx.fx.store = await ctx.fx.restart();
      assert.equal(await ctx.fx.store.kv.get(keys.link(A)), { secret: 's' });
      assert.is(await ctx.fx.store.kv.get('deleted'), null);
      assert.ok(ctx.fx.store.healthy());
    });

  test('a closed store rejects calls and reports unhealthy', async ({ fx }) => {
    await fx.store.close();
    assert.is(fx.store.healthy(), false);
    try {
      await fx.store.kv.get('x');
      assert.unreachable('should reject');
    } catch (err) {
      assert.is((err as { code?: string }).code, 'store_unavailable');
    }
  });

  test.run();
}
