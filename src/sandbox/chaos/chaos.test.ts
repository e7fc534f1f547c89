/**
 * Chaos on the production topology (issue 12): customers chat through HAProxy while an
 * instance is killed with SIGKILL, while a Redis Cluster master restarts, while a master
 * dies and its replica takes over, and while the app's webtrigger fails in bursts. Each run is
 * bounded (RUN_DEADLINE_MS) and stops by itself; it prints sent / in Jira / duplicated /
 * lost, then asserts every message is in Jira exactly once, in the order it was written.
 * Meanwhile an agent answers each conversation in Jira (its replies reach the customer by
 * the comment trigger and the service's relay, through the chaos): every reply must reach
 * its customer, live or in the history the customer reads on resuming. And agents watch
 * some conversations in the issue panel (Chromium, through the same balancer; the killed
 * instance is one holding a panel's socket): every customer message must show there once,
 * in order, live or after the panel's own recovery.
 */
import { suite } from 'uvu';
import { createClient } from 'redis';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adfText, alice, comments, jira, type Agent } from '../e2e/harness.js';
import { BUILT, requireBuilt } from '../../../scripts/testing/built.js';
import { startTopology, type Topology } from '../topology/index.js';
import { ChaosCustomer, type CustomerReport } from './customer.js';
import { startFaultyWebtrigger, type FaultyWebtrigger } from './faulty-webtrigger.js';
import { keys } from '../../presence-service/store/keys.js';
import { launchChromium } from '../../../scripts/testing/chromium.js';
import type { Browser } from 'playwright-core';
import { AgentPanel, socketsOf, type PanelReport } from './agent-panels.js';

const CUSTOMERS = 6;
const MESSAGES = 12;
const PACE_MS = 100;
/**
 * A hang guard per scenario, not a speed goal. Generous: under CI load the panels take a while
 * to open, and a message whose app invocation died mid-write waits out the app's stale-claim
 * window (CLAIM_STALE_MS, 60 s in src/forge/lib/idempotency.ts) before a retry may take it over.
 */
const RUN_DEADLINE_MS = 180_000;
/** The chaos starts once this share of all messages is acknowledged: mid-conversation. */
const CHAOS_AT = 1 / 3;
/** Agent replies per conversation, spread over it: the first after the customer's first message. */
const REPLIES = 3;
const REPLY_PACE_MS = 200;
/** Customers whose conversation an agent watches in the issue panel. */
const PANELS = 2;
/** After the customers finish: how long a panel may take to show the last messages (it reloads from Jira after a drop). */
const PANEL_SETTLE_MS = 30_000;

interface Ctx {
  topology: Topology;
  dir: string;
  webtrigger: FaultyWebtrigger;
  browser: Browser;
}
const test = suite<Ctx>('chaos: instance kill and Redis master restart under traffic');

test.before(async (ctx) => {
  requireBuilt(...BUILT.widget, ...BUILT.customUi('issue-panel'));
  ctx.dir = await mkdtemp(join(tmpdir(), 'chaos-'));
  ctx.topology = await startTopology({ dataDir: ctx.dir, instances: 3, redisReplicas: 1 });
  // The app's webtrigger sits behind a proxy (passing everything until the bursts scenario
  // arms it) from the start: instances keep the decrypted link in memory, so a link rewritten
  // later would reach only instances that had not read it yet. Each restarts to read it.
  const { kv } = ctx.topology.system.presence.store;
  const linkKey = keys.link(ctx.topology.system.host.installationId);
  const link = (await kv.get<Record<string, string>>(linkKey))!;
  ctx.webtrigger = await startFaultyWebtrigger(link.webtriggerUrl!);
  await kv.set(linkKey, { ...link, webtriggerUrl: ctx.webtrigger.url });
  for (const i of ctx.topology.instances.keys()) await ctx.topology.restartInstance(i);
  ctx.browser = await launchChromium();
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.topology?.close();
  await ctx.webtrigger?.close();
  // CHAOS_KEEP=1 keeps the instances' logs (printed path) for a look after a failure.
  if (process.env.CHAOS_KEEP) console.log(`  logs kept in ${join(ctx.dir, 'logs')}`);
  else if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
});

interface Tally {
  sent: number;
  inJira: number;
  duplicated: number;
  lost: number;
  outOfOrder: number;
  reconnects: number;
  maxResumeMs: number;
  errors: Record<string, number>;
  replies: { written: number; live: number; onResume: number; missing: number; repeatedLive: number };
  panels: { messages: number; live: number; afterReload: number; missing: number; twice: number; outOfOrder: number; reopened: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/**
 * An agent answering in Jira's own comment box (REST, as the agent): reply `j` of a
 * conversation once its customer has had `j × MESSAGES / REPLIES + 1` messages acknowledged,
 * so replies fall before, during and after the chaos. Jira's refusals (its rate limit) are
 * tried again on the next round.
 */
function answerInJira(ctx: Ctx, agent: Agent, label: string, customers: readonly ChaosCustomer[], deadline: number) {
  const written = customers.map(() => [] as string[]);
  let finished = false;
  const done = (async () => {
    while (Date.now() < deadline && written.some((w) => w.length < REPLIES)) {
      for (const [k, c] of customers.entries()) {
        const issueKey = c.report.conversationId;
        const w = written[k]!;
        if (!issueKey || w.length >= REPLIES || c.report.acked.length < (w.length * MESSAGES) / REPLIES + 1) continue;
        const text = `${label} agent reply ${k}.${w.length}`;
        const r = await jira(ctx.topology.system, agent, `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`, {
          method: 'POST',
          body: JSON.stringify({ body: adf(text) }),
        }).catch(() => ({ status: 0 }));
        if (r.status === 201) w.push(text);
      }
      await sleep(REPLY_PACE_MS);
    }
    finished = true;
  })();
  /** What customer `k` is to wait for: unknown (∞) until the agent is done writing. */
  const expected = (k: number) => (finished ? written[k]!.length : Infinity);
  return { written, expected, done };
}

async function converse(ctx: Ctx, label: string, chaos: () => Promise<void>): Promise<Tally> {
  const { system } = ctx.topology;
  const demo = new URL(system.urls['Demo website (customer)']!);
  let acked = 0;
  let fire!: () => void;
  const midway = new Promise<void>((r) => (fire = r));
  const total = CUSTOMERS * MESSAGES;
  const customers = Array.from(
    { length: CUSTOMERS },
    (_, k) => new ChaosCustomer(system.presence.wsUrl, demo.origin, system.widgetId, `${label}${k}`, () => ++acked >= total * CHAOS_AT && fire()),
  );
  const deadline = Date.now() + RUN_DEADLINE_MS;
  const texts = (k: number) => Array.from({ length: MESSAGES }, (_, i) => `${label} customer ${k} message ${i}`);
  const agent = alice(system);
  const answers = answerInJira(ctx, agent, label, customers, deadline);
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  const runs = customers.map((c, k) => c.run(texts(k), PACE_MS, deadline, { replies: () => answers.expected(k), hold: k < PANELS ? hold : undefined }));
  // The watched conversations exist once their first message is in: the panels open on them, then the customers go on.
  const panels = await Promise.all(customers.slice(0, PANELS).map(async (c) => AgentPanel.open(ctx.browser, system, agent, await c.started)));
  release();
  await midway;
  await chaos();
  await answers.done;
  const reports: CustomerReport[] = await Promise.all(runs);
  const panelReports: PanelReport[] = [];
  for (const [k, p] of panels.entries()) {
    panelReports.push(await p.report(reports[k]!.acked, PANEL_SETTLE_MS));
    await p.close();
  }

  const tally: Tally = {
    sent: 0,
    inJira: 0,
    duplicated: 0,
    lost: 0,
    outOfOrder: 0,
    reconnects: 0,
    maxResumeMs: 0,
    errors: {},
    replies: { written: 0, live: 0, onResume: 0, missing: 0, repeatedLive: 0 },
    panels: { messages: 0, live: 0, afterReload: 0, missing: 0, twice: 0, outOfOrder: 0, reopened: 0 },
  };
  for (const [k, p] of panelReports.entries()) {
    const wrote = reports[k]!.acked;
    if (process.env.CHAOS_DEBUG)
      console.log(JSON.stringify({ panel: p.issueKey, opened: p.opened, live: p.live.size, missing: wrote.filter((t) => !p.shown.includes(t)) }));
    const t = tally.panels;
    t.messages += wrote.length;
    t.reopened += Math.max(0, p.opened - 1);
    for (const text of wrote) {
      const n = p.shown.filter((x) => x === text).length;
      if (n === 0) t.missing++;
      else if (p.live.has(text)) t.live++;
      else t.afterReload++;
      if (n > 1) t.twice++;
    }
    if (p.shown.join('\n') !== wrote.filter((x) => p.shown.includes(x)).join('\n')) t.outOfOrder++;
  }
  for (const [k, r] of reports.entries()) {
    for (const text of answers.written[k]!) {
      tally.replies.written++;
      const how = r.replies.get(text);
      if (how === 'live') tally.replies.live++;
      else if (how === 'resume') tally.replies.onResume++;
      else tally.replies.missing++;
    }
    tally.replies.repeatedLive += r.repeatedLive;
    const wrote = texts(k);
    tally.sent += wrote.length;
    tally.reconnects += r.reconnects;
    tally.maxResumeMs = Math.max(tally.maxResumeMs, ...r.resumeMs, 0);
    for (const [code, n] of Object.entries(r.errors)) tally.errors[code] = (tally.errors[code] ?? 0) + n;
    const inJira = r.conversationId ? (await comments(system, agent, r.conversationId)).map((c) => adfText(c.body).trim()) : [];
    if (process.env.CHAOS_DEBUG)
      console.log(JSON.stringify({ k, conversationId: r.conversationId, acked: r.acked.length, errors: r.errors, inJira, replies: [...r.replies] }));
    for (const text of wrote) {
      const n = inJira.filter((t) => t === text).length;
      if (n >= 1) tally.inJira++;
      if (n > 1) tally.duplicated++;
      if (n === 0) tally.lost++;
    }
    const order = inJira.filter((t) => wrote.includes(t));
    if (order.join('\n') !== wrote.filter((t) => order.includes(t)).join('\n')) tally.outOfOrder++;
  }
  console.log(
    `\n  chaos ${label}: sent ${tally.sent}, in Jira ${tally.inJira}, duplicated ${tally.duplicated}, lost ${tally.lost}, conversations out of order ${tally.outOfOrder}; socket drops ${tally.reconnects}, slowest resume ${tally.maxResumeMs} ms, error answers ${JSON.stringify(tally.errors)}`,
  );
  const a = tally.replies;
  console.log(
    `  agent replies ${label}: written ${a.written}, reached the customer ${a.live + a.onResume} (live ${a.live}, on resume ${a.onResume}), missing ${a.missing}, live twice ${a.repeatedLive}`,
  );
  const p = tally.panels;
  console.log(
    `  agent panels ${label}: ${PANELS} panels, customer messages ${p.messages}, shown ${p.live + p.afterReload} (live ${p.live}, loaded from Jira ${p.afterReload}), missing ${p.missing}, shown twice ${p.twice}, out of order ${p.outOfOrder}; panel sockets reopened ${p.reopened}`,
  );
  return tally;
}

function assertClean(t: Tally): void {
  assert.is(t.lost, 0, 'lost');
  assert.is(t.duplicated, 0, 'duplicated');
  assert.is(t.outOfOrder, 0, 'out of order');
  assert.is(t.inJira, t.sent);
  assert.is(t.replies.missing, 0, 'agent replies that never reached their customer');
  assert.is(t.replies.written, CUSTOMERS * REPLIES, 'the agent wrote every reply');
  assert.is(t.panels.missing, 0, 'customer messages missing from an agent panel');
  assert.is(t.panels.twice, 0, 'customer messages shown twice in an agent panel');
  assert.is(t.panels.outOfOrder, 0, 'agent panels out of order');
}

test('kill -9 of one instance mid-conversation: every customer and agent panel resumes on another, every message in Jira once, in order, and shown once', async (ctx) => {
  let index = 0;
  const tally = await converse(ctx, 'kill', async () => {
    // One holding customers and an agent panel's socket, so an agent's resume is tested too.
    const held = await Promise.all(ctx.topology.instances.map(socketsOf));
    if (process.env.CHAOS_DEBUG) console.log(JSON.stringify({ held }));
    const score = (h: { customer: number; agent: number }) => (h.agent > 0 ? 100 : 0) + h.customer;
    index = held.reduce((best, h, i) => (score(h) > score(held[best]!) ? i : best), 0);
    const victim = ctx.topology.instances[index]!;
    victim.kill('SIGKILL');
    await victim.exited;
  });
  assertClean(tally);
  assert.ok(tally.reconnects > 0, 'the kill dropped some sockets');
  assert.ok(tally.panels.reopened > 0, "the kill dropped an agent panel's socket and it came back");
  await ctx.topology.restartInstance(index);
});

/** The master holding the demo site's keys (all in one slot: the {installationId} tag); replicas answer MOVED. */
async function tenantMaster(ctx: Ctx): Promise<number> {
  const key = `jsmchat:d:{${ctx.topology.system.host.installationId}}${keys.link(ctx.topology.system.host.installationId)}`;
  for (const [i, port] of ctx.topology.redis.ports.entries()) {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    try {
      await client.connect();
      if ((await client.exists(key)) === 1) return i;
    } catch {
      // MOVED (another master owns the slot), or a node gone after a failover
    } finally {
      client.destroy();
    }
  }
  throw new Error('no master holds the site link');
}

test("the Redis Cluster master holding the site's keys is killed and restarted mid-conversation: every message in Jira once, in order", async (ctx) => {
  const master = await tenantMaster(ctx);
  const tally = await converse(ctx, 'redis', () => ctx.topology.redis.restart(master, { hard: true }));
  assertClean(tally);
});

test("the Redis Cluster master holding the site's keys dies for good and its replica takes over mid-conversation: every message in Jira once, in order, and every live frame delivered", async (ctx) => {
  const master = await tenantMaster(ctx);
  // Gone for good, like a replaced pod: nothing may wait for its address to answer again.
  const tally = await converse(ctx, 'failover', () => ctx.topology.redis.failover(master, { rejoin: false }));
  assertClean(tally);
});

test("the app's webtrigger answers 5xx in bursts, before and after the app handled the call: every message in Jira once, in order", async (ctx) => {
  const faulty = ctx.webtrigger;
  faulty.arm(true);
  try {
    const tally = await converse(ctx, 'bursts', async () => {});
    console.log(
      `  webtrigger: ${faulty.counts.forwarded} forwarded, ${faulty.counts.failedBefore} failed before the app, ${faulty.counts.failedAfter} failed after it`,
    );
    assertClean(tally);
    assert.ok(faulty.counts.failedBefore > 0 && faulty.counts.failedAfter > 0, 'both kinds of failure happened');
  } finally {
    faulty.arm(false);
  }
});

test.run();
