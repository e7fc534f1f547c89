/**
 * npm run bench — benchmarks as ratios against a baseline measured in the same run.
 *  - frame validation: zod schema parse of a customer frame vs JSON.parse alone
 *  - webtrigger signing: sign+verify vs one bare HMAC
 *  - store: embedded and Redis ephemeral writes vs a Map / a raw Redis SET
 *  - live relay: customer frame to a watching agent through the service vs a bare ws forward
 *  - widget size: gzipped bytes vs a well-known open-source livechat widget (~73 KB gzip)
 *  - scale (scripts/bench/scale): memory per idle socket, availability fan-out, per-message
 *    cost and dead-socket detection, each against a bare `ws` server in the same run
 *
 * `npm run bench` runs everything; `npm run bench -- micro` or `-- scale [memory|fanout|message|dead]`
 * runs a part. `npm run bench -- latency` (scripts/bench/latency.ts) measures ack latency through
 * the whole local stack at a low and a higher message rate. docs/performance.md explains the scale table.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { CustomerClientFrame } from '../src/protocol/customer-ws.js';
import { sign, verify } from '../src/protocol/signature.js';
import { createEmbeddedStore, createRedisStore } from '../src/presence-service/store/index.js';
import { testRedis, testKeyPrefix } from '../src/presence-service/testing/index.js';
import { report, run, type Result } from './bench/harness.js';
import { relayBench } from './bench/relay.js';
import { buildWidget } from './build.js';
import { printRows, scaleBench } from './bench/scale/index.js';
import { latencyBench } from './bench/latency.js';

/** Gzipped size of a popular open-source livechat widget's initial load (measured by its maintainers' docs/issues; see README). */
const REFERENCE_WIDGET_GZIP_BYTES = 73 * 1024;

async function main(): Promise<void> {
  const [part, scenario] = process.argv.slice(2);
  // Not part of a plain `npm run bench`: it starts the whole local stack.
  if (part === 'latency') return latencyBench();
  if (part !== 'scale') await micro();
  if (part !== 'micro') {
    console.log('\nscale: service vs bare ws, servers pinned to core 0, clients to core 1');
    printRows(await scaleBench(scenario));
  }
}

async function micro(): Promise<void> {
  const results: Result[] = [];
  const frame = JSON.stringify({
    type: 'message.send',
    conversationId: 'SUP-123',
    clientMsgId: 'c_0123456789abcdef',
    text: 'Hello, my order has not arrived yet. Can you help?',
  });
  results.push(
    await run({
      name: 'customer frame: JSON.parse + schema',
      baseline: { name: 'JSON.parse', fn: () => JSON.parse(frame) },
      fn: () => CustomerClientFrame.safeParse(JSON.parse(frame)),
      ops: 20_000,
    }),
  );
  const body = JSON.stringify({ type: 'message.customer', conversationId: 'SUP-1', text: 'x'.repeat(500) });
  const secret = 'a'.repeat(43);
  results.push(
    await run({
      name: 'webtrigger sign + verify',
      baseline: { name: 'one HMAC-SHA256', fn: () => createHmac('sha256', secret).update(body).digest('hex') },
      fn: () => {
        const ts = Math.floor(Date.now() / 1000);
        return verify({ secret, rawBody: body, signature: sign(secret, ts, body), timestamp: String(ts) });
      },
      ops: 10_000,
    }),
  );

  const dir = await mkdtemp(join(tmpdir(), 'bench-store-'));
  const embedded = await createEmbeddedStore({ dataDir: dir });
  const map = new Map<string, unknown>();
  let i = 0;
  results.push(
    await run({
      name: 'embedded presence touch',
      baseline: { name: 'Map.set', fn: () => map.set(`m${i++ % 1000}`, { at: i }) },
      fn: () => embedded.ephemeral.touchMember('site:s:project:SUP:agents', `a${i++ % 1000}`, { status: 'online' }, 60_000),
      ops: 5_000,
    }),
  );
  await embedded.close();
  await rm(dir, { recursive: true, force: true });

  const redis = await testRedis();
  const prefix = testKeyPrefix();
  const store = await createRedisStore({ url: redis.url, keyPrefix: prefix });
  const raw = createClient({ url: redis.url });
  await raw.connect();
  results.push(
    await run({
      name: 'redis presence touch',
      baseline: { name: 'raw Redis SET PX', fn: () => raw.set(`${prefix}raw${i++ % 1000}`, '1', { PX: 60_000 }) },
      fn: () => store.ephemeral.touchMember('site:s:project:SUP:agents', `a${i++ % 1000}`, { status: 'online' }, 60_000),
      ops: 1_000,
      rounds: 5,
    }),
  );
  await raw.quit();
  await store.close();
  await redis.stop();

  results.push(await relayBench());

  report(results);

  try {
    const { measureWidgetSize, WIDGET_GZIP_BUDGET_BYTES } = await import('../static/widget/testing/size.js');
    await buildWidget();
    const size = await measureWidgetSize();
    const ratio = size.gzip / REFERENCE_WIDGET_GZIP_BYTES;
    console.log(
      `widget.js gzip  ${ratio.toFixed(2)}× reference livechat widget  (${(size.gzip / 1024).toFixed(1)} KB gzip, ${(size.raw / 1024).toFixed(1)} KB raw; budget ${WIDGET_GZIP_BUDGET_BYTES / 1024} KB)`,
    );
    if (size.gzip > WIDGET_GZIP_BUDGET_BYTES) process.exitCode = 1;
  } catch (e) {
    console.log(`widget.js size  not measured: ${e instanceof Error ? e.message : e}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
