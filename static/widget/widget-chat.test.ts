import * as assert from 'uvu/assert';
import { screenshot } from './testing/browser.js';
import { expect } from './testing/expect.js';
import { openPanel, session, startConversation, widgetSuite } from './testing/session.js';

const chat = widgetSuite('widget chat');

chat('pre-chat form starts the conversation and the ack shows "Sent"', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await s.page.locator('.launcher').click();
  await s.page.getByRole('button', { name: 'Start chat' }).click();
  await expect(
    () => s.page.locator('#pre-name-err').textContent(),
    (t) => t === 'Please fill in this field.',
  );
  await screenshot(s.page, 'prechat');
  await startConversation(s, 'Hello from the pre-chat form');
  const start = s.fake.frames.find((f) => f.type === 'conversation.start');
  assert.ok(start && start.type === 'conversation.start');
  assert.is(start.text, 'Hello from the pre-chat form');
  assert.equal(start.prechat, { name: 'Ada Lovelace', email: 'ada@example.com' });
  assert.is(start.offline, false);
  const auth = s.fake.frames[0]!;
  assert.ok(auth.type === 'auth' && auth.widgetId === 'w_TestWidget0001' && !!auth.timeZone && !!auth.locale);
  assert.equal(s.fake.invalid, []);
  await screenshot(s.page, 'first-message-sent');
});

chat('the widget tells the service it loaded and when the chat opened, once per tab, through the one socket of the site', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const views = () => s.fake.frames.filter((f) => f.type === 'view').map((f) => f.type === 'view' && f.what);
  await expect(views, (v) => v.join() === 'loaded');
  await s.page.locator('.launcher').click();
  await expect(views, (v) => v.join() === 'loaded,opened');
  // A second tab of the site opens no socket: its views go through the leading tab's. It
  // finds the chat open (remembered across pages), which counts as opened there too.
  const second = await s.context.newPage();
  await second.goto(s.fake.pageUrl());
  await expect(views, (v) => v.join() === 'loaded,opened,loaded,opened');
  assert.is(s.fake.frames.filter((f) => f.type === 'auth').length, 1, 'one socket for both tabs');
  for (const f of s.fake.frames.filter((x) => x.type === 'view')) assert.equal(Object.keys(f).sort(), ['type', 'what'], 'nothing else about the visit travels');
  assert.equal(s.fake.invalid, []);
});

chat('agent messages and the typing indicator appear; "seen" marks own messages', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const conv = await startConversation(s);
  await s.page.evaluate(() => {
    const w = window as unknown as { JsmChat: { on(e: string, f: (p: unknown) => void): void }; received: unknown[] };
    w.received = [];
    w.JsmChat.on('message:received', (p) => w.received.push(p));
  });
  s.fake.agentTyping(conv, true, 'Dana');
  await expect(
    () => s.page.locator('.typing').textContent(),
    (t) => t === 'Dana is typing…',
  );
  await screenshot(s.page, 'agent-typing');
  const m = s.fake.agentSays(conv, 'Hi Ada! Which model is it?');
  await expect(
    () => s.page.locator('.row.agent .bubble').textContent(),
    (t) => t === 'Hi Ada! Which model is it?',
  );
  assert.is(await s.page.locator('.typing').count(), 0, 'an agent message ends the typing indicator');
  assert.match((await s.page.locator('.row.agent .meta').textContent()) ?? '', /^Dana · /);
  const received = await s.page.evaluate(() => (window as unknown as { received: { id: string; text: string; author: string }[] }).received);
  assert.equal(
    received.map((r) => [r.id, r.text, r.author]),
    [[m.id, 'Hi Ada! Which model is it?', 'Dana']],
  );
  // The panel is open, so the visitor read it: the widget tells the service.
  await expect(() => s.fake.frames.some((f) => f.type === 'seen' && f.messageId === m.id), Boolean);
  s.fake.agentSeen(conv, m.id);
  await expect(
    () => s.page.locator('.row.mine .state').last().textContent(),
    (t) => t === 'Seen',
  );
  await s.page.locator('textarea').fill('A city bike,\nthe blue one.');
  await s.page.locator('textarea').press('Enter');
  await expect(
    () => s.page.locator('.row.mine .bubble').last().textContent(),
    (t) => t === 'A city bike,\nthe blue one.',
  );
  await expect(
    () => s.fake.frames.filter((f) => f.type === 'message.send').length,
    (n) => n === 1,
  );
  const typing = s.fake.frames.filter((f) => f.type === 'typing').map((f) => f.type === 'typing' && f.on);
  assert.equal(typing, [true, false], 'the visitor typing is announced once and ended on send');
  await screenshot(s.page, 'agent-message');
});

chat('the unread badge counts agent messages while the panel is closed', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const conv = await startConversation(s);
  await s.page.keyboard.press('Escape');
  await expect(
    () => s.page.locator('.panel').count(),
    (n) => n === 0,
  );
  s.fake.agentSays(conv, 'One');
  s.fake.agentSays(conv, 'Two');
  await expect(
    () => s.page.locator('.badge').textContent(),
    (t) => t === '2',
  );
  assert.is(await s.page.locator('.launcher').getAttribute('aria-label'), 'Open chat, 2 unread messages');
  await screenshot(s.page, 'unread-badge');
  await s.page.locator('.launcher').click();
  assert.is(await s.page.locator('.badge').count(), 0);
});

chat('a reload restores the visitor token and the conversation history', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const conv = await startConversation(s, 'Before the reload');
  s.fake.agentSays(conv, 'Answer before the reload');
  await expect(
    () => s.page.locator('.row.agent').count(),
    (n) => n === 1,
  );
  const firstAuth = s.fake.frames.length;
  await s.page.reload();
  await openPanel(s);
  await expect(
    () => s.page.locator('.log .bubble').allTextContents(),
    (t) => t.join('|').includes('Before the reload|Answer before the reload'),
  );
  const later = s.fake.frames.slice(firstAuth);
  const auth = later.find((f) => f.type === 'auth');
  assert.ok(auth?.type === 'auth' && auth.token, 'the second auth carries the stored visitor token');
  assert.ok(later.some((f) => f.type === 'history' && f.conversationId === conv));
  assert.is(s.fake.conversations.size, 1);
  await screenshot(s.page, 'reload-history');
});

chat('a reconnect while Jira cannot be read keeps the open conversation: no list is not an empty list', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const conv = await startConversation(s, 'Before the outage');
  s.fake.listUnavailable = true;
  const before = s.fake.frames.length;
  s.fake.dropAll();
  await expect(
    () => s.fake.frames.slice(before).some((f) => f.type === 'history' && f.conversationId === conv),
    (asked) => asked,
    undefined,
    'the widget asks the history of the conversation it shows',
  );
  s.fake.agentSays(conv, 'Still here');
  await expect(
    () => s.page.locator('.log .bubble').allTextContents(),
    (t) => t.slice(-2).join('|') === 'Before the outage|Still here',
  );
  assert.is(await s.page.getByText('This chat was closed.').count(), 0, 'the chat is not shown as closed');
  assert.is(await s.page.locator('textarea').count(), 1, 'the composer stays');
});

chat('messages typed while offline are delivered once and in order after reconnect', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s, 'Online message');
  s.fake.refuse = true;
  s.fake.dropAll();
  await expect(
    () => s.page.locator('.notice').textContent(),
    (t) => t === 'Reconnecting…',
  );
  // issue 11: the header said "We're online" while reconnecting
  assert.is((await s.page.locator('.head .status').textContent())?.trim(), 'Offline', 'the header does not claim the team is online');
  assert.is(await s.page.locator('.head .status .dot.on').count(), 0, 'no green dot without a connection');
  const box = s.page.locator('textarea');
  await box.fill('First while offline');
  await box.press('Enter');
  await box.fill('Second while offline');
  await box.press('Enter');
  await expect(
    () => s.page.locator('.state[data-state="sending"]').count(),
    (n) => n === 2,
  );
  await screenshot(s.page, 'offline-outbox');
  // A reload while offline must not lose them either.
  await s.page.reload();
  await s.page.waitForFunction(() => !!(window as { JsmChat?: unknown }).JsmChat);
  s.fake.refuse = false;
  await expect(
    () => s.fake.storedClientMsgIds().length,
    (n) => n === 3,
    45_000,
    'three stored messages',
  );
  const texts = s.fake.latestConversation()!.messages.map((m) => m.text);
  assert.equal(texts, ['Online message', 'First while offline', 'Second while offline']);
  const ids = s.fake.storedClientMsgIds();
  assert.is(new Set(ids).size, 3, 'no message stored twice');
  await openPanel(s);
  await expect(
    () => s.page.locator('.row.mine .bubble').allTextContents(),
    (t) => t.join('|') === 'Online message|First while offline|Second while offline',
  );
  await expect(
    () => s.page.locator('.row.mine .state').last().textContent(),
    (t) => t === 'Sent',
  );
  await screenshot(s.page, 'offline-delivered');
});

chat('an image is uploaded with progress, sent as attachment.send and previewed', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s);
  // A 1x1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  await s.page.locator('input[type=file]').setInputFiles({ name: 'wheel.png', mimeType: 'image/png', buffer: png });
  await expect(() => s.fake.frames.some((f) => f.type === 'attachment.send'), Boolean);
  await expect(
    () => s.page.locator('img.preview').getAttribute('src'),
    (src) => !!src && src.includes('/files/'),
  );
  assert.match((await s.page.locator('.chip').textContent()) ?? '', /wheel\.png/);
  await screenshot(s.page, 'attachment');
});

chat('a file link opened after the link lifetime still opens: the click asks the service for a fresh link', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  s.fake.linkTtlMs = 1_500; // a short configured lifetime instead of the service's 5 minutes
  await startConversation(s);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  await s.page.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(() => s.fake.frames.some((f) => f.type === 'attachment.send'), Boolean);
  // The first link (asked for when the chip was clicked once) is handed out, then runs out.
  const chip = s.page.locator('.chip', { hasText: 'invoice.pdf' });
  const first = s.page.waitForEvent('popup');
  await chip.click();
  const firstTab = await first;
  // The chip becomes a link once the service's answer arrives (the tab opened before it).
  await expect(
    () => chip.getAttribute('href'),
    (h) => !!h && h.includes('/files/'),
  );
  const href = (await chip.getAttribute('href'))!;
  const until = Number(new URL(href).searchParams.get('e'));
  await s.page.waitForFunction((t) => Date.now() > t, until);
  assert.is((await s.page.request.get(href)).status(), 410, 'the old link is dead');
  const asked = s.fake.frames.filter((f) => f.type === 'attachment.url').length;
  const popup = s.page.waitForEvent('popup');
  await chip.click();
  const tab = await popup;
  await expect(
    () => tab.url(),
    (u) => u.includes('/files/') && u !== href,
    10_000,
    'the tab went to a fresh link',
  );
  assert.is(s.fake.frames.filter((f) => f.type === 'attachment.url').length, asked + 1, 'a fresh link was asked for');
  const res = await s.page.request.get(tab.url());
  assert.is(res.status(), 200);
  assert.equal(Buffer.from(await res.body()), pdf);
  await Promise.all([firstTab.close(), tab.close()]);
});

chat('a file past 7 days says it has expired here and that the help desk (Jira) still has it', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s);
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  s.fake.expireUploads = true;
  await s.page.locator('input[type=file]').setInputFiles({ name: 'old.png', mimeType: 'image/png', buffer: png });
  await expect(
    () => s.page.locator('[role=note]').textContent(),
    (t) => !!t && /expired/.test(t) && /still has it/.test(t),
  );
  assert.is(await s.page.locator('img.preview').count(), 0);
  await screenshot(s.page, 'attachment-expired');
});

chat('a refused message shows Retry, and Retry delivers it once with the same clientMsgId', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s);
  s.fake.failNextSend = true;
  await s.page.locator('textarea').fill('Will this arrive?');
  await s.page.locator('textarea').press('Enter');
  await expect(
    () => s.page.locator('.state.failed').textContent(),
    (t) => !!t?.startsWith('Not sent'),
  );
  await screenshot(s.page, 'failed-retry');
  await s.page.getByRole('button', { name: 'Retry' }).click();
  await expect(
    () => s.page.locator('.row.mine .state').last().textContent(),
    (t) => t === 'Sent',
  );
  const sends = s.fake.frames.filter((f) => f.type === 'message.send');
  assert.is(sends.length, 2);
  assert.is(sends[0]!.clientMsgId, sends[1]!.clientMsgId);
  assert.is(s.fake.latestConversation()!.messages.filter((m) => m.text === 'Will this arrive?').length, 1);
  assert.is(await s.page.locator('.row.mine .bubble', { hasText: 'Will this arrive?' }).count(), 1);
});

chat('a file dropped on the panel is uploaded and shown as a file chip', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await startConversation(s);
  const dt = await s.page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(['order 4711, frame size 56'], 'order.txt', { type: 'text/plain' }));
    return d;
  });
  await s.page.locator('.panel').dispatchEvent('dragover', { dataTransfer: dt });
  await s.page.locator('.panel').dispatchEvent('drop', { dataTransfer: dt });
  await expect(() => s.fake.frames.find((f) => f.type === 'attachment.send'), Boolean);
  const up = [...s.fake.uploads.values()][0]!;
  assert.is(up.name, 'order.txt');
  assert.is(up.bytes.toString(), 'order 4711, frame size 56');
  await expect(
    () => s.page.locator('.row.mine .chip').last().textContent(),
    (t) => t === 'order.txt (25 B)',
  );
  await expect(
    () => s.page.locator('.row.mine .state').last().textContent(),
    (t) => t === 'Sent',
  );
  assert.is(await s.page.locator('.drop').count(), 0);
});

chat('older history loads on demand', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const conv = await startConversation(s, 'First question');
  for (let i = 1; i <= 5; i++) s.fake.agentSays(conv, `Answer ${i}`, 'Dana', { silent: true });
  s.fake.historyPageSize = 3;
  await s.page.reload();
  await openPanel(s);
  await expect(
    () => s.page.locator('.log .bubble').allTextContents(),
    (t) => t.join('|') === 'Answer 3|Answer 4|Answer 5',
  );
  await s.page.getByRole('button', { name: 'Show earlier messages' }).click();
  await expect(
    () => s.page.locator('.log .bubble').allTextContents(),
    (t) => t.join('|') === 'Hi! How can we help?|First question|Answer 1|Answer 2|Answer 3|Answer 4|Answer 5',
  );
  assert.is(await s.page.locator('.more').count(), 0);
  assert.ok(s.fake.frames.some((f) => f.type === 'history' && !!f.before));
});

chat(
  'the name and email the visitor typed are remembered by the browser, not the service: a new conversation after a reload does not ask again',
  async (ctx) => {
    const s = (ctx.s = await session(ctx.browser));
    const conv = await startConversation(s, 'First case');
    s.fake.conversations.get(conv)!.status = 'closed';
    await s.page.reload();
    await openPanel(s);
    const auth = s.fake.frames.filter((f) => f.type === 'auth').length;
    assert.ok(auth >= 2);
    // No form: name and email are known (from this browser), so the composer opens at once.
    await expect(
      () => s.page.locator('textarea').count(),
      (n) => n === 1,
    );
    assert.is(await s.page.locator('#pre-email').count(), 0);
    await s.page.locator('textarea').fill('Second case');
    await s.page.locator('textarea').press('Enter');
    await expect(
      () => s.fake.frames.filter((f) => f.type === 'conversation.start').length,
      (n) => n === 2,
    );
    const second = s.fake.frames.filter((f) => f.type === 'conversation.start').at(-1)!;
    assert.ok(second.type === 'conversation.start');
    assert.equal(second.prechat, { name: 'Ada Lovelace', email: 'ada@example.com' });
    const stored = await s.page.evaluate(() =>
      Object.entries(localStorage)
        .filter(([k]) => k.endsWith(':profile'))
        .map(([, v]) => v),
    );
    assert.equal(
      stored.map((v) => JSON.parse(v)),
      [{ name: 'Ada Lovelace', email: 'ada@example.com' }],
    );
  },
);

chat.run();
