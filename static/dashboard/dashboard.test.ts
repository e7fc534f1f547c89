import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ResolverResponse } from '../../src/protocol/resolvers.js';
import { uiSessions, type UiSession } from '../ui-kit/testing/harness.js';
import { waitUntil } from '../ui-kit/testing/wait.js';

type Load = ResolverResponse<'dashboard.load'>;
type Chat = Load['chats'][number];

const context = { accountId: 'agent-1', locale: 'en-US', extension: { type: 'jira:projectPage', project: { key: 'SUP', id: '10000', type: 'service_desk' } } };
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

function chat(n: number, waitingSecs: number | null, extra: Partial<Chat> = {}): Chat {
  return {
    conversationId: `SUP-${n}`,
    summary: `Chat with customer ${n}`,
    customerName: `Customer ${n}`,
    channel: 'web',
    status: 'open',
    waitingSince: waitingSecs === null ? null : ago(waitingSecs),
    lastActivity: ago(waitingSecs ?? 600),
    assignee: null,
    offline: false,
    preview: null,
    ...extra,
  };
}

function load(chats: Chat[]): Load {
  return {
    chats,
    agents: [
      { accountId: 'agent-1', name: 'Grace Hopper', status: 'online', available: true, lastSeen: null, forcedOffline: false },
      { accountId: 'agent-2', name: 'Alan Turing', status: 'away', available: false, lastSeen: ago(120), forcedOffline: false },
      { accountId: 'agent-3', name: 'Offline Olga', status: 'offline', available: false, lastSeen: ago(9000), forcedOffline: false },
    ],
    me: { accountId: 'agent-1', name: 'Grace Hopper', status: 'online' },
  };
}

/** Records notifications and oscillator starts instead of making them. */
const STUBS = `(() => {
  window.__notes = [];
  window.__beeps = 0;
  class FakeNotification { constructor(title, o) { window.__notes.push({ title, body: o && o.body }); } close() {} }
  FakeNotification.permission = 'default';
  FakeNotification.requestPermission = async () => (FakeNotification.permission = 'granted');
  window.Notification = FakeNotification;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...a) { window.__beeps++; return start.apply(this, a); };
})();`;

/**
 * A sandboxed, cross-origin iframe as Chromium treats it: the permission prompt is refused
 * (here: requestPermission throws, as some browsers do, and the permission stays denied-ish)
 * and audio cannot start.
 */
const SANDBOXED_FRAME = `(() => {
  window.__notes = [];
  window.__beeps = 0;
  class FakeNotification { constructor(title, o) { window.__notes.push({ title, body: o && o.body }); throw new Error('not allowed'); } close() {} }
  FakeNotification.permission = 'default';
  FakeNotification.requestPermission = () => { FakeNotification.permission = 'denied'; throw new DOMException('blocked in a cross-origin iframe', 'NotAllowedError'); };
  window.Notification = FakeNotification;
  window.AudioContext = class { constructor() { throw new DOMException('no audio here', 'NotAllowedError'); } };
})();`;

const openSession = uiSessions(test);

async function dashboard(chats: () => Chat[], theme: 'light' | 'dark' = 'light', initScript = STUBS): Promise<UiSession> {
  return openSession('dashboard', {
    context,
    theme,
    viewport: { width: 1100, height: 640 },
    initScript,
    handlers: {
      'dashboard.load': () => load(chats()),
      'dashboard.row': (p: { conversationId: string }) => ({ chat: chats().find((c) => c.conversationId === p.conversationId) ?? null }),
      'chat.take': () => ({ assignee: { accountId: 'agent-1', name: 'Grace Hopper' } }),
    },
  });
}

/** Resolves once the socket listens and the dashboard has read the list again after that (as it does on every connect). */
async function listening(s: UiSession): Promise<number> {
  await s.page.getByText('Live', { exact: true }).waitFor();
  await s.waitForInvoke('dashboard.load', 2);
  return s.invoked('dashboard.load').length;
}

test('a chat that started between the first load and the watch is listed once the service listens', async () => {
  let chats = [chat(2, 90)];
  const s = await openSession('dashboard', {
    context,
    viewport: { width: 1100, height: 640 },
    initScript: STUBS,
    holdWatchAnswers: true,
    handlers: { 'dashboard.load': () => load(chats), 'dashboard.row': () => ({ chat: null }) },
  });
  await s.page.locator('tr[data-key="SUP-2"]').waitFor();
  await s.agent.waitForFrame('watch.project');
  // Its activity was published before the service listened: only the app's list has it.
  chats = [...chats, chat(8, 5, { customerName: 'Gap Gina' })];
  assert.is(s.invoked('dashboard.load').length, 1, 'no read before the service listens');
  assert.is(s.agent.answerHeld(), 1);
  await s.page.locator('tr[data-key="SUP-8"]').getByText('Gap Gina').waitFor();
  assert.is(s.invoked('dashboard.load').length, 2);
});

test('while not connected the dashboard says so (no "Online", agents marked last known), then reconnects by itself, watches again and reloads', async () => {
  let down = false;
  let sess: UiSession | undefined;
  const s = (sess = await openSession('dashboard', {
    context,
    viewport: { width: 1100, height: 640 },
    initScript: STUBS,
    handlers: { 'dashboard.load': () => load([chat(2, 90)]), 'dashboard.row': () => ({ chat: null }) },
    remote: {
      // a restarting service: no ticket while it is down
      'agent-ticket': () => {
        if (down || !sess) throw new Error('the presence service answered 503');
        return { ticket: sess.agent.issueTicket(), url: sess.agent.url, expiresAt: new Date(Date.now() + 60_000).toISOString() };
      },
    },
  }));
  await s.page.getByText('Live', { exact: true }).waitFor();
  await s.agent.waitForFrame('watch.project');
  assert.ok(await s.page.getByRole('combobox', { name: 'My status' }).isVisible());
  const watchesBefore = s.agent.received.filter((f) => f.type === 'watch.project').length;
  down = true;
  s.agent.dropAll();
  await s.page.getByText('Reconnecting…').waitFor();
  assert.ok(await s.page.getByText('Offline (not connected)').isVisible(), 'my status is not claimed to be Online');
  assert.is(await s.page.getByRole('combobox', { name: 'My status' }).count(), 0);
  assert.ok(await s.page.getByRole('heading', { name: 'Agents (last known)' }).isVisible());
  assert.is(await s.page.getByRole('heading', { name: 'Agents online' }).count(), 0);
  assert.ok(await s.page.locator('.agents').getByText('Online (last known)').isVisible());
  await s.screenshot('not-connected');
  const loadsBefore = s.invoked('dashboard.load').length;
  down = false;
  await s.page.getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
  await s.page.getByRole('heading', { name: 'Agents online' }).waitFor();
  await s.page.getByRole('combobox', { name: 'My status' }).waitFor();
  assert.is(s.agent.received.filter((f) => f.type === 'watch.project').length, watchesBefore + 1, 'watches the project again');
  await s.waitForInvoke('dashboard.load', loadsBefore + 1);
});

test('lists open chats waiting-first with customer, channel, waiting time and assignee', async () => {
  const s = await dashboard(() => [
    chat(1, null, { assignee: { accountId: 'agent-2', name: 'Alan Turing' } }),
    chat(2, 90),
    chat(3, 400, { channel: 'whatsapp' }),
    chat(4, null, { status: 'closed' }),
  ]);
  await s.page.locator('tr[data-key="SUP-3"]').waitFor();
  const keys = await s.page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  assert.equal(keys, ['SUP-3', 'SUP-2', 'SUP-1'], 'longest waiting first, closed chats hidden');
  assert.match((await s.page.locator('tr[data-key="SUP-3"] .waiting-cell').textContent()) ?? '', /^6m$/);
  assert.ok(await s.page.locator('tr[data-key="SUP-3"]').getByText('WhatsApp').isVisible());
  assert.ok(await s.page.locator('tr[data-key="SUP-1"]').getByText('Alan Turing').isVisible());
  assert.ok((await s.page.getByText('Offline Olga').count()) === 0, 'offline agents are not listed');
  assert.ok(await s.page.locator('.agents').getByText('Away').isVisible());
  await s.agent.waitForFrame('watch.project', (f) => f.projectKey === 'SUP');
  await s.screenshot('list');
});

test('a new conversation.activity fetches only that row and alerts with sound and a notification', async () => {
  let chats = [chat(2, 90)];
  const s = await dashboard(() => chats);
  await s.page.locator('tr[data-key="SUP-2"]').waitFor();
  await s.page.getByRole('button', { name: /Turn on sound and notifications/ }).click();
  await s.page.getByText('Sound and notifications on').waitFor();
  const loads = await listening(s);
  chats = [...chats, chat(7, 2, { customerName: 'Nina New' })];
  s.agent.push({
    type: 'conversation.activity',
    activity: { projectKey: 'SUP', conversationId: 'SUP-7', kind: 'new', at: new Date().toISOString(), customerName: 'Nina New' },
  });
  await s.page.locator('tr[data-key="SUP-7"]').getByText('Nina New').waitFor();
  const notes = (await s.page.evaluate('window.__notes')) as { title: string; body: string }[];
  assert.equal(notes, [{ title: 'New chat', body: 'Nina New started a chat' }]);
  assert.is(await s.page.evaluate('window.__beeps'), 1);
  assert.is(s.invoked('dashboard.load').length, loads, 'no full reload');
  assert.equal(s.invoked('dashboard.row'), [{ projectKey: 'SUP', conversationId: 'SUP-7' }]);
  await s.screenshot('new-chat');
});

test('activity on one chat updates only its row; a closed chat leaves the list', async () => {
  let chats = [chat(2, 90), chat(3, null)];
  const s = await dashboard(() => chats);
  await s.page.locator('tr[data-key="SUP-3"]').waitFor();
  const loads = await listening(s);
  chats = [chat(2, 90), chat(3, 300)];
  s.agent.push({
    type: 'conversation.activity',
    activity: { projectKey: 'SUP', conversationId: 'SUP-3', kind: 'customer_message', at: new Date().toISOString() },
  });
  await s.page.locator('tr[data-key="SUP-3"] .waiting-cell').getByText(/^5m$/).waitFor();
  chats = [chat(2, 90)];
  s.agent.push({ type: 'conversation.activity', activity: { projectKey: 'SUP', conversationId: 'SUP-3', kind: 'closed', at: new Date().toISOString() } });
  await s.page.locator('tr[data-key="SUP-3"]').waitFor({ state: 'detached' });
  assert.is(s.invoked('dashboard.load').length, loads);
  assert.equal(
    s.invoked('dashboard.row').map((p) => (p as { conversationId: string }).conversationId),
    ['SUP-3', 'SUP-3'],
  );
});

test('where the frame may not notify or play sound, new chats show quietly in the page, without errors', async () => {
  let chats = [chat(2, 90)];
  const s = await dashboard(() => chats, 'light', SANDBOXED_FRAME);
  const errors: string[] = [];
  s.page.on('pageerror', (e) => errors.push(e.message));
  // (the test server has no favicon: its 404 is not the dashboard's)
  s.page.on('console', (m) => void (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text())));
  await s.page.locator('tr[data-key="SUP-2"]').waitFor();
  await s.page.getByRole('button', { name: /Turn on sound and notifications/ }).click();
  await s.page.getByText('New chats show on this page', { exact: false }).waitFor();
  await s.agent.waitForFrame('watch.project');
  chats = [...chats, chat(7, 2, { customerName: 'Nina New' })];
  s.agent.push({
    type: 'conversation.activity',
    activity: { projectKey: 'SUP', conversationId: 'SUP-7', kind: 'new', at: new Date().toISOString(), customerName: 'Nina New' },
  });
  await s.page.getByText('New chat: Nina New started a chat').waitFor();
  await s.page.locator('tr[data-key="SUP-7"]').waitFor();
  assert.equal(await s.page.evaluate('window.__notes'), [], 'no desktop notification was attempted');
  await s.page.locator('.notice').getByRole('button', { name: 'Open' }).click();
  assert.equal(s.calls.filter((c) => c.name === 'navigate').at(-1)?.args, { url: '/browse/SUP-7', type: 'new-tab' });
  await s.page.getByRole('button', { name: 'Dismiss' }).click();
  await s.page.getByText('New chat: Nina New started a chat').waitFor({ state: 'detached' });
  assert.equal(errors, []);
  await s.screenshot('in-page-alert');
});

test('Open navigates to the issue and Take assigns the chat', async () => {
  const s = await dashboard(() => [chat(5, 30)]);
  await s.page.getByRole('button', { name: 'Open SUP-5' }).click();
  const nav = s.calls.find((c) => c.name === 'navigate');
  assert.equal(nav?.args, { url: '/browse/SUP-5', type: 'new-tab' });
  await s.page.getByRole('button', { name: 'Take SUP-5' }).click();
  assert.equal(await s.waitForInvoke('chat.take'), { issueKey: 'SUP-5' });
  await s.page.locator('tr[data-key="SUP-5"]').getByText('Grace Hopper').waitFor();
  // Take opens the chat (in this tab: the agent is going to answer it).
  await waitUntil(() => s.calls.filter((c) => c.name === 'navigate').length === 2, 'Take to open the chat');
  assert.equal(s.calls.filter((c) => c.name === 'navigate').at(-1)?.args, { url: '/browse/SUP-5', type: 'same-tab' });
});

test('live chats and offline messages in their own sections, each row previewing the last message; the title shown once', async () => {
  const long = 'My order 4711 arrived broken and ' + 'the box was wet '.repeat(12) + 'END';
  const s = await dashboard(() => [
    chat(1, 90, { preview: { author: 'customer', text: 'Where is my parcel?' } }),
    chat(2, null, { preview: { author: 'agent', text: 'It ships tomorrow.' } }),
    chat(3, 400, { offline: true, summary: 'Offline message from Olly', preview: { author: 'customer', text: long.slice(0, 119) + '…' } }),
  ]);
  await s.page.locator('tr[data-key="SUP-1"]').waitFor();
  const live = s.page.locator('section.chats > table tbody tr');
  assert.equal(await live.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), ['SUP-1', 'SUP-2']);
  const offline = s.page.locator('section.offline-messages');
  assert.ok(await offline.getByRole('heading', { name: 'Offline messages' }).isVisible());
  assert.equal(await offline.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), ['SUP-3']);
  assert.is(await s.page.locator('tr[data-key="SUP-1"] .preview').textContent(), 'Where is my parcel?');
  assert.is(await s.page.locator('tr[data-key="SUP-2"] .preview').textContent(), 'Agent: It ships tomorrow.');
  // A long preview stays on one line (clipped by the app, ellipsis by CSS).
  const box = await s.page.locator('tr[data-key="SUP-3"] .preview').boundingBox();
  assert.ok(box && box.height < 24, `one line, got ${box?.height}`);
  // "Chats" is Jira's page title; the frame does not show it a second time.
  const visibleChats = await s.page.getByText('Chats', { exact: true }).evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetWidth > 1).length);
  assert.is(visibleChats, 0);
  await s.screenshot('sections-preview');
  await s.page.setViewportSize({ width: 390, height: 800 });
  await s.screenshot('sections-preview-mobile');
});

test('dark theme: sections and previews', async () => {
  const s = await dashboard(
    () => [
      chat(1, 90, { preview: { author: 'customer', text: 'Where is my parcel?' } }),
      chat(3, 400, { offline: true, preview: { author: 'customer', text: 'Please call me back' } }),
    ],
    'dark',
  );
  await s.page.locator('tr[data-key="SUP-3"]').waitFor();
  await s.screenshot('sections-preview-dark');
});

test('agents.presence frames update the agents list live', async () => {
  const s = await dashboard(() => [chat(2, 90)]);
  await s.agent.waitForFrame('watch.project');
  await s.page.locator('.agents').getByText('Alan Turing').waitFor();
  s.agent.push({
    type: 'agents.presence',
    projectKey: 'SUP',
    agents: [{ accountId: 'agent-2', status: 'offline', available: false, lastSeen: null, forcedOffline: false }],
  });
  await s.page.locator('.agents').getByText('Alan Turing').waitFor({ state: 'detached' });
});

test('dark theme: the dashboard follows the host colour mode', async () => {
  const s = await dashboard(() => [chat(2, 90), chat(3, null)], 'dark');
  await s.page.locator('tr[data-key="SUP-2"]').waitFor();
  assert.is(await s.page.getAttribute('html', 'data-color-mode'), 'dark');
  await s.screenshot('dark');
});

test.run();
