/**
 * The agents' and admins' pages inside the real local Forge host: the chat dashboard lists a
 * live chat, and the project settings and admin pages load with their resolvers answering
 * through the real bridge, in the light and the dark theme (the host's theme switch).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FrameLocator, Page } from 'playwright-core';
import { agentUrl, alice, screenshot, startE2E, WAIT_MS, eventually, type E2E } from './harness.js';
import { moduleFrame } from './ui.js';
import { connect, type RecordingSocket } from '../testing/ws-client.js';

const CUSTOMER = { name: 'Quinn Queue', email: 'quinn@example.com' };

interface Ctx {
  e2e: E2E;
  customer: RecordingSocket;
  issueKey: string;
}
const test = suite<Ctx>('e2e: agent and admin pages');

test.before(async (ctx) => {
  ctx.e2e = await startE2E('agent-pages', ['dashboard', 'project-settings', 'admin']);
});

test.after(async (ctx) => {
  await ctx.customer?.close();
  await ctx.e2e?.close();
});

/** Everything a person reads in the frame: text, plus the values of fields (an embed snippet sits in one). */
function frameText(frame: FrameLocator): Promise<string> {
  return frame.locator('body').evaluate((body) => {
    const values = [...body.querySelectorAll('input, textarea, select')].map((el) => (el as HTMLInputElement).value);
    return `${(body as HTMLElement).innerText}\n${values.join('\n')}`;
  });
}

/** A module page that loaded: no "not built" placeholder, no load error, and `expect` in its text. */
async function loaded(frame: FrameLocator, what: string, expect: (text: string) => boolean): Promise<string> {
  const text = await eventually(
    `the ${what} to show its data`,
    () => frameText(frame),
    (t) => expect(t) && !/loading/i.test(t.trim().split('\n')[0] ?? ''),
  );
  assert.not.match(text, /is not built yet/, `${what}: the Custom UI is built`);
  assert.not.match(text, /could not be loaded|something went wrong/i, `${what}: no load error`);
  return text;
}

async function setTheme(page: Page, mode: 'light' | 'dark'): Promise<void> {
  const current = await page.locator('html').getAttribute('data-color-mode');
  if (current !== mode) {
    await Promise.all([page.waitForEvent('load'), page.locator('#theme-switch').click()]);
  }
  assert.is(await page.locator('html').getAttribute('data-color-mode'), mode, `the host page is ${mode}`);
}

/** The app opted into Jira's theme (view.theme.enable) and got the host's colour mode. */
async function frameColorMode(frame: FrameLocator): Promise<string | null> {
  return eventually(
    'the frame to take the theme',
    () => frame.locator('html').getAttribute('data-color-mode'),
    (m) => m !== null,
    WAIT_MS,
  ).catch(() => null);
}

test('the chat dashboard lists a live chat with the customer name as waiting', async (ctx) => {
  const { system } = ctx.e2e;
  ctx.customer = await connect(`${system.presence.wsUrl}/ws/customer`, { origin: system.demo.origin });
  ctx.customer.send({ type: 'auth', widgetId: system.widgetId, timeZone: 'Europe/Berlin' });
  await ctx.customer.next((f) => f.type === 'auth.ok');
  ctx.customer.send({ type: 'conversation.start', clientMsgId: 'e2e-pages-0000001', text: 'Is the Tourer available in 58 cm?', prechat: CUSTOMER });
  const ack = await ctx.customer.next<{ conversationId: string }>((f) => f.type === 'message.ack', WAIT_MS);
  ctx.issueKey = ack.conversationId;

  const { page } = await ctx.e2e.newPage();
  await page.goto(agentUrl(system, '/jira/projects/SUP/chats', alice(system).accountId));
  const frame = moduleFrame(page);
  const row = frame
    .getByRole('row', { name: new RegExp(CUSTOMER.name) })
    .or(frame.getByRole('listitem').filter({ hasText: CUSTOMER.name }))
    .first();
  await row.waitFor({ timeout: WAIT_MS });
  const headers = (await frame.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const col = headers.findIndex((h) => /^waiting$/i.test(h));
  assert.ok(col >= 0, `the table has a Waiting column: ${JSON.stringify(headers)}`);
  const waiting = (await row.getByRole('cell').nth(col).innerText()).trim();
  assert.match(waiting, /^\d+\s*[smhd]/i, `the customer is waiting (a wait time, not "Answered"): ${waiting}`);
  await loaded(frame, 'dashboard', (t) => t.includes(CUSTOMER.name));
  await screenshot(page, 'pages-dashboard-light');
});

for (const mode of ['light', 'dark'] as const) {
  test(`the project settings page loads its configuration in the ${mode} theme`, async (ctx) => {
    const { system } = ctx.e2e;
    const { page } = await ctx.e2e.newPage({ colorScheme: mode });
    await page.goto(agentUrl(system, '/jira/projects/SUP/settings/chat', system.adminId));
    await setTheme(page, mode);
    const frame = moduleFrame(page);
    // The widget id exists only in the app's storage: seeing it proves projectSettings.load ran through the bridge.
    await loaded(frame, 'project settings page', (t) => t.includes(system.widgetId));
    assert.is(await frameColorMode(frame), mode, 'the settings page follows the Jira theme');
    await screenshot(page, `pages-settings-${mode}`);
  });

  test(`the admin page loads the service status and projects in the ${mode} theme`, async (ctx) => {
    const { system } = ctx.e2e;
    const { page } = await ctx.e2e.newPage({ colorScheme: mode });
    await page.goto(agentUrl(system, '/jira/admin/chat', system.adminId));
    await setTheme(page, mode);
    const frame = moduleFrame(page);
    await loaded(frame, 'admin page', (t) => /\bSUP\b/.test(t));
    assert.is(await frameColorMode(frame), mode, 'the admin page follows the Jira theme');
    await screenshot(page, `pages-admin-${mode}`);
  });

  test(`the dashboard renders in the ${mode} theme`, async (ctx) => {
    const { system } = ctx.e2e;
    const { page } = await ctx.e2e.newPage({ colorScheme: mode });
    await page.goto(agentUrl(system, '/jira/projects/SUP/chats', alice(system).accountId));
    await setTheme(page, mode);
    const frame = moduleFrame(page);
    await loaded(frame, 'dashboard', (t) => t.includes(CUSTOMER.name));
    assert.is(await frameColorMode(frame), mode, 'the dashboard follows the Jira theme');
    await screenshot(page, `pages-dashboard-${mode}`);
  });
}

test.run();
