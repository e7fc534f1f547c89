import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ResolverRequest, ResolverResponse } from '../../src/protocol/resolvers.js';
import { uiSessions, type Handlers, type UiSession } from '../ui-kit/testing/harness.js';
import { computeReport } from '../../src/protocol/chat-report.js';
import { plannedChats } from '../../src/sandbox/chat-history.js';

type Load = ResolverResponse<'admin.load'>;
const context = { accountId: 'admin-1', locale: 'en-US', extension: { type: 'jira:adminPage' } };

function load(over: Partial<Load> = {}): Load {
  return {
    isAdmin: true,
    presenceUrl: 'https://presence.example.com',
    connection: { ok: true, message: 'Reached the service in 42 ms', version: '0.1.0', linked: true },
    analytics: true,
    whatsapp: { configured: true, projectKey: 'SUP', phoneNumberId: '1098765', webhookUrl: 'https://presence.example.com/v1/whatsapp/inst_1' },
    projects: [
      { key: 'SUP', name: 'Support', chatEnabled: true, agentsOnline: 3 },
      { key: 'HR', name: 'People team', chatEnabled: false, agentsOnline: 0 },
    ],
    ...over,
  };
}

const counters = { sent: 0, dropped: 0, parked: 0, lastError: null, lastErrorAt: null };
function analyticsView(over: Partial<ResolverResponse<'analytics.load'>> = {}): ResolverResponse<'analytics.load'> {
  return {
    enabled: true,
    missedAfterMinutes: 5,
    ga4: { configured: false, measurementId: null, endpoint: null, counters },
    bigquery: { configured: false, projectId: null, datasetId: null, tableId: null, clientEmail: null, endpoint: null, counters },
    ...over,
  };
}
const NOW = Date.now();
function siteReport(p: { from: string; to: string }): ResolverResponse<'reports.site'> {
  const chats = plannedChats({ projectKey: 'SUP', serviceDeskId: '1', requestTypeId: '10', agents: ['a-1', 'a-2'], nowMs: NOW }).map((c) => ({
    v: 1 as const,
    ...c,
  }));
  const r = computeReport(chats, { ...p, missedAfterMinutes: 5, nowMs: NOW, names: { 'a-1': 'Grace Hopper', 'a-2': 'Alan Turing' } });
  return { ...r, projects: [{ key: 'SUP', chats: r.totals.chats, missed: r.totals.missed }] };
}

const openSession = uiSessions(test);

async function admin(l: () => Load = () => load(), extra: Handlers = {}, theme: 'light' | 'dark' = 'light'): Promise<UiSession> {
  const s = await openSession('admin', {
    context,
    theme,
    viewport: { width: 960, height: 800 },
    handlers: {
      'admin.load': l,
      'admin.relink': () => ({ ok: true, message: 'Linked again; new shared secret stored' }),
      'admin.saveSettings': (p) => ({ analytics: p.analytics }),
      'admin.saveWhatsApp': () => ({ configured: true as const, webhookUrl: 'https://presence.example.com/v1/whatsapp/inst_1' }),
      'analytics.load': () => analyticsView(),
      'reports.site': (p) => siteReport(p),
      ...extra,
    },
  });
  await s.page.getByRole('heading', { name: 'Presence service' }).waitFor();
  return s;
}

test('shows the presence service connection status and the projects overview', async () => {
  const s = await admin();
  const status = s.page.locator('.connection-status');
  assert.ok(await status.getByText('Connected').isVisible());
  assert.ok(await status.getByText('App linked').isVisible());
  assert.ok(await status.getByText('Version 0.1.0').isVisible());
  assert.ok(await s.page.getByText('https://presence.example.com', { exact: true }).isVisible());
  assert.ok(await s.page.getByText('Reached the service in 42 ms').isVisible());
  assert.is(await s.page.locator('tr[data-key="SUP"] .num').textContent(), '3');
  assert.ok(await s.page.locator('tr[data-key="HR"]').getByText('Off').isVisible());
  await s.screenshot('overview');
});

test('a failing connection is shown and Reconnect calls admin.relink and reloads', async () => {
  let n = 0;
  const s = await admin(() => (++n === 1 ? load({ connection: { ok: false, message: 'connect ECONNREFUSED', version: null, linked: false } }) : load()));
  assert.ok(await s.page.locator('.connection-status').getByText('Not connected').isVisible());
  assert.ok(await s.page.getByText('App not linked').isVisible());
  await s.screenshot('disconnected');
  await s.page.getByRole('button', { name: 'Reconnect' }).click();
  await s.page.getByText('Linked again; new shared secret stored').waitFor();
  await s.page.locator('.connection-status').getByText('Connected', { exact: true }).waitFor();
  assert.is(s.invoked('admin.relink').length, 1);
  assert.is(s.invoked('admin.load').length, 2);
});

test('a permission the app user lacks is shown as an action for the admin', async () => {
  const s = await admin(() => load({ warnings: ['The app cannot create JSM customers: grant "Administer Jira".'] }));
  await s.page.getByText('Action needed in Jira').waitFor();
  assert.ok(await s.page.getByText(/grant "Administer Jira"/).isVisible());
});

test('WhatsApp credentials are write-only: never prefilled, cleared after saving, never shown', async () => {
  const s = await admin();
  assert.ok(await s.page.locator('.wa-status').getByText('Configured').isVisible());
  assert.ok(await s.page.getByText('https://presence.example.com/v1/whatsapp/inst_1').isVisible());
  for (const label of ['Phone number ID', 'Access token', 'App secret', 'Webhook verify token']) {
    assert.is(await s.page.getByLabel(label).inputValue(), '', `${label} starts empty`);
  }
  for (const label of ['Access token', 'App secret', 'Webhook verify token']) assert.is(await s.page.getByLabel(label).getAttribute('type'), 'password');
  await s.page.getByLabel('Phone number ID').fill('2223334');
  await s.page.getByLabel('Access token').fill('EAAG-secret-token-value');
  await s.page.getByLabel('App secret').fill('app-secret-value-123');
  await s.page.getByLabel('Webhook verify token').fill('verify-me-456');
  await s.page.getByRole('button', { name: 'Save WhatsApp settings' }).click();
  const p = await s.waitForInvoke('admin.saveWhatsApp');
  assert.equal(p, {
    projectKey: 'SUP',
    phoneNumberId: '2223334',
    accessToken: 'EAAG-secret-token-value',
    appSecret: 'app-secret-value-123',
    verifyToken: 'verify-me-456',
  });
  await s.page.getByText('WhatsApp settings saved').waitFor();
  for (const label of ['Access token', 'App secret', 'Webhook verify token']) assert.is(await s.page.getByLabel(label).inputValue(), '');
  const html = await s.page.content();
  for (const secret of ['EAAG-secret-token-value', 'app-secret-value-123', 'verify-me-456']) assert.not.ok(html.includes(secret), 'secret not in the page');
  await s.screenshot('whatsapp-saved');
});

test('WhatsApp save needs every field', async () => {
  const s = await admin(() => load({ whatsapp: { configured: false, projectKey: null, phoneNumberId: null, webhookUrl: null } }));
  assert.ok(await s.page.locator('.wa-status').getByText('Not configured').isVisible());
  await s.page.getByRole('button', { name: 'Save WhatsApp settings' }).click();
  assert.is(await s.page.getByText('Required').count(), 5);
  assert.is(s.invoked('admin.saveWhatsApp').length, 0);
});

for (const theme of ['light', 'dark'] as const) {
  test(`WhatsApp (${theme}): wrong values are explained per field, and a server refusal is a human sentence, never the raw error`, async () => {
    const raw = 'There was an error invoking the function - invalid: admin.saveWhatsApp: phoneNumberId: Invalid string: must match pattern /^[0-9]{5,30}$/';
    const s = await admin(() => load(), { 'admin.saveWhatsApp': () => Promise.reject(new Error(raw)) }, theme);
    await s.page.getByLabel('Phone number ID').fill('+49 170 1234567');
    await s.page.getByLabel('Access token').fill('short');
    await s.page.getByLabel('App secret').fill('app-secret-value-123');
    await s.page.getByLabel('Webhook verify token').fill('verify-me-456');
    await s.page.getByRole('button', { name: 'Save WhatsApp settings' }).click();
    await s.page.getByText('Digits only: the phone number ID from WhatsApp Manager', { exact: false }).waitFor();
    await s.page.getByText('This is too short for an access token', { exact: false }).waitFor();
    assert.is(s.invoked('admin.saveWhatsApp').length, 0, 'caught before the server');
    await s.page.getByLabel('Phone number ID').fill('2223334');
    await s.page.getByLabel('Access token').fill('EAAG-secret-token-value');
    await s.page.getByRole('button', { name: 'Save WhatsApp settings' }).click();
    await s.page.getByText('Some values were not accepted.', { exact: false }).waitFor();
    const text = await s.page.locator('body').innerText();
    assert.not.ok(text.includes('There was an error invoking the function'), 'no raw bridge text');
    assert.not.ok(text.includes('invalid:'), 'no server code');
    await s.screenshot(`whatsapp-error-${theme}`);
  });
}

test('analytics switch saves through admin.saveSettings', async () => {
  const s = await admin();
  await s.page.getByLabel('Collect anonymous usage analytics').uncheck();
  assert.equal(await s.waitForInvoke('admin.saveSettings'), { analytics: false });
  await s.page.getByText('Analytics setting saved').waitFor();
});

test('non-admins see the page read-only; dark theme applies', async () => {
  const s = await admin(() => load({ isAdmin: false }), {}, 'dark');
  await s.page.getByText('Only Jira administrators can change these settings.').waitFor();
  assert.is(await s.page.getByRole('button', { name: 'Reconnect' }).count(), 0);
  assert.ok(await s.page.getByLabel('Access token').isDisabled());
  assert.ok(await s.page.getByLabel('Collect anonymous usage analytics').isDisabled());
  assert.is(await s.page.getAttribute('html', 'data-color-mode'), 'dark');
  await s.screenshot('read-only-dark');
});

test('analytics destinations: secrets are write-only, sent once and cleared; counters are shown', async () => {
  const saved: ResolverRequest<'analytics.save'>[] = [];
  const s = await admin(undefined, {
    'analytics.save': (p) => {
      saved.push(p);
      return analyticsView({
        missedAfterMinutes: p.missedAfterMinutes,
        ga4: {
          configured: true,
          measurementId: p.ga4?.measurementId ?? null,
          endpoint: 'https://www.google-analytics.com',
          counters: { ...counters, sent: 12 },
        },
      });
    },
  });
  await s.page.getByRole('heading', { name: 'Analytics destinations' }).waitFor();
  await s.page.getByLabel('Google Analytics 4 (Measurement Protocol)').check();
  await s.page.getByLabel('Measurement ID').fill('G-ABC1234');
  await s.page.getByLabel('Measurement Protocol API secret').fill('s3cret-value-1');
  await s.page.getByLabel('A chat is missed when no agent answers within (minutes)').fill('10');
  await s.page.getByRole('button', { name: 'Save analytics destinations' }).click();
  await s.page.getByText('Analytics destinations saved').waitFor();
  assert.equal(saved[0], { missedAfterMinutes: 10, ga4: { measurementId: 'G-ABC1234', apiSecret: 's3cret-value-1' }, bigquery: null });
  assert.is(await s.page.getByLabel('Measurement Protocol API secret').inputValue(), '', 'the secret input is cleared');
  assert.ok(await s.page.getByText('Stored; never shown again. Leave empty to keep it.').isVisible());
  assert.ok(await s.page.getByText('Sent 12 events, dropped 0, 0 batches waiting to be retried.').isVisible());
});

for (const theme of ['light', 'dark'] as const) {
  test(`the site-wide chat report shows totals, charts and the projects (${theme})`, async () => {
    const s = await admin(undefined, {}, theme);
    await s.page.getByRole('heading', { name: 'Chat reports (all projects)' }).waitFor();
    await s.page.locator('.report .tiles').waitFor();
    const r = siteReport((await s.waitForInvoke('reports.site')) as { from: string; to: string });
    assert.is(await s.page.locator('[data-tile="Chats"]').textContent(), String(r.totals.chats));
    assert.is(await s.page.locator('.projects-report tr[data-key="SUP"] td').first().textContent(), String(r.totals.chats));
    assert.is(await s.page.locator('.report canvas').count(), 2);
    await s.page.getByRole('heading', { name: 'Chat reports (all projects)' }).scrollIntoViewIfNeeded();
    await s.screenshot(`site-report-${theme}`);
  });
}

test.run();
