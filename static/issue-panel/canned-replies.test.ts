/** Canned replies in the issue panel (issue 15): `/` or the button opens the picker; the reply is filled, edited, sent. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uiSessions, type UiSession } from '../ui-kit/testing/harness.js';
import { context, ISSUE, message, panelLoad } from './fixtures.js';

const openSession = uiSessions(test);

const REPLIES = [
  { id: 'greeting', title: 'Greeting', text: 'Hi {customer.firstName}, {agent.name} here. I am looking at {request.key} now.' },
  { id: 'refund', title: 'Refund policy', text: 'Refunds take up to 5 working days, {customer.firstName}.' },
  { id: 'bye', title: 'Goodbye', text: 'Glad I could help!' },
];

async function panel(): Promise<UiSession> {
  let n = 0;
  const s = await openSession('issue-panel', {
    context,
    handlers: {
      'panel.load': () => panelLoad(),
      'cannedReplies.list': () => ({ replies: REPLIES, canEdit: false }),
      'chat.send': (p) => ({ message: message(String(30000 + ++n), 'agent', p.text, new Date().toISOString(), { clientMsgId: p.clientMsgId }) }),
    },
  });
  await s.page.getByText('Hi, my invoice is wrong.').waitFor();
  return s;
}

test('typing / searches the canned replies; Enter inserts one with the placeholders filled, the agent edits it and sends it', async () => {
  const s = await panel();
  const { page } = s;
  const box = page.getByLabel('Reply to the customer');
  await box.click();
  await box.pressSequentially('/ref');
  const list = page.getByRole('listbox', { name: 'Canned replies' });
  await list.waitFor();
  assert.equal(await list.getByRole('option').allTextContents(), ['Refund policyRefunds take up to 5 working days, {customer.firstName}.']);
  await box.fill('/');
  await box.pressSequentially('gree');
  await s.screenshot('canned-picker');
  await page.keyboard.press('Enter');
  assert.is(await box.inputValue(), `Hi Ada, Grace Hopper here. I am looking at ${ISSUE} now.`);
  assert.is(await list.count(), 0, 'the picker closed');
  assert.is(s.invoked('chat.send').length, 0, 'picking does not send');
  await box.press('End');
  await box.pressSequentially(' One moment please.');
  await page.keyboard.press('Enter');
  const sent = await s.waitForInvoke('chat.send');
  assert.is(sent.text, `Hi Ada, Grace Hopper here. I am looking at ${ISSUE} now. One moment please.`);
  await page.locator('.msg.us:not(.pending)', { hasText: 'One moment please.' }).waitFor();
  assert.equal(s.invoked('cannedReplies.list'), [{ projectKey: 'SUP' }], 'the list is fetched once, for the issue’s project');
});

test('the Canned replies button opens the picker; arrows choose, a click works too, Escape keeps the typed text', async () => {
  const s = await panel();
  const { page } = s;
  const box = page.getByLabel('Reply to the customer');
  await page.getByRole('button', { name: 'Canned replies' }).click();
  const options = page.getByRole('listbox', { name: 'Canned replies' }).getByRole('option');
  await options.first().waitFor();
  assert.is(await options.count(), 3);
  await page.keyboard.press('ArrowDown');
  assert.is(await options.nth(1).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Escape');
  assert.is(await options.count(), 0);
  assert.is(await box.inputValue(), '/', 'Escape leaves the text alone');
  await box.fill('');
  await box.pressSequentially('/');
  await options.filter({ hasText: 'Goodbye' }).click();
  assert.is(await box.inputValue(), 'Glad I could help!');
});

test.run();
