/** Issue 11 in the issue panel's composer: limits said before they bite; a failed file kept in its place. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_UPLOAD_BYTES, MAX_MESSAGE_CHARS } from '../../src/protocol/limits.js';
import { uiSessions, type Handlers, type UiSession } from '../ui-kit/testing/harness.js';
import { context, message, panelLoad } from './fixtures.js';

const openSession = uiSessions(test);
let seq = 0;

async function panel(extra: Handlers = {}, theme: 'light' | 'dark' = 'light'): Promise<UiSession> {
  const s = await openSession('issue-panel', {
    context,
    theme,
    handlers: {
      'panel.load': () => panelLoad(),
      'chat.send': (p) => ({ message: message(String(30000 + ++seq), 'agent', p.text, new Date().toISOString(), { clientMsgId: p.clientMsgId }) }),
      ...extra,
    },
  });
  await s.page.getByText('Hi, my invoice is wrong.').waitFor();
  return s;
}

/** A paste the page may refuse; when it does not, the text goes in as the browser would insert it. */
async function paste(s: UiSession, text: string): Promise<void> {
  await s.page.evaluate((t) => {
    const area = document.querySelector('#reply') as HTMLTextAreaElement;
    area.focus();
    const data = new DataTransfer();
    data.setData('text/plain', t);
    if (area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))) {
      area.setRangeText(t, area.selectionStart, area.selectionEnd, 'end');
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, text);
}

async function pick(s: UiSession, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = s.page.waitForEvent('filechooser');
  await s.page.getByRole('button', { name: 'Attach file' }).click();
  await (await chooser).setFiles(file);
}

for (const theme of ['light', 'dark'] as const) {
  test(`counter near the limit, and a paste beyond it refused with a message (${theme})`, async () => {
    const s = await panel({}, theme);
    const reply = s.page.getByLabel('Reply to the customer');
    assert.is(await s.page.locator('.composer .counter').count(), 0);
    await reply.fill('x'.repeat(MAX_MESSAGE_CHARS - 400));
    await s.page.locator('.composer .counter', { hasText: '400 characters left' }).waitFor();
    await paste(s, 'y'.repeat(1000));
    await s.page.getByText(`a message can have up to ${MAX_MESSAGE_CHARS} characters. Nothing was added.`, { exact: false }).waitFor();
    assert.is((await reply.inputValue()).length, MAX_MESSAGE_CHARS - 400, 'nothing was cut or added');
    await s.screenshot(`composer-paste-refused-${theme}`);
  });
}

test('the picker offers accepted types only; too large and wrong types are refused before upload', async () => {
  const s = await panel();
  const accept = (await s.page.locator('.composer input[type=file]').getAttribute('accept')) ?? '';
  for (const part of ['image/png', '.pdf', '.docx', '.txt']) assert.ok(accept.split(',').includes(part), part);
  await s.agent.waitForFrame('watch');
  await pick(s, { name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(DEFAULT_MAX_UPLOAD_BYTES + 1) });
  await s.page.getByText('“huge.pdf” is too large to send. Files can be up to 10 MB.').waitFor();
  await pick(s, { name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
  await s.page.getByText('“tool.exe” can’t be sent.', { exact: false }).waitFor();
  assert.is(s.agent.uploads.length, 0, 'nothing uploaded');
  assert.is(s.invoked('chat.sendAttachment').length, 0);
  assert.is(await s.page.locator('.msg.pending').count(), 0, 'a refused file never looks like a message');
  await s.screenshot('composer-file-refused');
});

test('a failed file is shown as failed and stays above a message sent after it', async () => {
  const s = await panel({ 'chat.sendAttachment': () => Promise.reject(new Error('unavailable: Jira did not answer')) });
  await s.agent.waitForFrame('watch');
  await pick(s, { name: 'invoice.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
  await s.page.locator('.msg.pending', { hasText: 'invoice.png' }).getByText('Not sent.', { exact: false }).waitFor();
  await s.page.getByLabel('Reply to the customer').fill('Sent after the file');
  await s.page.keyboard.press('Enter');
  await s.page.locator('.msg.us:not(.pending)', { hasText: 'Sent after the file' }).waitFor();
  const order = await s.page
    .locator('.messages .msg')
    .evaluateAll((els) =>
      els.map((e) => (e.textContent?.includes('invoice.png') ? 'file' : e.textContent?.includes('Sent after the file') ? 'text' : 'other')),
    );
  assert.ok(order.indexOf('file') >= 0 && order.indexOf('file') < order.indexOf('text'), `order: ${order.join(',')}`);
  await s.screenshot('failed-file-in-order');
});

test.run();
