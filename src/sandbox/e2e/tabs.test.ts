/**
 * One conversation across two tabs of the same site (issue 15): one tab leads (holds the
 * socket and the outbox), the other relays through it; messages typed in both reach Jira
 * once each and in order, both tabs show the same conversation, and when the leading tab
 * closes the other takes over without losing or doubling a message.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BrowserContext, Page } from 'playwright-core';
import { adfText, agentUrl, alice, comments, eventually, screenshot, startE2E, WAIT_MS, type E2E, requestReportedBy } from './harness.js';
import { fillStartForm, goOnlineInDashboard, moduleFrame, myMessage, openWidget, widget, widgetComposer, widgetLog } from './ui.js';

const CUSTOMER = { name: 'Tara Tabs', email: 'tara.tabs@example.com' };
const ONE = 'First, typed in tab A';
const TWO = 'Second, typed in tab B';
const THREE = 'Third, typed in tab A right after';
const FOUR = 'Fourth, typed in tab B after tab A closed';
const DELIVERED = /^(Sent|Seen)$/;

interface Ctx {
  e2e: E2E;
  customer: BrowserContext;
  a: Page;
  b: Page;
  sockets: Map<Page, number>;
}

const test = suite<Ctx>('e2e: one conversation across tabs');

test.before(async (ctx) => {
  ctx.e2e = await startE2E('tabs', ['dashboard']);
  const agentPage = (await ctx.e2e.newPage()).page;
  const agent = alice(ctx.e2e.system);
  await agentPage.goto(agentUrl(ctx.e2e.system, '/jira/projects/SUP/chats', agent.accountId));
  await goOnlineInDashboard(moduleFrame(agentPage), agent.displayName);
  const c = await ctx.e2e.newPage();
  ctx.customer = c.context;
  ctx.a = c.page;
  ctx.b = await c.context.newPage(); // same context: same site storage, locks and channels
  ctx.sockets = new Map();
  for (const p of [ctx.a, ctx.b]) p.on('websocket', () => ctx.sockets.set(p, (ctx.sockets.get(p) ?? 0) + 1));
});

test.after(async (ctx) => {
  await ctx.e2e?.close();
});

async function send(page: Page, text: string): Promise<void> {
  const box = widgetComposer(page);
  await box.fill(text);
  await box.press('Enter');
}

async function issueKeyOf(ctx: Ctx): Promise<string> {
  const { system } = ctx.e2e;
  return requestReportedBy(system, alice(system), CUSTOMER.email);
}

const jiraTexts = async (ctx: Ctx, key: string): Promise<string[]> =>
  (await comments(ctx.e2e.system, alice(ctx.e2e.system), key)).map((c) => adfText(c.body).trim());

test('two tabs send three messages that reach Jira once each, in order, and both tabs show them', async (ctx) => {
  const url = ctx.e2e.system.urls['Demo website (customer)']!;
  await ctx.a.goto(url);
  await ctx.b.goto(url);
  await openWidget(ctx.a);
  await fillStartForm(ctx.a, { ...CUSTOMER, message: ONE }, 'Start chat');
  await myMessage(ctx.a, ONE).getByText(DELIVERED).waitFor({ timeout: WAIT_MS });
  await openWidget(ctx.b);
  await myMessage(ctx.b, ONE).waitFor({ timeout: WAIT_MS });
  // Back to back, without waiting for either to be acknowledged.
  await send(ctx.b, TWO);
  await send(ctx.a, THREE);
  // The widget puts the delivery state under the last of a run of own messages.
  for (const page of [ctx.a, ctx.b]) await myMessage(page, THREE).getByText(DELIVERED).waitFor({ timeout: WAIT_MS });
  const key = await issueKeyOf(ctx);
  const texts = await eventually(
    'three comments',
    () => jiraTexts(ctx, key),
    (t) => t.length >= 3,
  );
  assert.equal(texts, [ONE, TWO, THREE]);
  for (const page of [ctx.a, ctx.b]) {
    const shown = (await widgetLog(page).locator('.row.mine .bubble').allTextContents()).map((t) => t.trim());
    assert.equal(shown, [ONE, TWO, THREE], 'every tab shows the same conversation');
  }
  assert.equal([ctx.sockets.get(ctx.a), ctx.sockets.get(ctx.b) ?? 0], [1, 0], 'only the leading tab has a connection');
  await screenshot(ctx.b, 'tabs-follower');
});

test('when the leading tab closes the other one takes over, and its message reaches Jira once', async (ctx) => {
  await ctx.a.close();
  await send(ctx.b, FOUR);
  await myMessage(ctx.b, FOUR).getByText(DELIVERED).waitFor({ timeout: WAIT_MS });
  const key = await issueKeyOf(ctx);
  const texts = await eventually(
    'four comments',
    () => jiraTexts(ctx, key),
    (t) => t.length >= 4,
  );
  assert.equal(texts, [ONE, TWO, THREE, FOUR]);
  assert.is(await widget(ctx.b).getByText('Reconnecting…').count(), 0);
});

test.run();
