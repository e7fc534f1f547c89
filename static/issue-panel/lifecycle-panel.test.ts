/**
 * The issue panel's part of the chat lifecycle: an agent joining shows "… joined the chat",
 * message times never wrap in the narrow panel, a closed chat disables the reply box and
 * follows a reopen by the customer. Screenshots in light, dark and mobile.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uiSessions, type UiSession } from '../ui-kit/testing/harness.js';
import { context, ISSUE, message, panelLoad } from './fixtures.js';

const openSession = uiSessions(test);
const LONG_NAME = 'Maximiliane Alexandra von Hohenzollern-Sigmaringen';

async function panel(theme: 'light' | 'dark' = 'light', viewport = { width: 320, height: 700 }): Promise<UiSession> {
  const yesterday = new Date(Date.now() - 26 * 3_600_000).toISOString();
  const s = await openSession('issue-panel', {
    context,
    theme,
    viewport,
    handlers: {
      'panel.load': () =>
        panelLoad({
          messages: [
            message('10002', 'customer', 'Hi, my invoice is wrong.', yesterday, { author: { kind: 'customer', accountId: 'cust-1', name: LONG_NAME } }),
            message('10003', 'agent', 'Let me check.', yesterday),
          ],
        }),
      'panel.history': () => ({ messages: [], hasMore: false }),
      'chat.take': () => ({ assignee: { accountId: 'agent-1', name: 'Grace Hopper' } }),
      'chat.close': () => ({ status: 'closed' as const, resolved: true }),
    },
  });
  await s.page.getByText('Hi, my invoice is wrong.').waitFor();
  await s.agent.waitForFrame('watch', (f) => f.conversationId === ISSUE);
  return s;
}

async function oneLineTimes(s: UiSession): Promise<void> {
  const rows = await s.page.locator('.msg .meta').evaluateAll((els) =>
    els.map((el) => {
      const time = el.querySelector('time')!;
      const lh = parseFloat(getComputedStyle(time).lineHeight) || 16;
      return { h: time.getBoundingClientRect().height, lh, text: time.textContent };
    }),
  );
  for (const r of rows) assert.ok(r.h <= r.lh * 1.5, `time "${r.text}" wraps (${r.h}px for a ${r.lh}px line)`);
}

test('an agent joining shows "… joined the chat" as a centred notice; times stay on one line', async () => {
  const s = await panel();
  s.agent.push({
    type: 'message',
    message: message('sys-joined-1', 'system', 'Alice Agent joined the chat', new Date().toISOString(), { author: { kind: 'system', name: 'Alice Agent' } }),
  });
  const notice = s.page.locator('.msg.system', { hasText: 'Alice Agent joined the chat' });
  await notice.waitFor();
  await oneLineTimes(s);
  await s.screenshot('joined-light');
});

test('dark theme and a phone-sized frame: the joined notice and one-line times', async () => {
  for (const [theme, viewport, name] of [
    ['dark', { width: 320, height: 700 }, 'joined-dark'],
    ['light', { width: 280, height: 640 }, 'joined-mobile'],
  ] as const) {
    const s = await panel(theme, viewport);
    s.agent.push({
      type: 'message',
      message: message('sys-joined-2', 'system', 'Alice Agent joined the chat', new Date().toISOString(), { author: { kind: 'system', name: 'Alice Agent' } }),
    });
    await s.page.locator('.msg.system', { hasText: 'Alice Agent joined the chat' }).waitFor();
    await oneLineTimes(s);
    await s.screenshot(name);
  }
});

test('closed elsewhere: the reply box is disabled; reopened by the customer: it is enabled again', async () => {
  const s = await panel();
  const box = s.page.getByLabel('Reply to the customer');
  assert.ok(await box.isEnabled());
  const at = new Date().toISOString();
  s.agent.push({ type: 'conversation.activity', activity: { projectKey: 'SUP', conversationId: ISSUE, kind: 'closed', at } });
  await s.page.getByText('This chat is closed.', { exact: false }).waitFor();
  assert.ok(await box.isDisabled());
  await s.screenshot('closed-hint');
  s.agent.push({ type: 'conversation.activity', activity: { projectKey: 'SUP', conversationId: ISSUE, kind: 'reopened', at } });
  await s.page.getByText('This chat is closed.', { exact: false }).waitFor({ state: 'detached' });
  assert.ok(await box.isEnabled());
});

test.run();
