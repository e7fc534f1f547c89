/**
 * Analytics end to end: the app, unmodified in the local Forge host, with an admin who
 * configured GA4 and BigQuery (pointed at local fakes that follow Google's request shapes).
 * A scripted conversation full of marker text and personal data, with the widget views the
 * presence service counted (webtrigger `usage`), produces the documented events at both fakes, and not one byte of the markers, names, emails, account ids or
 * issue keys. With the switch off, the fakes receive no request at all.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld, type World } from './__fixtures__/world.js';
import { startFakeGoogle, type FakeGoogle } from './__fixtures__/fake-google.js';

const MARKER = 'ZEBRA-MARKER-7f3a';
const NAME = `Marta ${MARKER} Quist`;
const EMAIL = 'marta.quist.marker@example.org';
const CALLER = 'v:' + 'a7'.repeat(16);

const A = suite<{ w: World; g: FakeGoogle }>('analytics');

A.before(async (ctx) => {
  ctx.w = await startWorld();
  ctx.g = await startFakeGoogle();
});
A.after(async ({ w, g }) => {
  await w.close();
  await g.close();
});

let n = 0;
const id = (p: string) => `${p}-${String(++n).padStart(8, '0')}`;

/** A whole chat: start, a customer message and a file, an agent reply, a close. */
async function conversation(w: World): Promise<{ key: string; customer: string }> {
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: id('an-start'),
    caller: CALLER,
    channel: 'web',
    customer: { name: NAME, email: EMAIL, verified: false },
    prechatFields: { phone: '+44 7700 900123', order: MARKER },
    text: `Hello ${MARKER} my card is 4111 1111 1111 1111`,
  });
  assert.is(s.status, 200, JSON.stringify(s.body));
  const key = s.body.conversationId as string;
  const customer = s.body.customerAccountId as string;
  const m = await w.inbound({
    type: 'message.customer',
    conversationId: key,
    customerAccountId: customer,
    clientMsgId: id('an-msg'),
    caller: CALLER,
    text: `second ${MARKER}`,
  });
  assert.is(m.status, 200, JSON.stringify(m.body));
  await w.resolve('chat.send', { issueKey: key, clientMsgId: id('an-agent'), text: `Hi ${NAME}, agent here ${MARKER}` }, w.people.alice);
  await w.resolve('chat.close', { issueKey: key }, w.people.alice);
  await w.host.idle();
  return { key, customer };
}

/** What the presence service forwards for the widget's `view` frames: counts per project. */
function widgetViews(w: World, loaded: number, opened: number) {
  return w.inbound({ type: 'usage', counts: [{ projectKey: 'SUP', loaded, opened }] });
}

async function configure(w: World, g: FakeGoogle): Promise<void> {
  const v = await w.resolve(
    'analytics.save',
    {
      missedAfterMinutes: 5,
      ga4: { measurementId: g.measurementId, endpoint: g.url, apiSecret: g.apiSecret },
      bigquery: { projectId: 'demo-project', datasetId: 'chat_analytics', tableId: 'events', endpoint: g.url, serviceAccountKey: g.serviceAccountKey },
    },
    w.people.ada,
    'chat-admin',
  );
  assert.is(v.ga4.configured, true);
  assert.is(v.bigquery.configured, true);
  assert.is(v.bigquery.clientEmail, 'chat-analytics@demo-project.iam.gserviceaccount.com');
  assert.not.ok(JSON.stringify(v).includes(g.apiSecret), 'the api secret is write-only');
  assert.not.ok(JSON.stringify(v).includes('PRIVATE KEY'), 'the key is write-only');
}

A('only a Jira admin may read or change analytics settings', async ({ w }) => {
  for (const [fn, payload] of [
    ['analytics.load', {}],
    ['analytics.save', { missedAfterMinutes: 5, ga4: null, bigquery: null }],
  ] as const) {
    try {
      await w.resolve(fn, payload, w.people.alice, 'chat-admin');
      assert.unreachable(fn);
    } catch (e) {
      assert.match(String(e), 'forbidden');
    }
  }
});

A('with GA4 and BigQuery configured, a conversation produces the documented events at both, with no content or personal data', async ({ w, g }) => {
  await w.resolve('admin.saveSettings', { analytics: true }, w.people.ada, 'chat-admin');
  await configure(w, g);
  const views = await widgetViews(w, 3, 2);
  assert.equal(views, { status: 200, body: { recorded: true } });
  const { key, customer } = await conversation(w);

  const names = g.ga4Events.map((e) => e.name);
  for (const want of ['widget_loaded', 'chat_opened', 'chat_started', 'chat_message', 'first_response', 'chat_closed'])
    assert.ok(names.includes(want), `GA4 got ${want}: ${names.join(',')}`);
  assert.is(names.filter((x) => x === 'chat_message').length, 3, 'two customer messages and one agent reply');
  // The widget's counts: one event per project and interval, with the count, and no visitor or conversation.
  const loaded = g.ga4Events.find((e) => e.name === 'widget_loaded')!;
  const opened = g.ga4Events.find((e) => e.name === 'chat_opened')!;
  assert.is(loaded.params.count, 3);
  assert.is(opened.params.count, 2);
  assert.is(loaded.params.conversation_id, undefined);
  assert.is(loaded.client_id, loaded.params.project_id, 'the project is the client of a count event');
  const chatEvents = g.ga4Events.filter((e) => e.name !== 'widget_loaded' && e.name !== 'chat_opened');
  const first = g.ga4Events.find((e) => e.name === 'first_response');
  assert.type(first?.params.seconds, 'number');
  assert.match(String(first?.params.agent_id), /^[0-9a-f]{32}$/);
  // One pseudonymous client for the whole conversation; the same conversation id on every event.
  assert.is(new Set(chatEvents.map((e) => e.client_id)).size, 1);
  assert.is(new Set(chatEvents.map((e) => e.params.conversation_id)).size, 1);

  const table = g.tables.get('demo-project.chat_analytics.events');
  assert.ok(table, 'the app created the table');
  assert.equal(table.schema.map((f) => f.name).slice(0, 3), ['event_id', 'event_name', 'event_time']);
  assert.equal(table.rows.map((r) => r.event_name).sort(), [...names].sort(), 'BigQuery holds the same events');
  const loadedRow = table.rows.find((r) => r.event_name === 'widget_loaded')!;
  assert.is(loadedRow.count, 3);
  assert.is(loadedRow.visitor_id, null);
  assert.is(loadedRow.conversation_id, null);

  // Every byte that left, URLs and bodies: no marker, name, email, phone, account id or issue key.
  const secrets = [MARKER, 'Marta', 'Quist', EMAIL, 'marta.quist', '7700 900123', '4111', customer, w.people.alice, key, 'SUP-'];
  const traffic = g.requests
    .map((r) => `${r.url}\n${r.body}`)
    .filter((t) => !t.includes('grant_type'))
    .join('\n');
  for (const s of secrets) assert.not.ok(traffic.includes(s), `"${s}" left in an analytics request`);
  // GA4's validation endpoint accepts every body the app sent.
  const ga4 = g.requests.filter((r) => r.url.startsWith('/mp/collect'));
  assert.ok(ga4.length > 0);
  for (const r of ga4) {
    const res = await fetch(`${g.url}/debug${r.url}`, { method: 'POST', body: r.body });
    assert.equal(((await res.json()) as { validationMessages: unknown[] }).validationMessages, []);
  }
  const counters = (await w.resolve('analytics.load', {}, w.people.ada, 'chat-admin')) as {
    ga4: { counters: { sent: number } };
    bigquery: { counters: { sent: number } };
  };
  assert.is(counters.ga4.counters.sent, g.ga4Events.length);
  assert.is(counters.bigquery.counters.sent, table.rows.length);
});

A('a sink that is down gets the events later: parked in Forge storage, sent by the next invocation', async ({ w, g }) => {
  g.down = true;
  const before = g.ga4Events.length;
  await conversation(w);
  const parked = (await w.resolve('analytics.load', {}, w.people.ada, 'chat-admin')) as { ga4: { counters: { parked: number; lastError: string | null } } };
  assert.ok(parked.ga4.counters.parked > 0, 'parked while down');
  assert.match(String(parked.ga4.counters.lastError), /503|unavailable/);
  g.down = false;
  await conversation(w);
  const after = (await w.resolve('analytics.load', {}, w.people.ada, 'chat-admin')) as { ga4: { counters: { parked: number; dropped: number } } };
  assert.is(
    g.ga4Events.filter((e) => e.name === 'chat_started').length - g.ga4Events.slice(0, before).filter((e) => e.name === 'chat_started').length,
    2,
    'both conversations arrived',
  );
  assert.is(after.ga4.counters.dropped, 0);
});

A('a chat still unanswered past the threshold gets chat_missed from the hourly sweep, once', async ({ w, g }) => {
  const missed = () => g.ga4Events.filter((e) => e.name === 'chat_missed').length;
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: id('an-wait'),
    caller: CALLER,
    channel: 'web',
    customer: { name: NAME, email: EMAIL, verified: false },
    text: 'anyone there?',
  });
  const key = s.body.conversationId as string;
  const stats = await w.rest('app', 'GET', `/rest/api/3/issue/${key}/properties/chat.stats`);
  // Started ten minutes ago (the threshold is five).
  await w.rest('app', 'PUT', `/rest/api/3/issue/${key}/properties/chat.stats`, {
    ...stats.body.value,
    started: new Date(Date.now() - 10 * 60_000).toISOString(),
  });
  const before = missed();
  // Search lags writes: sweep until the chat is found (each run is idempotent).
  for (let i = 0; i < 50 && missed() === before; i++) {
    await w.host.fireScheduledTrigger('missed-chats');
    if (missed() === before) await new Promise((r) => setTimeout(r, 100));
  }
  assert.is(missed(), before + 1);
  await w.host.fireScheduledTrigger('missed-chats');
  await w.resolve('chat.send', { issueKey: key, clientMsgId: id('an-late'), text: 'sorry for the wait' }, w.people.bob);
  await w.resolve('chat.close', { issueKey: key }, w.people.bob);
  await w.host.idle();
  assert.is(missed(), before + 1, 'neither the second sweep, the late answer nor the close repeats it');
});

A('with analytics switched off, the fakes receive zero requests and nothing is parked', async ({ w, g }) => {
  await w.resolve('admin.saveSettings', { analytics: false }, w.people.ada, 'chat-admin');
  g.requests.length = 0;
  g.down = true; // would park anything that tried to leave
  await conversation(w);
  await conversation(w);
  assert.equal(await widgetViews(w, 7, 4), { status: 200, body: { recorded: false } }, 'the counts are dropped at once');
  await w.host.fireScheduledTrigger('missed-chats');
  g.down = false;
  assert.is(g.requests.length, 0, 'no request reached GA4, BigQuery or the token endpoint');
  const v = (await w.resolve('analytics.load', {}, w.people.ada, 'chat-admin')) as {
    enabled: boolean;
    ga4: { counters: { parked: number } };
    bigquery: { counters: { parked: number } };
  };
  assert.is(v.enabled, false);
  assert.is(v.ga4.counters.parked, 0);
  assert.is(v.bigquery.counters.parked, 0);
  const admin = await w.resolve('admin.load', {}, w.people.ada, 'chat-admin');
  assert.is(admin.analytics, false);
});

A('a BigQuery table an earlier version created is patched to the current schema before count events go in', async ({ w, g }) => {
  await w.resolve('admin.saveSettings', { analytics: true }, w.people.ada, 'chat-admin');
  // The schema of the first version: visitor and conversation REQUIRED, no count column.
  const old = [
    ...['event_id', 'event_name'].map((name) => ({ name, type: 'STRING', mode: 'REQUIRED' })),
    { name: 'event_time', type: 'TIMESTAMP', mode: 'REQUIRED' },
    ...['visitor_id', 'conversation_id', 'project_id', 'channel'].map((name) => ({ name, type: 'STRING', mode: 'REQUIRED' })),
    ...['agent_id', 'sender'].map((name) => ({ name, type: 'STRING', mode: 'NULLABLE' })),
    { name: 'attachment', type: 'BOOLEAN', mode: 'NULLABLE' },
    ...['seconds', 'rating'].map((name) => ({ name, type: 'INTEGER', mode: 'NULLABLE' })),
  ];
  g.tables.set('demo-project.chat_analytics.events_v1', { schema: old, rows: [], insertIds: new Set() });
  await w.resolve(
    'analytics.save',
    {
      missedAfterMinutes: 5,
      ga4: null,
      bigquery: { projectId: 'demo-project', datasetId: 'chat_analytics', tableId: 'events_v1', endpoint: g.url, serviceAccountKey: g.serviceAccountKey },
    },
    w.people.ada,
    'chat-admin',
  );
  assert.equal(await widgetViews(w, 1, 1), { status: 200, body: { recorded: true } });
  const table = g.tables.get('demo-project.chat_analytics.events_v1')!;
  assert.equal(table.rows.map((r) => [r.event_name, r.count]).sort(), [
    ['chat_opened', 1],
    ['widget_loaded', 1],
  ]);
  assert.is(table.schema.find((f) => f.name === 'visitor_id')?.mode, 'NULLABLE');
});

A.run();
