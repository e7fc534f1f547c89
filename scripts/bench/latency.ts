/**
 * `npm run bench -- latency`: customer-message ack latency through the whole local stack
 * (sandbox startSystem: presence service → signed webtrigger on the local Forge host → the
 * app → the JSM stand-in's REST API → back), at a low and a higher steady rate. A timer
 * on the path (Nagle + delayed ACK, a batching window, a flush interval) shows as latency
 * that is worse at the low rate than at the high one, where traffic keeps things moving.
 *
 * Open loop: messages leave on a fixed schedule whatever the acks do, spread over a few
 * sockets (the per-socket frame limit is raised; the stand-in's every-Nth 429 is off, so a
 * Retry-After second does not hide what is measured).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startSystem, type System } from '../../src/sandbox/system.js';
import { startTopology } from '../../src/sandbox/topology/index.js';

/** Messages per second, each for SECONDS. */
const RATES = [10, 50];
const SECONDS = Number(process.env.LATENCY_SECONDS ?? 8);
const SOCKETS = Number(process.env.LATENCY_SOCKETS ?? 5);
const WARMUP = 20;
const STACK = process.env.LATENCY_STACK ?? 'start';

interface Customer {
  ws: WebSocket;
  conversationId: string;
  pending: Map<string, number>;
}

const pct = (xs: number[], p: number) => {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function customer(wsUrl: string, origin: string, widgetId: string, n: number, lat: number[]): Promise<Customer> {
  const ws = new WebSocket(`${wsUrl}/ws/customer`, { origin, perMessageDeflate: false });
  await new Promise<void>((ok, fail) => (ws.once('open', () => ok()), ws.once('error', fail)));
  const c: Customer = { ws, conversationId: '', pending: new Map() };
  const first = new Promise<Record<string, any>>((resolve) => {
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as Record<string, any>;
      if (f.type === 'message.ack' || f.type === 'message.failed') {
        const sent = c.pending.get(f.clientMsgId);
        if (sent !== undefined) {
          c.pending.delete(f.clientMsgId);
          if (f.type === 'message.ack') lat.push(performance.now() - sent);
          else console.log(`  failed: ${f.code} ${f.message}`);
          return;
        }
        resolve(f);
      } else if (f.type === 'auth.ok') resolve(f);
      else if (f.type === 'error') console.log(`  error: ${f.code} ${f.message}`);
    });
  });
  ws.send(JSON.stringify({ type: 'auth', widgetId }));
  await first;
  const acked = new Promise<Record<string, any>>((resolve) => ws.on('message', (d) => String(d).includes('"message.ack"') && resolve(JSON.parse(String(d)))));
  ws.send(
    JSON.stringify({
      type: 'conversation.start',
      clientMsgId: `lat-start-${n}`.padEnd(12, '0'),
      text: 'Latency probe',
      prechat: { name: `Probe ${n}`, email: `probe${n}@example.com` },
    }),
  );
  c.conversationId = (await acked).conversationId as string;
  return c;
}

/** Sends `rate` messages a second for `seconds`, round-robin over the sockets; the ack latencies land in `lat`. */
async function drive(customers: Customer[], rate: number, count: number, tag: string): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const c = customers[i % customers.length]!;
    const clientMsgId = `lat_${tag}_${String(i).padStart(6, '0')}`;
    c.pending.set(clientMsgId, performance.now());
    c.ws.send(JSON.stringify({ type: 'message.send', conversationId: c.conversationId, clientMsgId, text: `probe ${i}` }));
  }
  const deadline = performance.now() + 10_000;
  while (customers.some((c) => c.pending.size > 0) && performance.now() < deadline) await sleep(20);
}

export async function latencyBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-latency-'));
  const raised = { FRAMES_PER_SEC: '1000', FRAME_BURST: '1000' };
  // LATENCY_JSM=strict keeps the stand-in's every-20th 429 (as `npm start` runs it).
  const jsm = process.env.LATENCY_JSM === 'strict' ? {} : { rateLimit: { everyNth: 0 } };
  // `cluster`: the production shape (topology: presence processes on Redis Cluster behind HAProxy); default `npm start`'s.
  const cluster = STACK === 'cluster';
  let system: System;
  let close: () => Promise<void>;
  if (cluster) {
    const t = await startTopology({ dataDir: dir, instances: 2, env: raised, system: { jsm } });
    system = t.system;
    close = () => t.close();
  } else {
    system = await startSystem({ dataDir: dir, jsm, presenceEnv: raised });
    close = () => system.close();
  }
  try {
    const customers: Customer[] = [];
    const lat: number[] = [];
    for (let i = 0; i < SOCKETS; i++) customers.push(await customer(system.presence.wsUrl, system.demo.origin, system.widgetId, i, lat));
    await drive(customers, 10, WARMUP, 'warm');
    lat.length = 0;
    console.log(
      `\nack latency through the local stack (${cluster ? 'cluster: 2 instances, Redis Cluster, HAProxy' : 'npm start'}; ${SOCKETS} sockets, open loop, ${SECONDS} s per rate)`,
    );
    console.log(`${'rate'.padEnd(10)}  ${'acks'.padStart(5)}  ${'p50'.padStart(8)}  ${'p90'.padStart(8)}  ${'p99'.padStart(8)}`);
    for (const rate of RATES) {
      lat.length = 0;
      await drive(customers, rate, rate * SECONDS, `r${rate}`);
      const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(8);
      console.log(`${`${rate}/s`.padEnd(10)}  ${String(lat.length).padStart(5)}  ${ms(pct(lat, 50))}  ${ms(pct(lat, 90))}  ${ms(pct(lat, 99))}`);
      if (process.env.LATENCY_ALL) console.log(lat.map((v) => v.toFixed(0)).join(' '));
    }
    for (const c of customers) c.ws.close();
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
}
