/**
 * Nobody is online: the widget says so and offers a leave-a-message form; the message still
 * becomes a JSM request (answered later by email), and the visitor gets a thank-you.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { adfText, alice, comments, eventually, jira, screenshot, startE2E, WAIT_MS, type E2E, requestReportedBy } from './harness.js';
import { fillStartForm, openWidget, widget } from './ui.js';

const VISITOR = { name: 'Olga Offline', email: 'olga@example.com' };
const MESSAGE = 'Can I book a tune-up for Saturday morning?';

const test = suite<{ e2e: E2E; page: Page }>('e2e: nobody online');

test.before(async (ctx) => {
  ctx.e2e = await startE2E('offline', []);
  ctx.page = (await ctx.e2e.newPage()).page;
});

test.after(async (ctx) => {
  await ctx.e2e?.close();
});

test('with no agent online the widget shows the offline text and a leave-a-message form', async (ctx) => {
  const { page } = ctx;
  await page.goto(ctx.e2e.system.urls['Demo website (customer)']!);
  await openWidget(page);
  const w = widget(page);
  await w.getByText('Away', { exact: true }).waitFor({ timeout: WAIT_MS });
  await w.getByText(/leave a message/i).waitFor({ timeout: WAIT_MS });
  assert.ok(await w.getByRole('button', { name: 'Send message' }).isVisible());
  assert.is(await w.getByRole('button', { name: 'Start chat' }).count(), 0, 'no live-chat form while offline');
  await screenshot(page, 'offline-form');
});

test('a left message becomes a JSM request and the visitor is thanked', async (ctx) => {
  const { page } = ctx;
  const { system } = ctx.e2e;
  await fillStartForm(page, { ...VISITOR, message: MESSAGE }, 'Send message');
  await widget(page)
    .getByRole('status')
    .getByText(/Thanks!/)
    .waitFor({ timeout: WAIT_MS });
  await screenshot(page, 'offline-thanks');

  const agent = alice(system);
  const key = await requestReportedBy(system, agent, VISITOR.email);
  const request = await jira<{ reporter: { emailAddress: string; displayName: string } }>(system, agent, `/rest/servicedeskapi/request/${key}`);
  assert.is(request.status, 200, 'the issue is a JSM request');
  assert.is(request.body.reporter.displayName, VISITOR.name);
  // The request exists a moment before its first comment does (the app creates, then comments).
  const texts = await eventually(
    `the message as a comment on ${key}`,
    async () => (await comments(system, agent, key)).map((c) => adfText(c.body)),
    (list) => list.some((t) => t.includes(MESSAGE)),
  );
  assert.ok(
    texts.some((t) => t.includes(MESSAGE)),
    `the message is on ${key}: ${JSON.stringify(texts)}`,
  );
});

test.run();
