/**
 * An agent's status change makes every visitor socket of the project re-evaluate its
 * availability at once. Those sockets must share the store reads (one per instance),
 * not repeat them per socket: with hundreds of visitors that is the difference between a
 * handful of reads and thousands per change.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../store/index.js';
import type { Store } from '../store/ports.js';
import { startHarness } from '../testing/harness.js';

const VISITORS = 40;

test(`${VISITORS} visitors learn of an agent going away with shared reads, not ${VISITORS}× the reads`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-'));
  const inner = await createEmbeddedStore({ dataDir: dir });
  let configReads = 0;
  // Count the project-config reads that reach the store (the adapters are classes: wrap, don't spread).
  const kv = new Proxy(inner.kv, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'get') return typeof v === 'function' ? v.bind(target) : v;
      return (key: string) => {
        if (key.endsWith(':config')) configReads++;
        return target.get(key);
      };
    },
  });
  const store = new Proxy(inner, {
    get: (t, prop) => (prop === 'kv' ? kv : typeof Reflect.get(t, prop) === 'function' ? Reflect.get(t, prop).bind(t) : Reflect.get(t, prop)),
  }) as Store;
  let h: Awaited<ReturnType<typeof startHarness>> | undefined;
  try {
    h = await startHarness({ store, limits: { socketsPerIp: 1000, handshakesPerIpPerMin: 1000 } });
    const visitors = await Promise.all(Array.from({ length: VISITORS }, () => h!.customer()));
    const agent = await h.agent(['SUP'], 'agent-fanout');
    await Promise.all(visitors.map((v) => v.next('availability')));
    configReads = 0;
    agent.send({ type: 'status.set', projectKey: 'SUP', status: 'away' });
    const seen = await Promise.all(visitors.map((v) => v.next('availability')));
    assert.ok(seen.every((f) => f.availability.state === 'away'));
    assert.ok(configReads <= 5, `project config read ${configReads} times for ${VISITORS} visitors`);
  } finally {
    await h?.close();
    await inner.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
