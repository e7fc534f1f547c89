/**
 * Issue 11 in the widget: input limits said before they bite, a failed file kept in its
 * place, the open state remembered, colours applied live, mobile chrome, own message times.
 */
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_UPLOAD_BYTES, MAX_MESSAGE_CHARS } from '../../src/protocol/limits.js';
import { screenshot } from './testing/browser.js';
import { expect } from './testing/expect.js';
import { session, startConversation, widgetSuite } from './testing/session.js';

const limits = widgetSuite('widget limits and polish');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Pastes text into the composer the way a browser does (a ClipboardEvent the page can refuse). */
async function paste(s: { page: import('playwright-core').Page }, text: string): Promise<void> {
  await s.page.locator('textarea').focus();
  await s.page.evaluate((t) => {
    const host = document.querySelector('[data-jsm-chat], #jsm-chat') ?? [...document.querySelectorAll('*')].find((e) => e.shadowRoot);
    const area = (host?.shadowRoot ?? document).querySelector('textarea') as HTMLTextAreaElement;
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const ev = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true });
    if (area.dispatchEvent(ev)) {
      // Not refused: the browser would insert it (maxLength applies to user input only).
      area.setRangeText(t, area.selectionStart, area.selectionEnd, 'end');
      area.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
  }, text);
}

limits('a character counter shows near the limit; a paste beyond it is refused with a message, never cut', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s);
  assert.is(await s.page.locator('.counter').count(), 0, 'no counter far from the limit');
  await s.page.locator('textarea').fill('x'.repeat(MAX_MESSAGE_CHARS - 950));
  await expect(
    () => s.page.locator('.counter').textContent(),
    (t) => t === '950 characters left',
  );
  await paste(s, 'y'.repeat(2000));
  await expect(
    () => s.page.locator('.notice.refused').textContent(),
    (t) => !!t?.includes(`up to ${MAX_MESSAGE_CHARS} characters. Nothing was added.`),
  );
  assert.is((await s.page.locator('textarea').inputValue()).length, MAX_MESSAGE_CHARS - 950, 'the text is untouched');
  await screenshot(s.page, 'paste-refused');
  await paste(s, 'z'.repeat(950));
  await expect(
    () => s.page.locator('.counter').textContent(),
    (t) => t === '0 characters left',
  );
  assert.is(await s.page.locator('.notice.refused').count(), 0, 'typing again clears the refusal');
  await screenshot(s.page, 'counter-at-limit');
});

limits('the picker offers only accepted types; too large and wrong types are refused before upload, with a reason', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s);
  const accept = (await s.page.locator('input[type=file]').getAttribute('accept')) ?? '';
  for (const part of ['image/png', '.pdf', '.docx', '.xlsx', '.txt']) assert.ok(accept.split(',').includes(part), part);
  const rows = await s.page.locator('.row.mine').count();
  await s.page.locator('input[type=file]').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(DEFAULT_MAX_UPLOAD_BYTES + 1) });
  await expect(
    () => s.page.locator('.notice.refused').textContent(),
    (t) => !!t?.includes('“huge.pdf” is too large to send. Files can be up to 10 MB.'),
  );
  await screenshot(s.page, 'file-too-large');
  await s.page.locator('input[type=file]').setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
  await expect(
    () => s.page.locator('.notice.refused').textContent(),
    (t) => !!t?.includes('“setup.exe” can’t be sent. You can send images'),
  );
  assert.is(s.fake.uploads.size, 0, 'nothing was uploaded');
  assert.is(await s.page.locator('.row.mine').count(), rows, 'a refused file never looks like a sent message');
  await s.page.getByRole('button', { name: 'Dismiss' }).click();
  assert.is(await s.page.locator('.notice.refused').count(), 0);
});

limits('a failed upload is shown as failed and stays in order before a later message', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s, 'First');
  s.fake.failNextUpload = true;
  await s.page.locator('input[type=file]').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: PNG });
  await expect(
    () => s.page.locator('.state.failed').textContent(),
    (t) => !!t?.startsWith('Upload failed'),
  );
  await s.page.locator('textarea').fill('Second, after the file');
  await s.page.locator('textarea').press('Enter');
  await expect(
    () => s.page.locator('.row.mine .state').last().textContent(),
    (t) => t === 'Sent',
  );
  const order = await s.page.locator('.row.mine .bubble').allTextContents();
  assert.equal(
    order.map((t) => (t.includes('broken.png') ? 'file' : t)),
    ['First', 'file', 'Second, after the file'],
  );
  assert.ok(await s.page.locator('.row.mine', { hasText: 'broken.png' }).locator('.state.failed').isVisible());
  await screenshot(s.page, 'failed-file-in-order');
});

limits('own messages show their time', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s, 'What time is it?');
  const time = s.page.locator('.row.mine .meta time').first();
  assert.match((await time.textContent()) ?? '', /^\d{1,2}:\d{2}/);
  assert.ok(await time.getAttribute('datetime'));
});

limits('the widget remembers whether it was open, across a reload', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await s.page.locator('.launcher').click();
  await s.page.locator('.panel').waitFor();
  await s.page.reload();
  await s.page.locator('.panel').waitFor();
  await s.page.getByRole('button', { name: 'Close chat' }).first().click();
  await expect(
    () => s.page.locator('.panel').count(),
    (n) => n === 0,
  );
  await s.page.reload();
  await s.page.locator('.launcher').waitFor();
  assert.is(await s.page.locator('.panel').count(), 0, 'closed stays closed');
});

limits('a colour saved in settings applies to an open widget without a reload', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await s.page.locator('.launcher').click();
  const head = s.page.locator('.head');
  const before = await head.evaluate((e) => getComputedStyle(e).backgroundColor);
  s.fake.pushConfig({ color: '#AE2A19', teamName: 'Red Team' });
  await expect(
    () => head.evaluate((e) => getComputedStyle(e).backgroundColor),
    (c) => c === 'rgb(174, 42, 25)',
  );
  assert.is.not(before, 'rgb(174, 42, 25)');
  await expect(
    () => s.page.locator('.head h2').textContent(),
    (t) => t === 'Red Team',
  );
  await screenshot(s.page, 'live-colour');
});

limits('mobile: 44 px close button, and the page behind does not scroll while the panel is open', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser, () => {}, { viewport: { width: 390, height: 844 } }));
  await s.page.evaluate(() => {
    const tall = document.createElement('div');
    tall.style.height = '3000px';
    document.body.append(tall);
  });
  await s.page.locator('.launcher').click();
  const close = s.page.locator('.head .icon-btn');
  const box = (await close.boundingBox())!;
  assert.ok(box.width >= 44 && box.height >= 44, `close button ${box.width}x${box.height}`);
  assert.is(await s.page.evaluate(() => getComputedStyle(document.documentElement).overflow), 'hidden');
  await s.page.mouse.wheel(0, 800);
  assert.is(await s.page.evaluate(() => window.scrollY), 0, 'the page behind stays put');
  await screenshot(s.page, 'mobile-open');
  await close.click();
  await expect(
    () => s.page.evaluate(() => getComputedStyle(document.documentElement).overflow),
    (o) => o !== 'hidden',
  );
});

limits('a new image is scrolled into view once it has loaded', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const conv = await startConversation(s);
  for (let i = 0; i < 12; i++) s.fake.agentSays(conv, `Line ${i} of a long conversation`);
  await expect(
    () => s.page.locator('.log .bubble').last().textContent(),
    (t) => t === 'Line 11 of a long conversation',
  );
  // A tall image: it grows the log only after it loads, which used to leave it below the fold.
  const tall = await tallPng();
  await s.page.locator('input[type=file]').setInputFiles({ name: 'tall.png', mimeType: 'image/png', buffer: tall });
  await s.page.locator('img.preview').waitFor();
  await expect(
    () => s.page.locator('img.preview').evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalHeight > 0),
    Boolean,
  );
  await expect(
    () => s.page.locator('.log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight),
    (gap) => gap < 2,
  );
  await screenshot(s.page, 'image-in-view');
});

limits('the sandbox demo says the chat is "Away" until an agent is online, and links an agent page', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const agent = 'http://127.0.0.1:1/jira/projects/SUP/queue?as=agent-1';
  await s.page.goto(`${s.fake.hostOrigin}/demo/?widgetId=w_TestWidget0001&presence=${encodeURIComponent(s.fake.origin)}&agent=${encodeURIComponent(agent)}`);
  const hint = s.page.locator('#hint');
  await expect(
    () => hint.textContent(),
    (t) => !!t?.includes('the chat says “Away” until an agent is online'),
  );
  assert.is(await hint.getByRole('link', { name: 'Open Jira as an agent' }).getAttribute('href'), agent);
  await s.page.locator('.launcher').waitFor();
  await screenshot(s.page, 'demo-away-hint');
  await s.page.goto(
    `${s.fake.hostOrigin}/demo/?widgetId=w_TestWidget0001&presence=${encodeURIComponent(s.fake.origin)}&agent=${encodeURIComponent('javascript:alert(1)')}`,
  );
  await s.page.locator('.launcher').waitFor();
  assert.ok(await hint.isHidden(), 'only web links are linked');
});

/** A 40x400 PNG, built by the test (no fixture file). */
async function tallPng(): Promise<Buffer> {
  const { deflateSync, crc32 } = await import('node:zlib');
  const w = 40,
    h = 400;
  const raw = Buffer.alloc((w * 3 + 1) * h, 0x88);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

limits.run();
