/**
 * The chat lifecycle in a browser, every part real: Alice answers with a canned reply, closes the chat in the issue
 * panel, the JSM request is resolved, the widget says the chat was closed and offers
 * "Start a new chat" instead of the composer, and the customer rates it (JSM request
 * feedback); the customer's next message (within the
 * project's reopen window) reopens the same request.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { agentUrl, alice, eventually, jira, screenshot, startE2E, WAIT_MS, type Agent, type E2E, requestReportedBy } from './harness.js';
import { fillStartForm, goOnlineInDashboard, issuePanel, moduleFrame, myMessage, openWidget, panelLog, widget, widgetComposer } from './ui.js';

const CUSTOMER = { name: 'Rita Reopen', email: 'rita@example.com' };
const FIRST = 'My lamp flickers';
const AGAIN = 'It flickers again, sorry!';

interface Ctx {
  e2e: E2E;
  agent: Agent;
  agentPage: Page;
  customerPage: Page;
  issueKey: string;
}

const test = suite<Ctx>('e2e: close, closed widget, reopen');

test.before(async (ctx) => {
  ctx.e2e = await startE2E('lifecycle', ['dashboard', 'issue-panel']);
  ctx.agent = alice(ctx.e2e.system);
  ctx.agentPage = (await ctx.e2e.newPage()).page;
  ctx.customerPage = (await ctx.e2e.newPage()).page;
});

test.after(async (ctx) => {
  await ctx.e2e?.close();
});

type IssueAnswer = { fields: { status: { name: string; statusCategory: { key: string } } }; properties: Record<string, { status?: string }> };
const issue = (ctx: Ctx) => jira<IssueAnswer>(ctx.e2e.system, ctx.agent, `/rest/api/3/issue/${ctx.issueKey}?fields=status&properties=chat.conversation`);

test('a customer starts a chat that Alice sees', async (ctx) => {
  const { system } = ctx.e2e;
  await ctx.agentPage.goto(agentUrl(system, `/jira/projects/SUP/chats`, ctx.agent.accountId));
  await goOnlineInDashboard(moduleFrame(ctx.agentPage), ctx.agent.displayName);
  await ctx.customerPage.goto(system.urls['Demo website (customer)']!);
  await openWidget(ctx.customerPage);
  await widget(ctx.customerPage).getByText("We're online").waitFor({ timeout: WAIT_MS });
  await fillStartForm(ctx.customerPage, { ...CUSTOMER, message: FIRST }, 'Start chat');
  await myMessage(ctx.customerPage, FIRST)
    .getByText(/^(Sent|Seen)$/)
    .waitFor({ timeout: WAIT_MS });
  ctx.issueKey = await requestReportedBy(system, ctx.agent, CUSTOMER.email);
  await ctx.agentPage.goto(agentUrl(system, `/jira/browse/${ctx.issueKey}`, ctx.agent.accountId));
  await panelLog(issuePanel(ctx.agentPage)).getByText(FIRST).waitFor({ timeout: WAIT_MS });
});

test("Alice answers with the demo project's canned greeting: / picks it, the placeholders are filled, the customer reads it", async (ctx) => {
  const panel = issuePanel(ctx.agentPage);
  const box = panel.getByLabel('Reply to the customer');
  await box.click();
  await box.pressSequentially('/greet');
  await panel
    .getByRole('listbox', { name: 'Canned replies' })
    .getByRole('option', { name: /Greeting/ })
    .waitFor({ timeout: WAIT_MS });
  await box.press('Enter');
  const filled = `Hi Rita, this is ${ctx.agent.displayName}. Let me look into ${ctx.issueKey} for you.`;
  assert.is(await box.inputValue(), filled);
  await box.press('Enter');
  await widget(ctx.customerPage).getByText(filled).waitFor({ timeout: WAIT_MS });
  const comments = await jira<{ comments: { body: unknown }[] }>(ctx.e2e.system, ctx.agent, `/rest/api/3/issue/${ctx.issueKey}/comment`);
  assert.ok(JSON.stringify(comments.body.comments).includes(filled), 'the filled reply is a Jira comment');
});

test('Close chat resolves the request; the widget says so and offers "Start a new chat" instead of the composer', async (ctx) => {
  const panel = issuePanel(ctx.agentPage);
  await panel.getByRole('button', { name: 'Close chat' }).click();
  await panel.getByRole('group', { name: 'Close chat' }).getByRole('button', { name: 'Close chat' }).click();
  await panel.getByText('This chat is closed.', { exact: false }).waitFor({ timeout: WAIT_MS });
  assert.ok(await panel.getByLabel('Reply to the customer').isDisabled(), 'the panel offers no reply to a closed chat');
  const resolved = await issue(ctx);
  assert.is(resolved.body.fields.status.statusCategory.key, 'done');
  assert.is(resolved.body.fields.status.name, 'Resolved');

  const w = widget(ctx.customerPage);
  await w.getByText('This chat was closed.').waitFor({ timeout: WAIT_MS });
  const startNew = w.getByRole('button', { name: 'Start a new chat' });
  await startNew.waitFor();
  assert.is(await widgetComposer(ctx.customerPage).count(), 0, 'no composer on a closed chat');
  await screenshot(ctx.customerPage, 'lifecycle-widget-closed');
  await screenshot(ctx.agentPage, 'lifecycle-panel-closed');
});

test("the customer rates the closed chat 4 of 5 with a comment; it is the request's feedback in JSM", async (ctx) => {
  const w = widget(ctx.customerPage);
  await w.getByRole('group', { name: 'How was this chat?' }).getByRole('button', { name: '4 of 5' }).click();
  await w.getByLabel('Anything to add? (optional)').fill('Fixed in minutes');
  await w.locator('form.rating').getByRole('button', { name: 'Send' }).click();
  await w.getByText('Thanks for your rating!').waitFor({ timeout: WAIT_MS });
  await screenshot(ctx.customerPage, 'lifecycle-widget-rated');
  const feedback = await jira(ctx.e2e.system, ctx.agent, `/rest/servicedeskapi/request/${ctx.issueKey}/feedback`);
  assert.is(feedback.status, 200);
  assert.equal(feedback.body, { type: 'csat', rating: 4, comment: { body: 'Fixed in minutes' } });
});

test("the customer's next message within the window reopens the same request", async (ctx) => {
  const w = widget(ctx.customerPage);
  await w.getByRole('button', { name: 'Start a new chat' }).click();
  const box = widgetComposer(ctx.customerPage);
  await box.fill(AGAIN);
  await box.press('Enter');
  await myMessage(ctx.customerPage, AGAIN)
    .getByText(/^(Sent|Seen)$/)
    .waitFor({ timeout: WAIT_MS });
  const reopened = await eventually(
    'the request reopened',
    async () => (await issue(ctx)).body,
    (b) => b.fields.status.statusCategory.key !== 'done',
  );
  assert.is(reopened.fields.status.name, 'Waiting for support');
  assert.is(reopened.properties['chat.conversation']?.status, 'open');
  // Same request: the panel of the closed chat shows the message and takes replies again.
  const panel = issuePanel(ctx.agentPage);
  await panelLog(panel).getByText(AGAIN).waitFor({ timeout: WAIT_MS });
  await ctx.agentPage.reload();
  await panelLog(issuePanel(ctx.agentPage)).getByText(AGAIN).waitFor({ timeout: WAIT_MS });
  assert.ok(await issuePanel(ctx.agentPage).getByLabel('Reply to the customer').isEnabled());
  await screenshot(ctx.customerPage, 'lifecycle-widget-reopened');
});

test.run();
