/** WhatsApp templates in the issue panel (issue 15): outside the 24-hour window the agent sends an approved template. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uiSessions } from '../ui-kit/testing/harness.js';
import { context, ISSUE, message, panelLoad } from './fixtures.js';

const openSession = uiSessions(test);
const TEMPLATES = [
  { name: 'follow_up', language: 'en_US', category: 'UTILITY', body: 'Hi {{1}}, about {{2}}: shall we continue here?', params: 2 },
  { name: 'thanks', language: 'de', category: 'UTILITY', body: 'Danke für Ihre Geduld!', params: 0 },
];

function whatsappLoad() {
  const l = panelLoad();
  return { ...l, conversation: { ...l.conversation!, channel: 'whatsapp' as const, whatsapp: { name: 'Ida', phone: '+49 151 12345678' } } };
}

test('an agent picks a template, fills its parameters with a live preview, and sends it', async () => {
  const s = await openSession('issue-panel', {
    context,
    handlers: {
      'panel.load': () => whatsappLoad(),
      'whatsapp.templates': () => ({ templates: TEMPLATES }),
      'chat.sendTemplate': (p) => ({ message: message('40001', 'agent', `Hi ${p.parameters[0]}, about ${p.parameters[1]}: shall we continue here?`) }),
    },
  });
  const { page } = s;
  await page.getByText('Hi, my invoice is wrong.').waitFor();
  await page.getByRole('button', { name: 'WhatsApp template' }).click();
  const form = page.getByRole('group', { name: 'WhatsApp template' });
  await form.getByLabel('Template', { exact: true }).waitFor();
  assert.ok(await form.getByRole('button', { name: 'Send template' }).isDisabled(), 'not before every parameter is filled');
  await form.getByLabel('Parameter {{1}}').fill('Ida');
  await form.getByLabel('Parameter {{2}}').fill(ISSUE);
  assert.is(await form.getByLabel('Template preview').textContent(), `Hi Ida, about ${ISSUE}: shall we continue here?`);
  await s.screenshot('whatsapp-template');
  await form.getByRole('button', { name: 'Send template' }).click();
  const sent = await s.waitForInvoke('chat.sendTemplate');
  assert.equal([sent.issueKey, sent.name, sent.language, sent.parameters], [ISSUE, 'follow_up', 'en_US', ['Ida', ISSUE]]);
  await form.waitFor({ state: 'detached' });
});

test('a web chat offers no templates', async () => {
  const s = await openSession('issue-panel', { context, handlers: { 'panel.load': () => panelLoad() } });
  await s.page.getByText('Hi, my invoice is wrong.').waitFor();
  assert.is(await s.page.getByRole('button', { name: 'WhatsApp template' }).count(), 0);
});

test.run();
