/**
 * Agent payloads rendered in the widget (issue 10): message text, agent and typing names,
 * attachment file names and download links all come from Jira and the service, which hold
 * whatever an agent (or anyone who can write a comment) put there. In the browser they must
 * render as text, run no script, and become links only when they are http(s).
 */
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { expect } from './testing/expect.js';
import { session, startConversation, widgetSuite, type Session } from './testing/session.js';

const xss = widgetSuite('widget XSS');

/** Each payload sets window.__xss (or opens a dialog) if it ever runs. */
const MARKUP = `<img src=x onerror="window.__xss='img'"><script>window.__xss='script'</script><svg onload="window.__xss='svg'"></svg><a href="javascript:window.__xss='a'">click</a>`;
const HOSTILE_URLS = [
  'javascript:window.__xss="url"',
  'JaVaScRiPt:window.__xss="url"',
  ' javascript:window.__xss="url"',
  'data:text/html,<script>parent.__xss="data"</script>',
  'vbscript:msgbox(1)',
  '//evil.example/x',
];

/** Watches for dialogs (alert/confirm) for the rest of the test. */
function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(d.message());
    void d.dismiss();
  });
  return seen;
}

/** Inside the widget's shadow root: elements that could run script, and every href. */
async function widgetDom(page: Page): Promise<{ scripts: number; imgsWithoutHttp: number; hrefs: string[]; handlers: string[]; xss: unknown }> {
  return page.evaluate(() => {
    const root = document.querySelector('jsm-chat-widget')!.shadowRoot!;
    const all = [...root.querySelectorAll('*')];
    return {
      scripts: root.querySelectorAll('script, iframe, object, embed, svg foreignObject').length,
      imgsWithoutHttp: [...root.querySelectorAll('img')].filter((i) => !/^https?:\/\//.test(i.getAttribute('src') ?? '')).length,
      hrefs: [...root.querySelectorAll('[href]')].map((a) => a.getAttribute('href') ?? ''),
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`)),
      xss: (window as unknown as { __xss?: unknown }).__xss,
    };
  });
}

/** Frames are handled in order: once a later message shows, everything before it was handled. */
async function barrier(s: Session, conv: string, label: string): Promise<void> {
  s.fake.agentSays(conv, label);
  await expect(
    () => s.page.locator('.row.agent .bubble').last().textContent(),
    (t) => t === label,
  );
}

xss('an agent message with HTML and script shows as text; nothing runs', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const dialogs = watchDialogs(s.page);
  const conv = await startConversation(s);
  s.fake.agentTyping(conv, true, `<img src=x onerror="window.__xss='typing'">`);
  await expect(
    () => s.page.locator('.typing').textContent(),
    (t) => !!t?.includes('<img src=x onerror='),
  );
  s.fake.agentSays(conv, MARKUP, `<b onmouseover="window.__xss='name'">Dana</b>`);
  await expect(
    () => s.page.locator('.row.agent .bubble').last().textContent(),
    (t) => t === MARKUP,
  );
  assert.match((await s.page.locator('.row.agent .meta').last().textContent()) ?? '', /^<b onmouseover=.*>Dana<\/b> · /);
  // The message:received event hands the host page the text as data, not markup.
  await barrier(s, conv, 'after the payload');
  const dom = await widgetDom(s.page);
  assert.is(dom.scripts, 0, 'no script-capable element');
  assert.is(dom.imgsWithoutHttp, 0, 'no image from the payload');
  assert.equal(dom.handlers, [], 'no inline event handler attribute');
  assert.equal(dom.hrefs, [], 'no link from message text');
  assert.is(dom.xss, undefined);
  assert.equal(dialogs, []);
});

xss('attachment links are http(s) only: a javascript:, data: or scheme-relative URL never becomes an href', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const dialogs = watchDialogs(s.page);
  const conv = await startConversation(s);
  for (const [i, url] of HOSTILE_URLS.entries()) {
    s.fake.attachmentUrl = () => url;
    const id = `att_hostile_url_${String(i).padStart(4, '0')}`;
    s.fake.agentMessage(conv, { text: 'report.pdf', attachment: { id, name: 'report.pdf', size: 2048, mime: 'application/pdf' } });
    await expect(
      () => s.page.locator('.row.agent .chip').count(),
      (n) => n === i + 1,
    );
    // A PDF asks for its link when clicked.
    await s.page.locator('.row.agent .chip').last().click();
    await expect(
      () => s.fake.frames.filter((f) => f.type === 'attachment.url' && f.attachmentId === id).length,
      (n) => n >= 1,
    );
    await barrier(s, conv, `after ${i}`);
    assert.is(
      await s.page
        .locator('.row.agent .chip')
        .nth(i)
        .evaluate((el) => el.tagName),
      'BUTTON',
      `${url} must not become a link`,
    );
  }
  const dom = await widgetDom(s.page);
  assert.equal(dom.hrefs, []);
  assert.is(dom.xss, undefined);
  assert.equal(dialogs, []);
  // And an https link does become one, opening in a new tab without access to the widget's window.
  s.fake.attachmentUrl = (id) => `https://files.example/${id}`;
  s.fake.agentMessage(conv, { text: 'fine.pdf', attachment: { id: 'att_good_url_000000', name: 'fine.pdf', size: 10, mime: 'application/pdf' } });
  await expect(
    () => s.page.locator('.row.agent .chip').count(),
    (n) => n === HOSTILE_URLS.length + 1,
  );
  await s.page.locator('.row.agent .chip').last().click();
  await expect(
    () => s.page.locator('.row.agent a.chip').getAttribute('href'),
    (h) => h === 'https://files.example/att_good_url_000000',
  );
  assert.is(await s.page.locator('.row.agent a.chip').getAttribute('rel'), 'noopener noreferrer');
});

xss('a file name with markup shows as text in the chip and as the preview alt, and runs nothing', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const dialogs = watchDialogs(s.page);
  const conv = await startConversation(s);
  const name = `"><img src=x onerror="window.__xss='name'">.png`;
  // A real 1x1 PNG behind the service's link, so the preview shows.
  s.fake.uploads.set('att_markup_name_0001', {
    name,
    mime: 'image/png',
    bytes: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
  });
  s.fake.agentMessage(conv, { text: name, attachment: { id: 'att_markup_name_0001', name, size: 68, mime: 'image/png' } });
  // Images ask for their link at once, for the preview.
  await expect(
    () => s.page.locator('.row.agent img.preview').getAttribute('alt'),
    (alt) => alt === name,
  );
  assert.match((await s.page.locator('.row.agent .chip').textContent()) ?? '', name);
  await barrier(s, conv, 'after the file');
  const dom = await widgetDom(s.page);
  assert.is(dom.scripts, 0);
  assert.equal(dom.handlers, []);
  assert.is(await s.page.locator('.row.agent img').count(), 1, 'only the preview image, from the service URL');
  assert.ok(
    dom.hrefs.every((h) => /^https?:\/\//.test(h)),
    dom.hrefs.join(' '),
  );
  assert.is(dom.xss, undefined);
  assert.equal(dialogs, []);
});

xss.run();
