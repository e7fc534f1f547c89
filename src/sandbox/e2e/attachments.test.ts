/**
 * A customer sends a picture from the widget: the agent's issue panel shows a preview, the
 * file becomes a real attachment of the JSM request (Jira keeps it after the presence
 * service deletes its copy on day 7), and the comment links to that attachment. The agent
 * sends one back from the panel and the customer sees it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { alice, agentUrl, comments, eventually, jira, screenshot, startE2E, WAIT_MS, type Agent, type E2E, requestReportedBy } from './harness.js';
import { makePng } from './png.js';
import { fillStartForm, goOnlineInDashboard, issuePanel, moduleFrame, myMessage, openWidget, panelLog, widget, widgetLog } from './ui.js';

const FILE = 'broken-spoke.png';
const PNG = makePng(64, 48, [31, 111, 74], [250, 200, 40]);
const CUSTOMER = { name: 'Pia Picture', email: 'pia@example.com' };
const FIRST = 'One of my spokes snapped, photo follows';

interface Ctx {
  e2e: E2E;
  agent: Agent;
  agentPage: Page;
  customerPage: Page;
  issueKey: string;
}
const test = suite<Ctx>('e2e: attachments');

test.before(async (ctx) => {
  ctx.e2e = await startE2E('attachments', ['dashboard', 'issue-panel']);
  ctx.agent = alice(ctx.e2e.system);
  ctx.agentPage = (await ctx.e2e.newPage()).page;
  ctx.customerPage = (await ctx.e2e.newPage()).page;
});

test.after(async (ctx) => {
  await ctx.e2e?.close();
});

test('a PNG the customer attaches in the widget shows as an image preview in the agent panel', async (ctx) => {
  const { system } = ctx.e2e;
  await ctx.agentPage.goto(agentUrl(system, '/jira/projects/SUP/chats', ctx.agent.accountId));
  await goOnlineInDashboard(moduleFrame(ctx.agentPage), ctx.agent.displayName);

  const page = ctx.customerPage;
  await page.goto(system.urls['Demo website (customer)']!);
  await openWidget(page);
  await widget(page).getByText("We're online").waitFor({ timeout: WAIT_MS });
  await fillStartForm(page, { ...CUSTOMER, message: FIRST }, 'Start chat');
  await myMessage(page, FIRST)
    .getByText(/^(Sent|Seen)$/)
    .waitFor({ timeout: WAIT_MS });

  await widget(page).locator('input[type="file"]').setInputFiles({ name: FILE, mimeType: 'image/png', buffer: PNG });
  await myMessage(page, FILE)
    .getByText(/^(Sent|Seen)$/)
    .waitFor({ timeout: WAIT_MS });
  await screenshot(page, 'attachments-widget');

  ctx.issueKey = await requestReportedBy(system, ctx.agent, CUSTOMER.email);

  await ctx.agentPage.goto(agentUrl(system, `/jira/browse/${ctx.issueKey}`, ctx.agent.accountId));
  const img = panelLog(issuePanel(ctx.agentPage)).getByRole('img', { name: FILE });
  await img.waitFor({ timeout: WAIT_MS });
  const size = await eventually(
    'the preview image to load',
    () => img.evaluate((el) => [(el as HTMLImageElement).naturalWidth, (el as HTMLImageElement).naturalHeight]),
    ([w]) => (w ?? 0) > 0,
  );
  assert.equal(size, [64, 48], 'the preview is the uploaded picture');
  await screenshot(ctx.agentPage, 'attachments-agent-panel');
});

test("the panel shows the file once (preview and link), not also the comment's raw text with the download address", async (ctx) => {
  const log = panelLog(issuePanel(ctx.agentPage));
  assert.ok((await log.getByRole('link', { name: /broken-spoke\.png/ }).count()) > 0, 'a link to the file');
  const raw = await log.getByText('/v1/attachments/').allInnerTexts();
  assert.equal(raw, [], 'no message text with the download address');
});

test('every image in the issue panel loads (no broken avatars or previews)', async (ctx) => {
  const broken = await eventually(
    'the panel images to finish loading',
    () =>
      issuePanel(ctx.agentPage)
        .locator('img')
        .evaluateAll((imgs) =>
          imgs.map((i) => ({ src: (i as HTMLImageElement).src, done: (i as HTMLImageElement).complete, w: (i as HTMLImageElement).naturalWidth })),
        ),
    (list) => list.every((i) => i.done),
  );
  assert.equal(
    broken.filter((i) => i.w === 0).map((i) => i.src),
    [],
    'images that failed to load',
  );
});

test('the file is a real attachment of the JSM request, and the Jira comment links to that attachment (not to the service)', async (ctx) => {
  const { system } = ctx.e2e;
  const files = await eventually(
    'the request attachments',
    async () =>
      (
        await jira<{ values: { filename: string; size: number; _links: { content: string } }[] }>(
          system,
          ctx.agent,
          `/rest/servicedeskapi/request/${ctx.issueKey}/attachment`,
        )
      ).body.values,
    (v) => v.some((f) => f.filename === FILE),
  );
  const f = files.find((x) => x.filename === FILE)!;
  assert.is(f.size, PNG.length);
  const list = await comments(system, ctx.agent, ctx.issueKey);
  const withFile = list.filter((c) => JSON.stringify(c.body).includes(FILE));
  assert.is(withFile.length, 1, 'one comment for the file');
  const body = JSON.stringify(withFile[0]!.body);
  const hrefs = [...body.matchAll(/"(?:href|url)":"([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(hrefs, [f._links.content], `the comment links to Jira's copy: ${body}`);
  assert.not.ok(body.includes(PNG.toString('base64').slice(0, 40)), 'no base64 of the file in the comment');
  assert.not.ok(body.includes('data:image'), 'no data: URL in the comment');
});

test('the agent sends a PNG from the issue panel (Custom UI origin, agent token) and the customer sees it in the widget', async (ctx) => {
  const AGENT_FILE = 'wiring-diagram.png';
  const AGENT_PNG = makePng(40, 30, [200, 40, 40], [255, 255, 255]);
  const panel = issuePanel(ctx.agentPage);
  await panel.locator('input[type="file"]').setInputFiles({ name: AGENT_FILE, mimeType: 'image/png', buffer: AGENT_PNG });
  const sent = panelLog(panel).getByRole('img', { name: AGENT_FILE });
  await sent.waitFor({ timeout: WAIT_MS });
  assert.is(
    await panelLog(panel)
      .getByText(/Uploading/)
      .count(),
    0,
    'no bubble left "Uploading…"',
  );
  await screenshot(ctx.agentPage, 'attachments-agent-sent');
  const img = widgetLog(ctx.customerPage).getByRole('img', { name: AGENT_FILE });
  await img.waitFor({ timeout: WAIT_MS });
  const size = await eventually(
    'the preview in the widget to load',
    () => img.evaluate((el) => [(el as HTMLImageElement).naturalWidth, (el as HTMLImageElement).naturalHeight]),
    ([w]) => (w ?? 0) > 0,
  );
  assert.equal(size, [40, 30], "the customer sees the agent's picture");
  await screenshot(ctx.customerPage, 'attachments-widget-agent-file');
  const files = await eventually(
    'the agent file in Jira',
    async () =>
      (await jira<{ values: { filename: string }[] }>(ctx.e2e.system, ctx.agent, `/rest/servicedeskapi/request/${ctx.issueKey}/attachment`)).body.values,
    (v) => v.some((x) => x.filename === AGENT_FILE),
  );
  assert.ok(files.length >= 2);
});

test.run();
