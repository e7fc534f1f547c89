/**
 * `npm run cluster` end to end (issue 12): two presence-service processes behind HAProxy,
 * on a Redis Cluster and s3rver. An agent on the dashboard and a customer on the demo site
 * talk through the balancer: the customer's message becomes a Jira comment and the agent's
 * reply reaches the widget, whichever instances their sockets landed on.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { adfText, agentUrl, alice, comments, eventually, screenshot, startE2E, WAIT_MS, type Agent, type E2E, requestReportedBy } from './harness.js';
import { fillStartForm, goOnlineInDashboard, issuePanel, moduleFrame, myMessage, openWidget, panelLog, widget, widgetLog } from './ui.js';
import { startTopology, type Topology } from '../topology/index.js';

const CUSTOMER = { name: 'Cleo Cluster', email: 'cleo@example.com' };
const FIRST = 'Hello through the balancer';
const REPLY = 'Hi Cleo, answered from whichever instance holds my socket';
const DELIVERED = /^(Sent|Seen)$/;

interface Ctx {
  e2e: E2E;
  topology: Topology;
  agent: Agent;
  agentPage: Page;
  customerPage: Page;
  issueKey: string;
}
const test = suite<Ctx>('e2e: npm run cluster (HAProxy, 2 instances, Redis Cluster, S3)');

test.before(async (ctx) => {
  ctx.e2e = await startE2E('cluster', ['dashboard', 'issue-panel'], async (dataDir) => {
    ctx.topology = await startTopology({ dataDir, instances: 2 });
    return ctx.topology.system;
  });
  ctx.agent = alice(ctx.e2e.system);
  ctx.agentPage = (await ctx.e2e.newPage()).page;
  ctx.customerPage = (await ctx.e2e.newPage()).page;
});

test.after(async (ctx) => {
  await ctx.e2e?.close();
});

test('every URL the pages use is the balancer: the widget, the Forge remote and the readiness check', async (ctx) => {
  const lb = ctx.topology.balancer.url;
  assert.ok(ctx.e2e.system.urls['Demo website (customer)']!.includes(encodeURIComponent(lb)));
  assert.is(ctx.e2e.system.presence.url, lb);
  const ready = await fetch(`${lb}/readyz`).then((r) => r.json());
  assert.equal(ready, { ok: true, store: 'redis' });
  assert.is((await fetch(`${lb}/metrics`)).status, 404, 'metrics stay behind the balancer');
});

test('a customer message through HAProxy becomes a Jira comment and the agent reply comes back', async (ctx) => {
  const { system } = ctx.e2e;
  await ctx.agentPage.goto(agentUrl(system, `/jira/projects/SUP/chats`, ctx.agent.accountId));
  await goOnlineInDashboard(moduleFrame(ctx.agentPage), ctx.agent.displayName);
  const page = ctx.customerPage;
  await page.goto(system.urls['Demo website (customer)']!);
  await openWidget(page);
  await widget(page).getByText("We're online").waitFor({ timeout: WAIT_MS });
  await fillStartForm(page, { ...CUSTOMER, message: FIRST }, 'Start chat');
  await myMessage(page, FIRST).getByText(DELIVERED).waitFor({ timeout: WAIT_MS });
  ctx.issueKey = await requestReportedBy(system, ctx.agent, CUSTOMER.email);

  await ctx.agentPage.goto(agentUrl(system, `/jira/browse/${ctx.issueKey}`, ctx.agent.accountId));
  const panel = issuePanel(ctx.agentPage);
  await panelLog(panel).getByText(FIRST).waitFor({ timeout: WAIT_MS });
  const box = panel.getByLabel('Reply to the customer');
  await box.fill(REPLY);
  await box.press('Enter');
  await widgetLog(page).getByText(REPLY).waitFor({ timeout: WAIT_MS });
  await screenshot(page, 'cluster-widget-reply');
  const texts = await eventually(
    'both messages as Jira comments',
    async () => (await comments(system, ctx.agent, ctx.issueKey)).map((c) => adfText(c.body).trim()),
    (t) => t.includes(REPLY),
  );
  assert.equal(texts, [FIRST, REPLY]);
});

test.run();
