import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uiSessions, type Handlers, type UiSession } from '../ui-kit/testing/harness.js';
import { waitUntil } from '../ui-kit/testing/wait.js';
import { context, ISSUE, message, panelLoad } from './fixtures.js';
import { WATCH_ANSWER_WAIT_MS } from '../ui-kit/backoff.js';

const openSession = uiSessions(test);

let sent = 0;
const handlers = (extra: Handlers = {}): Handlers => ({
  'panel.load': () => panelLoad(),
  'panel.history': () => ({ messages: [message('9990', 'customer', 'An older question', new Date(Date.now() - 3_600_000).toISOString())], hasMore: false }),
  'chat.send': (p) => ({ message: message(String(20000 + ++sent), 'agent', p.text, new Date().toISOString(), { clientMsgId: p.clientMsgId }) }),
  'chat.take': () => ({ assignee: { accountId: 'agent-1', name: 'Grace Hopper' } }),
  'chat.close': () => ({ status: 'closed' as const }),
  ...extra,
});

async function panel(opts: { theme?: 'light' | 'dark'; extra?: Handlers } = {}): Promise<UiSession> {
  const s = await openSession('issue-panel', { context, handlers: handlers(opts.extra), theme: opts.theme });
  await s.page.getByText('Hi, my invoice is wrong.').waitFor();
  return s;
}

test('renders the chat history with the customer left, the agent right, and the header', async () => {
  const s = await panel();
  const { page } = s;
  assert.ok(await page.getByText('Ada Lovelace').first().isVisible());
  assert.ok(await page.getByText('ada@example.com').isVisible());
  assert.ok(await page.getByText('Website chat').isVisible());
  assert.ok(await page.getByText('Online now').isVisible());
  const them = await page.locator('.msg.them .bubble').first().boundingBox();
  const us = await page.locator('.msg.us .bubble').first().boundingBox();
  assert.ok(them && us && us.x > them.x, 'agent messages sit to the right of customer messages');
  assert.is(await page.locator('.msg.us .author').first().textContent(), 'You');
  assert.ok(await page.getByText('The amount is twice what I expected.', { exact: false }).isVisible());
  await s.agent.waitForFrame('watch', (f) => f.conversationId === ISSUE);
  await page.locator('.live.open').waitFor();
  await s.screenshot('history');
});

test('Enter sends the text through chat.send and Shift+Enter makes a new line', async () => {
  const s = await panel();
  const box = s.page.getByLabel('Reply to the customer');
  await box.click();
  await box.pressSequentially('First line');
  await s.page.keyboard.press('Shift+Enter');
  await box.pressSequentially('second line');
  assert.is(await box.inputValue(), 'First line\nsecond line');
  assert.is(s.invoked('chat.send').length, 0, 'Shift+Enter does not send');
  await s.page.keyboard.press('Enter');
  const payload = await s.waitForInvoke('chat.send');
  assert.is(payload.text, 'First line\nsecond line');
  assert.is(payload.issueKey, ISSUE);
  await s.page.locator('.msg.us:not(.pending) .bubble', { hasText: 'second line' }).waitFor();
  assert.is(await box.inputValue(), '');
  // replying to an unassigned chat assigns it to the agent (the app does it): the header says so at once
  await s.page.getByText('Assigned to You').waitFor();
  await s.screenshot('sent');
});

test('a message the socket delivers again after chat.send is shown once', async () => {
  const s = await panel();
  await s.agent.waitForFrame('watch');
  await s.page.getByLabel('Reply to the customer').fill('Only once please');
  await s.page.keyboard.press('Enter');
  await s.page.locator('.msg.us:not(.pending)', { hasText: 'Only once please' }).waitFor();
  const p = s.invoked('chat.send')[0]!;
  const sentId = String(20000 + sent);
  s.agent.push({ type: 'message', message: message(sentId, 'agent', 'Only once please', new Date().toISOString(), { clientMsgId: p.clientMsgId }) });
  s.agent.push({ type: 'message', message: message('30001', 'customer', 'marker after echo') });
  await s.page.getByText('marker after echo').waitFor();
  assert.is(await s.page.locator('.msg', { hasText: 'Only once please' }).count(), 1);
});

test('an incoming socket message and the customer typing indicator appear', async () => {
  const s = await panel();
  await s.agent.waitForFrame('watch');
  s.agent.push({ type: 'typing', conversationId: ISSUE, on: true, who: 'customer' });
  await s.page.getByText('Ada Lovelace is typing…').waitFor();
  await s.screenshot('typing');
  s.agent.push({ type: 'message', message: message('30002', 'customer', 'Are you still there?') });
  await s.page.locator('.msg.them', { hasText: 'Are you still there?' }).waitFor();
  await s.page.getByText('Ada Lovelace is typing…').waitFor({ state: 'detached' });
  assert.is(await s.page.locator('[role="log"][aria-live="polite"]').count(), 1, 'messages are announced');
  // the newest customer message is marked seen by the agent
  const seen = await s.agent.waitForFrame('seen', (f) => f.messageId === '30002');
  assert.is(seen.conversationId, ISSUE);
});

test('typing in the reply box sends typing frames; seen marks and a colleague typing show', async () => {
  const s = await panel();
  await s.agent.waitForFrame('watch');
  await s.page.getByLabel('Reply to the customer').pressSequentially('Hm');
  const typing = await s.agent.waitForFrame('typing', (f) => f.on);
  assert.is(typing.conversationId, ISSUE);
  assert.is(typing.name, 'Grace Hopper', "the agent's display name goes with it, for the customer's indicator");
  s.agent.push({ type: 'seen', conversationId: ISSUE, messageId: '10004', by: 'customer' });
  await s.page.locator('.msg[data-id="10003"] .seen').waitFor();
  s.agent.push({ type: 'typing', conversationId: ISSUE, on: true, who: 'agent', name: 'Alan Turing' });
  await s.page.getByText('Alan Turing is typing…').waitFor();
  s.agent.push({ type: 'typing', conversationId: ISSUE, on: false, who: 'agent', name: 'Alan Turing' });
  await s.page.getByText('Alan Turing is typing…').waitFor({ state: 'detached' });
});

test('a failed send shows an error with retry that resends the same clientMsgId', async () => {
  let fail = true;
  const s = await panel({
    extra: {
      'chat.send': (p) => {
        if (fail) throw new Error('Jira is unavailable');
        return { message: message('40001', 'agent', p.text, new Date().toISOString(), { clientMsgId: p.clientMsgId }) };
      },
    },
  });
  await s.page.getByLabel('Reply to the customer').fill('Will this arrive?');
  await s.page.keyboard.press('Enter');
  await s.page.getByText('Not sent.').waitFor();
  assert.ok(
    s.calls.some((c) => c.name === 'showFlag'),
    'an error flag is raised',
  );
  await s.screenshot('send-failed');
  fail = false;
  await s.page.getByRole('button', { name: 'Retry' }).click();
  await s.page.locator('.msg.us:not(.pending)', { hasText: 'Will this arrive?' }).waitFor();
  const [a, b] = s.invoked('chat.send');
  assert.is(a!.clientMsgId, b!.clientMsgId);
  assert.is(await s.page.getByText('Not sent.').count(), 0);
});

test('load older fetches panel.history before the oldest message', async () => {
  const s = await panel();
  await s.page.getByRole('button', { name: 'Load older messages' }).click();
  await s.page.getByText('An older question').waitFor();
  assert.is(s.invoked('panel.history')[0]!.before, '10001');
  assert.is(await s.page.getByRole('button', { name: 'Load older messages' }).count(), 0);
});

test('the panel reloads once its socket is up, so the agent sees the status that counts', async () => {
  let loads = 0;
  const s = await panel({
    extra: { 'panel.load': () => (++loads === 1 ? panelLoad() : { ...panelLoad(), me: { ...panelLoad().me, status: 'online' as const } }) },
  });
  await s.agent.waitForFrame('watch');
  await waitUntil(() => loads === 2, 'panel.load again once the socket is up');
  await s.page.waitForFunction(() => (document.querySelector('.status-select select') as HTMLSelectElement | null)?.value === 'online');
});

test('after the socket drops it reconnects with a fresh ticket and reloads the history', async () => {
  let loads = 0;
  const s = await panel({
    extra: {
      'panel.load': () => {
        loads++;
        const base = panelLoad();
        // load 1: page open; load 2: socket up (the agent's status counts from then); load 3: after the reconnect
        return loads > 2 ? { ...base, messages: [...base.messages, message('10005', 'customer', 'Sent while you were away')] } : base;
      },
    },
  });
  await s.agent.waitForFrame('watch');
  await waitUntil(() => loads === 2, 'panel.load again once the socket is up');
  s.agent.dropAll();
  await s.page.getByText('Sent while you were away').waitFor();
  assert.is(s.agent.authTickets.length, 2);
  assert.is.not(s.agent.authTickets[0], s.agent.authTickets[1]);
  assert.is(s.remoteCalled('agent-ticket').length, 2, 'each connection asks the service for a fresh ticket');
  assert.is(s.invoked('presence.grant').length, 2, 'with a fresh grant from the app');
});

test('after a reconnect the panel reads the conversation only once the service listens again, so a message published in between is shown', async () => {
  const base = panelLoad();
  let messages = base.messages;
  let loads = 0;
  let readsWhileDeaf = 0;
  let deaf = false;
  const s = await panel({
    extra: {
      'panel.load': () => {
        loads++;
        if (deaf) readsWhileDeaf++;
        return { ...base, messages };
      },
    },
  });
  await waitUntil(() => loads === 2, 'read again once the socket listens');
  const watches = s.agent.received.filter((f) => f.type === 'watch').length;
  s.agent.holdAnswers = deaf = true;
  s.agent.dropAll();
  await waitUntil(() => s.agent.received.filter((f) => f.type === 'watch').length === watches + 1, 'the chat is watched again');
  assert.is(await s.page.getByText('Live', { exact: true }).count(), 0, 'not live before the service listens');
  // Published while the service was still subscribing: not live, only in Jira.
  messages = [...base.messages, message('10006', 'customer', 'Sent before the watch was in place')];
  s.agent.holdAnswers = deaf = false;
  assert.is(s.agent.answerHeld(), 1);
  await s.page.getByText('Sent before the watch was in place').waitFor();
  await s.page.getByText('Live', { exact: true }).waitFor();
  assert.is(readsWhileDeaf, 0, 'no read while the service was not yet listening');
  assert.is(loads, 3);
});

test('a service that never answers the watch (older than `watching`) still has the panel go live and read again, after a wait', async () => {
  let loads = 0;
  const s = await openSession('issue-panel', {
    context,
    handlers: handlers({ 'panel.load': () => (loads++, panelLoad()) }),
    holdWatchAnswers: true,
  });
  await s.agent.waitForFrame('watch');
  await s.page.getByText('Live', { exact: true }).waitFor({ timeout: WATCH_ANSWER_WAIT_MS * 3 });
  assert.is(loads, 2, 'the page load, then the read once the wait is over');
  assert.is(s.agent.answered.length, 0);
});

test('while the service is down the panel says so (my status "Offline (not connected)", the customer "last known"), then comes back and watches again', async () => {
  let down = false;
  let sess: UiSession | undefined;
  const s = (sess = await openSession('issue-panel', {
    context,
    handlers: handlers(),
    remote: {
      'agent-ticket': () => {
        if (down || !sess) throw new Error('the presence service answered 503');
        return { ticket: sess.agent.issueTicket(), url: sess.agent.url, expiresAt: new Date(Date.now() + 60_000).toISOString() };
      },
    },
  }));
  await s.page.getByText('Live', { exact: true }).waitFor();
  await s.page.locator('.customer-presence').getByText('Online now', { exact: true }).waitFor();
  down = true;
  s.agent.dropAll();
  await s.page.getByText('Reconnecting…').waitFor();
  assert.ok(await s.page.getByText('Offline (not connected)').isVisible());
  assert.is(await s.page.getByRole('combobox', { name: 'My status' }).count(), 0, 'no status choice without a connection');
  assert.is((await s.page.locator('.customer-presence').innerText()).trim(), 'Online now (last known)');
  assert.is(await s.page.locator('.customer-presence .dot.online').count(), 0, 'no green dot for a presence we cannot see');
  await s.screenshot('not-connected');
  const watches = s.agent.received.filter((f) => f.type === 'watch').length;
  down = false;
  await s.page.getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
  await s.page.getByRole('combobox', { name: 'My status' }).waitFor();
  await waitUntil(() => s.agent.received.filter((f) => f.type === 'watch').length === watches + 1, 'the chat is watched again');
});

test('an attachment is uploaded with the bearer token and sent through chat.sendAttachment', async () => {
  const s = await panel({
    extra: {
      'chat.sendAttachment': (p) => ({
        message: message('50001', 'agent', '', new Date().toISOString(), { clientMsgId: p.clientMsgId, attachment: p.attachment }),
      }),
      'attachment.url': () => ({
        url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        expiresAt: new Date(Date.now() + 300_000).toISOString(),
      }),
    },
  });
  await s.agent.waitForFrame('watch');
  const chooser = s.page.waitForEvent('filechooser');
  await s.page.getByRole('button', { name: 'Attach file' }).click();
  await (await chooser).setFiles({ name: 'invoice.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
  const p = await s.waitForInvoke('chat.sendAttachment');
  assert.is(p.attachment.name, 'invoice.png');
  assert.is(s.agent.uploads[0]!.conversationId, ISSUE);
  assert.is(s.agent.uploads[0]!.bytes, 8);
  await s.page.locator('.msg[data-id="50001"] img.preview').waitFor();
  await s.page.locator('a.file', { hasText: 'invoice.png' }).waitFor();
});

test('a failed upload is shown as failed in place (no stuck "Uploading…", no flag that stays), and Retry sends it', async () => {
  const s = await panel({
    extra: {
      'chat.sendAttachment': (p) => ({
        message: message('50002', 'agent', '', new Date().toISOString(), { clientMsgId: p.clientMsgId, attachment: p.attachment }),
      }),
    },
  });
  await s.agent.waitForFrame('watch');
  s.agent.failNextUpload = 503;
  const chooser = s.page.waitForEvent('filechooser');
  await s.page.getByRole('button', { name: 'Attach file' }).click();
  await (await chooser).setFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
  await s.page.locator('.pending.failed', { hasText: 'broken.png was not sent' }).waitFor();
  assert.is(await s.page.getByText(/Uploading/).count(), 0, 'no bubble left "Uploading…"');
  assert.match((await s.page.locator('.pending.failed').textContent()) ?? '', 'Attachments are unavailable right now');
  const flags = s.calls.filter((c) => c.name === 'showFlag').map((c) => c.args as { type?: string; isAutoDismiss?: boolean });
  assert.ok(
    flags.every((f) => f.isAutoDismiss === true && f.type !== 'error'),
    `flags stay until dismissed: ${JSON.stringify(flags)}`,
  );
  await s.page.screenshot({ path: 'test-results/screenshots/panel-upload-failed.png' });
  await s.page.locator('.pending.failed').getByRole('button', { name: 'Retry' }).click();
  const p = await s.waitForInvoke('chat.sendAttachment');
  assert.is(p.attachment.name, 'broken.png');
  await s.page.locator('.msg[data-id="50002"]').waitFor();
  assert.is(await s.page.locator('.pending').count(), 0);
});

test('a file link opens through @forge/bridge router.open (the iframe may not open popups), never window.open or target=_blank', async () => {
  const fileUrl = 'https://chat.example.test/v1/attachments/a1?sig=x';
  const s = await panel({ extra: { 'attachment.url': () => ({ url: fileUrl, expiresAt: new Date(Date.now() + 300_000).toISOString() }) } });
  let popups = 0;
  s.page.on('popup', () => popups++);
  await s.page.evaluate(() => {
    (window as unknown as { __opened: number }).__opened = 0;
    window.open = () => ((window as unknown as { __opened: number }).__opened++, null);
  });
  await s.agent.waitForFrame('watch');
  s.agent.push({
    type: 'message',
    message: message('60001', 'customer', '', new Date().toISOString(), {
      attachment: { id: 'att_0123456789abcdef', name: 'contract.pdf', mime: 'application/pdf', size: 2048 },
    }),
  });
  const link = s.page.locator('a.file', { hasText: 'contract.pdf' });
  await link.waitFor();
  assert.is(await s.page.locator('a[target]').count(), 0, 'no target=_blank links');
  await link.click();
  await waitUntil(() => s.calls.some((c) => c.name === 'navigate'), 'router.open');
  assert.equal(s.calls.find((c) => c.name === 'navigate')?.args, { url: fileUrl, type: 'new-tab' });
  assert.equal(s.invoked('attachment.url'), [{ issueKey: ISSUE, attachmentId: 'att_0123456789abcdef' }], 'a fresh signed link is asked for on click');
  assert.is(await s.page.evaluate(() => (window as unknown as { __opened: number }).__opened), 0);
  assert.is(popups, 0);
  assert.match(s.page.url(), /\/index\.html$/, 'the panel itself did not navigate');
});

test('status toggle, Take and Close chat call their resolvers; a closed chat disables the reply box', async () => {
  const s = await panel();
  await s.page.getByLabel('My status').selectOption('away');
  await waitUntil(() => s.remoteCalled('presence.set').length === 1, 'presence.set over requestRemote');
  assert.equal(s.remoteCalled('presence.set')[0], { projectKey: 'SUP', status: 'away', grant: 'g1.test-grant-SUP.sig' });
  await s.page.getByRole('button', { name: 'Take' }).click();
  await s.page.getByText('Assigned to You').waitFor();
  await s.page.getByRole('button', { name: 'Close chat' }).click();
  await s.page.getByText('Close this chat?', { exact: false }).waitFor();
  assert.is(s.invoked('chat.close').length, 0, 'closing asks first');
  await s.page.getByRole('group', { name: 'Close chat' }).getByRole('button', { name: 'Close chat' }).click();
  await s.page.getByText('This chat is closed.').waitFor();
  assert.equal(s.invoked('chat.close'), [{ issueKey: ISSUE }]);
  assert.ok(await s.page.getByLabel('Reply to the customer').isDisabled());
  await s.screenshot('closed');
});

test('a panel.load read before Take was written does not undo the assignment on screen', async () => {
  let loads = 0;
  let answerStaleLoad!: () => void;
  const staleLoadHeld = new Promise<void>((resolve) => (answerStaleLoad = resolve));
  const s = await panel({
    extra: {
      // load 2 (socket up) reads Jira before the take lands and answers only after it: still unassigned
      'panel.load': async () => {
        if (++loads !== 2) return panelLoad();
        await staleLoadHeld;
        const base = panelLoad();
        return { ...base, messages: [...base.messages, message('10006', 'customer', 'Read before the take')] };
      },
    },
  });
  await waitUntil(() => loads === 2, 'panel.load again once the socket is up');
  await s.page.getByRole('button', { name: 'Take' }).click();
  await s.page.getByText('Assigned to You').waitFor();
  answerStaleLoad();
  await s.page.getByText('Read before the take').waitFor();
  assert.ok(await s.page.getByText('Assigned to You').isVisible(), 'the stale answer kept the local assignment');
  assert.is(await s.page.getByRole('button', { name: 'Take' }).count(), 0);
});

test('the list follows new messages while the agent is at the end, and stays put once they scrolled up', async () => {
  const t0 = Date.now() - 3_600_000;
  const long = Array.from({ length: 30 }, (_, i) =>
    message(
      String(40000 + i),
      i % 2 ? 'agent' : 'customer',
      `Message number ${i} with enough words to take a line or two`,
      new Date(t0 + i * 1_000).toISOString(),
    ),
  );
  const s = await panel({
    extra: {
      'panel.load': () => panelLoad({ messages: [message('39999', 'customer', 'Hi, my invoice is wrong.', new Date(t0 - 1_000).toISOString()), ...long] }),
    },
  });
  const list = s.page.locator('.messages');
  const fromEndBelow = (px: number) =>
    s.page.waitForFunction((limit) => {
      const el = document.querySelector('.messages');
      return !!el && el.scrollHeight > el.clientHeight && el.scrollHeight - el.scrollTop - el.clientHeight < limit;
    }, px);
  // A scroll event is dispatched with the next frame: after two, the list has seen it.
  const scrolled = () => s.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  await s.page.getByText('Message number 29', { exact: false }).waitFor();
  await fromEndBelow(2);
  // The list comes from panel.load, the socket may still be connecting: a frame pushed before
  // it authenticated reaches no one. The panel watches the chat right after auth.
  await s.agent.waitForFrame('watch');
  s.agent.push({ type: 'message', message: message('40100', 'customer', 'A new one at the end') });
  await s.page.getByText('A new one at the end').waitFor();
  await fromEndBelow(2);
  // The agent reads older messages: a new one must not pull the list away from them.
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  await scrolled();
  s.agent.push({ type: 'message', message: message('40101', 'customer', 'Another one while reading above') });
  await s.page.getByText('Another one while reading above').waitFor();
  assert.is(await list.evaluate((el) => el.scrollTop), 0, 'still where the agent was reading');
  // Back at the end, the list follows again.
  await list.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await scrolled();
  s.agent.push({ type: 'message', message: message('40102', 'customer', 'And one more at the end') });
  await s.page.getByText('And one more at the end').waitFor();
  await fromEndBelow(2);
});

test('dark theme: the host colour mode is applied', async () => {
  const s = await panel({ theme: 'dark' });
  assert.is(await s.page.getAttribute('html', 'data-color-mode'), 'dark');
  assert.ok(s.calls.some((c) => c.name === 'enableTheming'));
  const bg = await s.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g)!.map(Number);
  assert.ok(r! + g! + b! < 200, `dark background, got ${bg}`);
  await s.screenshot('dark');
});

test('a request that is not a chat shows a short note', async () => {
  const s = await openSession('issue-panel', {
    context,
    handlers: handlers({ 'panel.load': () => ({ ...panelLoad(), isChat: false, conversation: null, messages: [], hasMore: false, customerPresence: null }) }),
  });
  await s.page.getByText('did not start as a chat', { exact: false }).waitFor();
  assert.is(s.remoteCalled('agent-ticket').length, 0, 'no live connection for non-chat issues');
});

test.run();
