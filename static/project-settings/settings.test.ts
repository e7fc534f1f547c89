import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProjectChatConfig } from '../../src/protocol/model.js';
import type { ResolverResponse } from '../../src/protocol/resolvers.js';
import { uiSessions, type Handlers, type UiSession } from '../ui-kit/testing/harness.js';

type Load = ResolverResponse<'projectSettings.load'>;
const context = {
  accountId: 'admin-1',
  locale: 'en-US',
  extension: { type: 'jira:projectSettingsPage', project: { key: 'SUP', id: '10000', type: 'service_desk' } },
};

const config: ProjectChatConfig = {
  projectKey: 'SUP',
  projectId: '10000',
  serviceDeskId: '1',
  requestTypeId: '11',
  enabled: true,
  widgetId: 'w_abcdefghij12',
  allowedOrigins: ['https://www.example.com'],
  widget: {
    teamName: 'Acme Support',
    color: '#0052CC',
    position: 'right',
    greeting: 'Hi! How can we help?',
    offlineText: 'We are away.',
    locale: 'auto',
    requireName: true,
    requireEmail: true,
    prechatFields: [],
    attachments: true,
  },
  widgetShows: 'always',
  hoursZone: 'project',
  schedule: {
    timeZone: 'Europe/Berlin',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    exceptions: [],
  },
  verification: 'off',
  assignment: { mode: 'off', capacity: 3, capacities: {} },
  hasIdentitySecret: false,
  updatedAt: '2026-11-01T10:00:00.000Z',
};

function load(over: Partial<Load> = {}): Load {
  return {
    canEdit: true,
    config,
    requestTypes: [
      { id: '11', name: 'Get help' },
      { id: '12', name: 'Report a bug' },
    ],
    serviceDeskId: '1',
    projectId: '10000',
    agents: [
      { accountId: 'agent-1', name: 'Grace Hopper', status: 'online', available: true, lastSeen: null, forcedOffline: false, schedule: null },
      { accountId: 'agent-2', name: 'Alan Turing', status: 'offline', available: false, lastSeen: null, forcedOffline: true, schedule: null },
    ],
    embedSnippet: '<script src="https://presence.example.com/widget.js" data-widget="w_abcdefghij12" async></script>',
    ...over,
  };
}

const openSession = uiSessions(test);

async function settings(l: Load = load(), extra: Handlers = {}, theme: 'light' | 'dark' = 'light'): Promise<UiSession> {
  const s = await openSession('project-settings', {
    context,
    theme,
    viewport: { width: 960, height: 900 },
    handlers: {
      'projectSettings.load': () => l,
      'projectSettings.save': (p) => ({
        config: { ...p.config, widgetId: 'w_abcdefghij12', hasIdentitySecret: false, updatedAt: new Date().toISOString() } as ProjectChatConfig,
        embedSnippet: '<script>new</script>',
      }),
      'projectSettings.rotateSecret': () => ({ secret: 'sec_0123456789abcdefghijklmnopqrstuv' }),
      'projectSettings.forceOffline': (p) => ({ agent: { accountId: p.accountId, status: 'offline', available: false, lastSeen: null, forcedOffline: true } }),
      'projectSettings.saveAgentSchedule': (p) => ({ schedule: p.schedule ? { ...p.schedule, exceptions: p.schedule.exceptions ?? [] } : null }),
      'cannedReplies.list': () => ({ replies: [{ id: 'greeting', title: 'Greeting', text: 'Hi {customer.firstName}!' }], canEdit: true }),
      'cannedReplies.save': (p) => ({ replies: p.replies }),
      ...extra,
    },
  });
  await s.page.getByRole('heading', { name: 'Chat settings' }).waitFor();
  return s;
}

test('saves a changed colour and an added website origin', async () => {
  const s = await settings();
  await s.page.getByLabel('Colour (hex)').fill('#FF5630');
  await s.page.getByLabel('Website origin').fill('https://shop.example.org/');
  await s.page.getByRole('button', { name: 'Add website' }).click();
  await s.page.getByText('https://shop.example.org', { exact: true }).waitFor();
  await s.page.getByRole('button', { name: 'Save' }).click();
  const p = await s.waitForInvoke('projectSettings.save');
  assert.is(p.projectKey, 'SUP');
  assert.is(p.config.widget?.color, '#FF5630');
  assert.equal(p.config.allowedOrigins, ['https://www.example.com', 'https://shop.example.org']);
  assert.is(p.config.requestTypeId, '11');
  await s.page.getByText('Chat settings saved').first().waitFor();
  await s.page.getByText('<script>new</script>').waitFor();
  await s.screenshot('saved');
});

test('a bad origin is refused with a message next to the field', async () => {
  const s = await settings();
  for (const bad of ['not a url', 'ftp://files.example.com', 'https://example.com/path']) {
    await s.page.getByLabel('Website origin').fill(bad);
    await s.page.getByRole('button', { name: 'Add website' }).click();
    const msg = s.page.locator('#origin-input-error');
    await msg.waitFor();
    assert.is(await msg.textContent(), 'Enter a website origin such as https://www.example.com');
    assert.is(await s.page.getByLabel('Website origin').getAttribute('aria-invalid'), 'true');
  }
  assert.is(await s.page.locator('.origins li').count(), 1);
  await s.screenshot('bad-origin');
});

test('invalid fields block saving and show messages beside them', async () => {
  const s = await settings();
  await s.page.getByLabel('Colour (hex)').fill('blue');
  await s.page.getByLabel('Team name').fill('');
  await s.page.getByLabel('Monday To').fill('08:00');
  await s.page.getByRole('button', { name: 'Save' }).click();
  await s.page.getByText('Fix the 3 fields marked below, then save again.').waitFor();
  assert.ok(await s.page.getByText('Enter a colour as #RRGGBB').isVisible());
  assert.ok(await s.page.getByText('Enter a team name of at most 80 characters').isVisible());
  assert.ok(await s.page.getByText('The end must be after the start').isVisible());
  assert.is(s.invoked('projectSettings.save').length, 0);
  await s.screenshot('errors');
});

test('schedule editor: zone, added interval and a closed exception date are saved', async () => {
  const s = await settings();
  await s.page.getByLabel('Time zone').selectOption('America/New_York');
  await s.page.getByRole('button', { name: 'Add hours on Tuesday' }).click();
  await s.page.getByRole('button', { name: 'Add date' }).click();
  await s.page.getByLabel('Date', { exact: true }).fill('2026-12-24');
  await s.page.getByLabel('Note').fill('Christmas Eve');
  await s.page.getByLabel('Read the hours in').selectOption('visitor');
  await s.page.getByLabel('When the widget shows').selectOption('when-answered');
  await s.page.getByRole('button', { name: 'Save' }).click();
  const p = await s.waitForInvoke('projectSettings.save');
  assert.is(p.config.schedule?.timeZone, 'America/New_York');
  assert.equal(p.config.schedule?.weekly.tue, [{ start: '09:00', end: '17:00' }]);
  assert.equal(p.config.schedule?.exceptions, [{ date: '2026-12-24', intervals: [], label: 'Christmas Eve' }]);
  assert.is(p.config.hoursZone, 'visitor');
  assert.is(p.config.widgetShows, 'when-answered');
  assert.not.ok('visibility' in p.config, 'the old mixed setting is never written again');
});

test('pre-chat questions can be added and removed', async () => {
  const s = await settings();
  await s.page.getByRole('button', { name: 'Add question' }).click();
  await s.page.getByRole('textbox', { name: 'Question' }).fill('Order number');
  await s.page.getByRole('checkbox', { name: 'Required', exact: true }).check();
  await s.page.getByLabel('Ask for the name (required)').uncheck();
  await s.page.getByRole('button', { name: 'Save' }).click();
  const p = await s.waitForInvoke('projectSettings.save');
  assert.is(p.config.widget?.requireName, false);
  assert.is(p.config.widget?.prechatFields?.length, 1);
  assert.is(p.config.widget?.prechatFields?.[0]?.label, 'Order number');
  assert.is(p.config.widget?.prechatFields?.[0]?.required, true);
  await s.page.getByRole('button', { name: 'Remove question Order number' }).click();
  await s.page.getByRole('button', { name: 'Save' }).click();
  const p2 = await s.waitForInvoke('projectSettings.save', 2);
  assert.equal(p2.config.widget?.prechatFields, []);
});

test('a rotated secret is shown once in a dismissible box', async () => {
  const s = await settings();
  await s.page.getByRole('button', { name: 'Create new secret' }).click();
  await s.page.getByText('sec_0123456789abcdefghijklmnopqrstuv').waitFor();
  assert.ok(await s.page.getByText('It will not be shown again.', { exact: false }).isVisible());
  await s.screenshot('secret');
  await s.page.getByRole('button', { name: 'Done' }).click();
  assert.is(await s.page.getByText('sec_0123456789abcdefghijklmnopqrstuv').count(), 0);
  assert.ok(await s.page.getByText('A secret is set.').isVisible());
  // replacing an existing secret asks first
  await s.page.getByRole('button', { name: 'Create new secret' }).click();
  await s.page.getByText('Your website must switch to the new secret', { exact: false }).waitFor();
  assert.is(s.invoked('projectSettings.rotateSecret').length, 1);
  await s.page.getByRole('button', { name: 'Replace secret' }).click();
  await s.page.getByText('It will not be shown again.', { exact: false }).waitFor();
  assert.is(s.invoked('projectSettings.rotateSecret').length, 2);
});

test('agents: force offline and personal hours call their resolvers', async () => {
  const s = await settings();
  const grace = s.page.locator('li.agent', { hasText: 'Grace Hopper' });
  await grace.getByRole('button', { name: 'Force offline' }).click();
  assert.equal(await s.waitForInvoke('projectSettings.forceOffline'), { projectKey: 'SUP', accountId: 'agent-1' });
  await grace.getByText('Set offline by an admin').waitFor();
  await grace.getByRole('button', { name: 'Personal hours' }).click();
  await grace.getByLabel('Use opening hours').check();
  await grace.getByRole('button', { name: 'Save hours' }).click();
  const p = await s.waitForInvoke('projectSettings.saveAgentSchedule');
  assert.is(p.accountId, 'agent-1');
  assert.equal(p.schedule?.weekly.mon, [{ start: '09:00', end: '17:00' }]);
});

test('an agent who is not online is found in Jira by name and gets personal hours', async () => {
  const s = await settings(undefined, {
    'projectSettings.findAgents': (p) => ({
      agents: p.query.toLowerCase().startsWith('ad')
        ? [
            { accountId: 'agent-9', name: 'Ada Offline' },
            { accountId: 'agent-1', name: 'Grace Hopper' },
          ]
        : [],
    }),
  });
  await s.page.getByLabel('Set hours for another agent').fill('Ad');
  const add = s.page.getByRole('button', { name: 'Add Ada Offline' });
  await add.waitFor();
  assert.is(await s.page.getByRole('button', { name: 'Add Grace Hopper' }).count(), 0, 'agents already listed are not offered again');
  assert.equal(s.invoked('projectSettings.findAgents').at(-1), { projectKey: 'SUP', query: 'Ad' });
  await add.click();
  const ada = s.page.locator('li.agent', { hasText: 'Ada Offline' });
  await ada.getByRole('button', { name: 'Personal hours' }).click();
  await ada.getByLabel('Use opening hours').check();
  await ada.getByRole('button', { name: 'Save hours' }).click();
  const saved = await s.waitForInvoke('projectSettings.saveAgentSchedule');
  assert.is(saved.accountId, 'agent-9');
  await s.page.getByLabel('Set hours for another agent').fill('zz');
  await s.page.getByText('No agent of this project matches.').waitFor();
  await s.screenshot('find-agent');
});

test('the reopen window is chosen in the settings and saved with the configuration', async () => {
  const s = await settings();
  const select = s.page.getByLabel('A closed chat reopens when the customer writes within');
  assert.is(await select.inputValue(), '1440', 'one day unless chosen');
  await select.selectOption({ label: '7 days' });
  await s.page.getByRole('button', { name: 'Save' }).click();
  const saved = await s.waitForInvoke('projectSettings.save');
  assert.is(saved.config.reopenWindowMinutes, 7 * 24 * 60);
});

test('read-only for people who may not edit: notice, disabled fields, no save', async () => {
  const s = await settings(load({ canEdit: false }));
  await s.page.getByText('Only project administrators can change them.', { exact: false }).waitFor();
  assert.ok(await s.page.getByLabel('Colour (hex)').isDisabled());
  assert.ok(await s.page.getByLabel('Website origin').isDisabled());
  assert.is(await s.page.getByRole('button', { name: 'Save', exact: true }).count(), 0);
  assert.is(await s.page.getByRole('button', { name: 'Force offline' }).count(), 0);
  await s.screenshot('read-only');
});

test('first setup without a saved config saves contract-valid defaults', async () => {
  const s = await settings(load({ config: null, embedSnippet: null }), {}, 'dark');
  await s.page.getByText('Save the settings once to get the snippet.').waitFor();
  await s.page.getByLabel('Request type for new chats').selectOption('12');
  await s.page.getByRole('button', { name: 'Save' }).click();
  const p = await s.waitForInvoke('projectSettings.save');
  assert.is(p.config.requestTypeId, '12');
  assert.is(p.config.serviceDeskId, '1');
  await s.page.getByText('<script>new</script>').waitFor();
  await s.screenshot('first-setup-dark');
});

/** Sunday 2026-01-04 19:00 in Berlin, frozen: the "hours Mon-Fri on a Sunday evening". */
const SUNDAY_EVENING = `(() => {
  const fixed = Date.parse('2026-01-04T18:00:00Z');
  const Real = Date;
  class Frozen extends Real { constructor(...a) { super(...(a.length ? a : [fixed])); } static now() { return fixed; } }
  window.Date = Frozen;
})();`;

test('automatic assignment: least busy with a default capacity and one agent’s own, saved with the settings', async () => {
  const s = await settings();
  const { page } = s;
  assert.is(await page.getByLabel('Open chats per agent').count(), 0, 'no capacity while assignment is off');
  await page.getByLabel('Assign new chats').selectOption('least_busy');
  await page.getByLabel('Open chats per agent').fill('2');
  await page.getByLabel('Open chats for Alan Turing (empty: the default, 0: never)').fill('0');
  await page.getByLabel('Open chats for Alan Turing (empty: the default, 0: never)').blur();
  await page.getByRole('heading', { name: 'Automatic assignment' }).scrollIntoViewIfNeeded();
  await s.screenshot('assignment');
  await page.getByRole('button', { name: 'Save' }).click();
  const saved = await s.waitForInvoke('projectSettings.save');
  assert.equal(saved.config.assignment, { mode: 'least_busy', capacity: 2, capacities: { 'agent-2': 0 } });
});

test('canned replies: an admin edits one, adds one and saves the list on its own', async () => {
  const s = await settings();
  const { page } = s;
  await page.getByRole('heading', { name: 'Canned replies' }).scrollIntoViewIfNeeded();
  assert.is(await page.getByLabel('Title of reply 1').inputValue(), 'Greeting');
  await page.getByLabel('Text of reply 1').fill('Hi {customer.firstName}, {agent.name} here.');
  await page.getByRole('button', { name: 'Add reply' }).click();
  assert.ok(await page.getByRole('button', { name: 'Update replies' }).isDisabled(), 'an empty reply cannot be saved');
  await page.getByLabel('Title of reply 2').fill('Refunds');
  await page.getByLabel('Text of reply 2').fill('Refunds take 5 working days.');
  await page.getByRole('button', { name: 'Update replies' }).click();
  const saved = await s.waitForInvoke('cannedReplies.save');
  assert.equal(
    saved.replies.map((r) => [r.title, r.text]),
    [
      ['Greeting', 'Hi {customer.firstName}, {agent.name} here.'],
      ['Refunds', 'Refunds take 5 working days.'],
    ],
  );
  assert.is(saved.projectKey, 'SUP');
  await page.getByText('Canned replies updated.').waitFor();
  assert.is(s.invoked('projectSettings.save').length, 0, 'the widget settings are not saved with them');
  await s.screenshot('saved-replies');
});

for (const theme of ['light', 'dark'] as const) {
  test(`availability (${theme}): one section, the rule in words, and a live preview sentence that follows the draft`, async () => {
    const s = await openSession('project-settings', {
      context,
      theme,
      viewport: { width: 960, height: 900 },
      initScript: SUNDAY_EVENING,
      handlers: { 'projectSettings.load': () => load(), 'cannedReplies.list': () => ({ replies: [], canEdit: true }) },
    });
    const sentence = s.page.getByTestId('availability-preview');
    // Hours Mon 09-17 (Berlin) on a Sunday evening with Grace online: away until Monday, even though the widget always shows.
    await sentence.filter({ hasText: 'Now: away — back Monday at 09:00' }).waitFor();
    await s.page.getByRole('heading', { name: 'Availability' }).scrollIntoViewIfNeeded();
    await s.screenshot(`availability-preview-${theme}`);
    await s.page.getByLabel('When the widget shows').selectOption('when-answered');
    await sentence.filter({ hasText: 'Now: away — back Monday at 09:00 (the widget is hidden)' }).waitFor();
    await s.page.getByLabel('Use opening hours').uncheck();
    await sentence.filter({ hasText: 'Now: online — 1 agent available' }).waitFor();
    assert.is(await s.page.getByText('Always', { exact: true }).count(), 0, 'no mode that ignores hours');
  });
}

test('a configuration saved with the old "visibility" opens migrated and saves the new fields', async () => {
  const legacy = { ...config, visibility: 'hide-when-unavailable' } as Record<string, unknown>;
  delete legacy.widgetShows;
  delete legacy.hoursZone;
  const s = await settings(load({ config: legacy as ProjectChatConfig }));
  assert.is(await s.page.getByLabel('When the widget shows').inputValue(), 'when-answered');
  await s.page.getByRole('button', { name: 'Save' }).click();
  const p = await s.waitForInvoke('projectSettings.save');
  assert.is(p.config.widgetShows, 'when-answered');
  assert.is(p.config.hoursZone, 'project');
});

test.run();
