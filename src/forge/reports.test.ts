/**
 * Chat reports from Jira itself: the stand-in holds three weeks of chat history (the same
 * seeding `npm start` uses); the project report's numbers match a computation written
 * here, independently, over the chat.stats of the same issues read back from Jira; the
 * CSV carries the same numbers; agents of another project and non-admins are refused.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld, type World } from './__fixtures__/world.js';
import { seedChatHistory } from '../sandbox/chat-history.js';
import { reportCsv, type ChatReport } from '../protocol/chat-report.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const R = suite<{ w: World; written: number; from: string; to: string }>('chat reports');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

R.before(async (ctx) => {
  ctx.w = await startWorld({ rateLimit: undefined });
  const agents = [ctx.w.people.alice, ctx.w.people.bob];
  ctx.written = await seedChatHistory(ctx.w.jsm, await mkdtemp(join(tmpdir(), 'history-')), {
    projectKey: 'SUP',
    serviceDeskId: '1',
    requestTypeId: '10',
    agents,
    days: 14,
  });
  ctx.from = day(Date.now() - 14 * 86_400_000);
  ctx.to = day(Date.now());
});
R.after(async ({ w }) => w.close());

type Stats = { started: string; offline: boolean; firstResponseSec?: number; agent?: string; rating?: number };

/** Every chat.stats in SUP, read the documented way (JQL + properties), paged. */
async function statsInJira(w: World): Promise<Stats[]> {
  const out: Stats[] = [];
  let token: string | undefined;
  for (;;) {
    const r = await w.rest(w.people.ada, 'POST', '/rest/api/3/search/jql', {
      jql: 'project = SUP AND chatStarted >= "2000-01-01"',
      fields: ['id'],
      properties: ['chat.stats'],
      maxResults: 100,
      ...(token ? { nextPageToken: token } : {}),
    });
    for (const i of r.body.issues) out.push(i.properties['chat.stats']);
    if (r.body.isLast) return out;
    token = r.body.nextPageToken;
  }
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1] : null);
const p90 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1] : null);

R('the project report matches a computation over the same issues, and its CSV carries the numbers', async ({ w, written, from, to }) => {
  let report: ChatReport | undefined;
  // Search lags writes (eventual consistency): ask until every seeded chat is visible.
  for (let i = 0; i < 100 && report?.totals.chats !== written; i++) {
    report = await w.resolve('reports.project', { projectKey: 'SUP', from, to }, w.people.alice, 'chat-dashboard');
    if (report?.totals.chats !== written) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(report);
  const all = await statsInJira(w);
  assert.is(all.length, written);
  const live = all.filter((s) => !s.offline);
  const answered = live.filter((s) => s.firstResponseSec !== undefined).map((s) => s.firstResponseSec as number);
  const missed = live.filter((s) => (s.firstResponseSec === undefined ? true : s.firstResponseSec > 5 * 60)).length;
  assert.is(report.totals.chats, all.length);
  assert.is(report.totals.offline, all.length - live.length);
  assert.is(report.totals.answered, answered.length);
  assert.is(report.totals.missed, missed);
  assert.is(report.totals.medianFirstResponseSec, median(answered));
  assert.is(report.totals.p90FirstResponseSec, p90(answered));
  const ratings = all.flatMap((s) => (s.rating ? [s.rating] : []));
  assert.is(report.totals.ratings, ratings.length);
  assert.equal(
    report.ratings.map((r) => r.count),
    [1, 2, 3, 4, 5].map((n) => ratings.filter((r) => r === n).length),
  );
  // Per day and per hour.
  for (const d of report.days) assert.is(d.chats, all.filter((s) => s.started.slice(0, 10) === d.date).length, d.date);
  assert.is(
    report.heatmap.flat().reduce((a, b) => a + b, 0),
    all.length,
  );
  const monday9 = all.filter((s) => new Date(s.started).getUTCDay() === 1 && new Date(s.started).getUTCHours() === 9).length;
  assert.is(report.heatmap[0]?.[9], monday9);
  // Per agent, with names from Jira.
  const alice = live.filter((s) => s.agent === w.people.alice);
  const row = report.agents.find((a) => a.accountId === w.people.alice);
  assert.is(row?.name, 'Alice Agent');
  assert.is(row?.chats, alice.length);
  assert.is(row?.medianFirstResponseSec, median(alice.flatMap((s) => (s.firstResponseSec === undefined ? [] : [s.firstResponseSec]))));
  // CSV: the same numbers.
  const csv = reportCsv(report);
  assert.ok(
    csv.includes(`${from},${to},${all.length},${all.length - live.length},${answered.length},${missed},${median(answered)},${p90(answered)}`),
    csv.split('\r\n')[1],
  );
  assert.ok(csv.includes(`Alice Agent,${alice.length},`));
  assert.is(csv.split('\r\n\r\n').length, 5, 'totals, days, agents, heatmap, ratings');
});

R('a chat made through the app gets chat.stats that the report counts, first response included', async ({ w, from, to }) => {
  const before = (await w.resolve('reports.project', { projectKey: 'SUP', from, to }, w.people.alice, 'chat-dashboard')) as ChatReport;
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'rep-start-000001',
    caller: 'v:' + 'b8'.repeat(16),
    channel: 'web',
    customer: { name: 'Rita', email: null, verified: false },
    text: 'hello',
  });
  const key = s.body.conversationId as string;
  await w.resolve('chat.send', { issueKey: key, clientMsgId: 'rep-agent-000001', text: 'hi' }, w.people.bob);
  const stats = await w.rest('app', 'GET', `/rest/api/3/issue/${key}/properties/chat.stats`);
  assert.is(stats.status, 200);
  assert.is(stats.body.value.agent, w.people.bob);
  assert.type(stats.body.value.firstResponseSec, 'number');
  let after = before;
  // Search lags each write (the start, then the reply's rewrite of chat.stats): wait for both.
  for (let i = 0; i < 150 && (after.totals.chats === before.totals.chats || after.totals.answered === before.totals.answered); i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = await w.resolve('reports.project', { projectKey: 'SUP', from, to }, w.people.alice, 'chat-dashboard');
  }
  assert.is(after.totals.chats, before.totals.chats + 1);
  assert.is(after.totals.answered, before.totals.answered + 1);
});

R('an agent of another project, and a non-admin on the site view, are refused', async ({ w, from, to }) => {
  for (const [fn, payload, who, mod] of [
    ['reports.project', { projectKey: 'HR', from, to }, w.people.alice, 'chat-dashboard'],
    ['reports.site', { from, to }, w.people.alice, 'chat-admin'],
  ] as const) {
    try {
      await w.resolve(fn, payload, who, mod);
      assert.unreachable(fn);
    } catch (e) {
      assert.match(String(e), 'forbidden');
    }
  }
  const site = await w.resolve('reports.site', { from, to }, w.people.ada, 'chat-admin');
  assert.is(site.projects[0].key, 'SUP');
  assert.is(site.projects[0].chats, site.totals.chats);
});

R('a period over 92 days, or reversed, is refused with a reason', async ({ w }) => {
  for (const p of [
    { from: '2026-01-01', to: '2026-06-30' },
    { from: '2026-02-01', to: '2026-01-01' },
  ]) {
    try {
      await w.resolve('reports.project', { projectKey: 'SUP', ...p }, w.people.alice, 'chat-dashboard');
      assert.unreachable();
    } catch (e) {
      assert.match(String(e), 'invalid');
    }
  }
});

R.run();
