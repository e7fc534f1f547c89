import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../testing/harness.js';

const R = suite<{ h: Harness }>('Forge Remote endpoints');
R.before(async (ctx) => {
  ctx.h = await startHarness();
});
R.after(async (ctx) => ctx.h.close());

R('refuses a call without a FIT with 401', async ({ h }) => {
  const res = await fetch(`${h.service.url}/forge/v1/status`, { method: 'POST', body: '{}' });
  assert.is(res.status, 401);
  assert.is((await res.json()).error.code, 'unauthenticated');
});

for (const [what, claims] of [
  ['another app (bad aud)', { aud: 'ari:cloud:ecosystem::app/someone-else' }],
  ['an expired token', { expSec: -60 }],
  ['a token signed with a key not in the JWKS', { key: 'wrong' as const }],
  ['a token from another issuer', { iss: 'someone' }],
] as const) {
  R(`refuses ${what} with 401`, async ({ h }) => {
    const token = await h.forge.sign({ installationId: 'cloud-a', accountId: 'admin-1', ...claims });
    const r = await h.remote('status', {}, { token });
    assert.is(r.status, 401);
    assert.is(r.body.error.code, 'unauthenticated');
  });
}

R('accepts a backend token exactly as documented for link, status and every backend call, keyed by app.installation.id', async ({ h }) => {
  // The claim set of a backend invocation in "Forge Remote essentials": app.* and
  // app.installation.*, module core:endpoint, no context, no principal.
  const installationId = '0a3a7799-53ae-4a5b-9e7e-03338980abb5';
  const token = await h.forge.sign({ installationId });
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
  assert.equal([payload.context, payload.principal, payload.app.module.type], [undefined, undefined, 'core:endpoint']);
  const link = await h.remote('link', { webtriggerUrl: h.app.url }, { token, installationId });
  assert.is(link.status, 200);
  const status = await h.remote('status', {}, { token });
  assert.equal([status.status, status.body.linked], [200, true]);
  const stored = (await h.service.store.kv.get('tenant:0a3a7799-53ae-4a5b-9e7e-03338980abb5:link')) as { site: { name: string } } | null;
  assert.ok(stored, 'stored under the installation id');
  assert.is(stored!.site.name, 'ari:cloud:jira::site/site-cloud-id', 'the site comes from app.installation.contexts');
  for (const [name, body] of [
    ['project-config.get', { projectKey: 'SUP' }],
    ['presence.get', { projectKey: 'SUP' }],
    ['presence.set', { projectKey: 'SUP', status: 'offline', accountId: 'agent-3', forced: true }],
    ['agent-schedule.get', { projectKey: 'SUP', accountId: 'agent-3' }],
    ['customer-presence', { conversationIds: ['SUP-1'] }],
    ['settings.put', { analytics: true }],
    ['whatsapp.get', {}],
    ['conversation-activity', { activity: { projectKey: 'SUP', conversationId: 'SUP-1', kind: 'closed', at: new Date().toISOString() } }],
  ] as const) {
    const r = await h.remote(name, body, { token });
    assert.is(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
  }
});

R('a page (frontend token) may call only agent-ticket and its own presence.set; the user comes from principal, the projects from the grant', async ({ h }) => {
  const page = { accountId: 'agent-4' };
  const config = await h.remote('project-config.get', { projectKey: 'SUP' }, page);
  assert.is(config.status, 403, 'backend-only calls refuse a page');
  const other = await h.remote('presence.set', { projectKey: 'SUP', status: 'offline', accountId: 'agent-3', forced: true }, page);
  assert.is(other.status, 403, 'a page may not name another account');
  const noGrant = await h.remote('presence.set', { projectKey: 'SUP', status: 'online' }, page);
  assert.is(noGrant.status, 400);
  const own = await h.remote('presence.set', { projectKey: 'SUP', status: 'away', grant: h.grant('agent-4', ['SUP']) }, page);
  assert.equal([own.status, own.body.agent.accountId, own.body.agent.status], [200, 'agent-4', 'away']);
  const notMine = await h.remote('presence.set', { projectKey: 'OPS', status: 'away', grant: h.grant('agent-4', ['SUP']) }, page);
  assert.is(notMine.status, 403, 'the grant does not name OPS');
  const selfFromBackend = await h.remote('presence.set', { projectKey: 'SUP', status: 'online', grant: h.grant('agent-4', ['SUP']) });
  assert.is(selfFromBackend.status, 401, 'own status needs the user: a backend token has none');
});

R('a token without the documented installation claims is refused with 401 naming the claim', async ({ h }) => {
  const token = await h.forge.sign({ installationId: 'cloud-a', app: { installation: undefined } });
  const r = await h.remote('status', {}, { token });
  assert.is(r.status, 401);
  assert.match(r.body.error.message, 'app.installation');
});

R('status answers with the link state and store kind', async ({ h }) => {
  const r = await h.remote('status', {});
  assert.is(r.status, 200);
  assert.is(r.body.linked, true);
  assert.is(r.body.store, 'embedded');
  assert.is(r.body.analytics, true);
  const other = await h.remote('status', {}, { installationId: 'cloud-zzz' });
  assert.is(other.body.linked, false);
});

R('a body that fails the schema gets 400 naming the field', async ({ h }) => {
  const r = await h.remote('presence.get', { projectKey: 'lower' });
  assert.is(r.status, 400);
  assert.is(r.body.error.code, 'invalid');
  assert.match(r.body.error.message, /^projectKey: /);
});

R('an unknown call gets 404', async ({ h }) => {
  const r = await h.remote('launch', {});
  assert.is(r.status, 404);
});

R('link answers a fresh 256-bit secret each time', async ({ h }) => {
  const a = await h.remote('link', { webtriggerUrl: h.app.url });
  const b = await h.remote('link', { webtriggerUrl: h.app.url });
  assert.ok(Buffer.from(a.body.secret, 'base64url').length >= 32);
  assert.is.not(a.body.secret, b.body.secret);
  h.app.secret = b.body.secret;
});

R('project-config.put generates a widget id once and keeps it', async ({ h }) => {
  const again = await h.projectConfig({ widget: { teamName: 'Helpers' } });
  assert.is(again.widgetId, h.widgetId);
  assert.is(again.widget.teamName, 'Helpers');
  const c = await h.customer();
  assert.is(c.authOk.config.teamName, 'Helpers');
  await c.close();
});

R('a saved colour reaches open widgets at once (config frame), and old "visibility" configs are migrated', async ({ h }) => {
  const c = await h.customer();
  await h.projectConfig({ widget: { teamName: 'Support', color: '#FF5630' } });
  const pushed = await c.next('config');
  assert.is(pushed.config.color, '#FF5630');
  const legacy = await h.projectConfig({ visibility: 'hide-when-unavailable', schedule: null } as Record<string, unknown>);
  assert.is(legacy.widgetShows, 'when-answered');
  assert.not.ok('visibility' in legacy);
  await c.close();
});

R('WhatsApp credentials are stored encrypted and never returned', async ({ h }) => {
  const put = await h.remote('whatsapp.put', {
    projectKey: 'SUP',
    phoneNumberId: '123456',
    accessToken: 'EAAG-secret-token',
    appSecret: 'app-secret-123',
    verifyToken: 'verify-me-1',
  });
  assert.is(put.status, 200);
  const get = await h.remote('whatsapp.get', {});
  assert.equal({ ...get.body, webhookUrl: 'x' }, { configured: true, projectKey: 'SUP', phoneNumberId: '123456', webhookUrl: 'x' });
  const raw = JSON.stringify(await h.service.store.kv.get(`tenant:cloud-a:whatsapp`));
  assert.not.ok(raw.includes('EAAG-secret-token'));
  assert.not.ok(raw.includes('app-secret-123'));
});

R('settings.put switches analytics off for the site', async ({ h }) => {
  assert.equal((await h.remote('settings.put', { analytics: false })).body, { analytics: false });
  assert.is((await h.remote('status', {})).body.analytics, false);
});

R('agent schedules round-trip; customer-presence answers per conversation', async ({ h }) => {
  const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
  const schedule = { timeZone: 'Europe/Berlin', weekly, exceptions: [] };
  await h.remote('agent-schedule.put', { projectKey: 'SUP', accountId: 'agent-1', schedule });
  assert.equal((await h.remote('agent-schedule.get', { projectKey: 'SUP', accountId: 'agent-1' })).body.schedule, schedule);
  const p = await h.remote('customer-presence', { conversationIds: ['SUP-99'] });
  assert.equal(p.body.presence['SUP-99'], { online: false, lastSeen: null });
});

R('healthz and readyz answer', async ({ h }) => {
  assert.is((await fetch(`${h.service.url}/healthz`)).status, 200);
  assert.is((await fetch(`${h.service.url}/readyz`)).status, 200);
  const w = await fetch(`${h.service.url}/widget.js`);
  assert.ok(w.status === 200 || w.status === 404);
  if (w.status === 404) assert.match((await w.json()).error.message, /not built/);
  else await w.arrayBuffer();
});

R.run();

// ---- two sites side by side ---------------------------------------------------------

const T = suite<{ h: Harness; widgetB: string }>('two sites');
T.before(async (ctx) => {
  ctx.h = await startHarness();
  // Site B: same project key, its own link and widget.
  await ctx.h.remote('link', { webtriggerUrl: ctx.h.app.url }, { installationId: 'cloud-b' });
  ctx.widgetB = (await ctx.h.projectConfig({}, 'cloud-b')).widgetId;
  ctx.h.app.secret = (await ctx.h.remote('link', { webtriggerUrl: ctx.h.app.url })).body.secret;
});
T.after(async (ctx) => ctx.h.close());

T('agents and customers of one site see nothing of the other', async ({ h, widgetB }) => {
  assert.is.not(widgetB, h.widgetId);
  const agentB = await h.agent(['SUP'], 'agent-b', 'cloud-b');
  agentB.send({ type: 'watch.project', projectKey: 'SUP' });
  agentB.send({ type: 'watch', conversationId: 'SUP-1' });
  await agentB.next('agents.presence');
  await agentB.next('customer.presence');
  const c = await h.customer();
  assert.is(c.authOk.availability.state, 'offline', 'site B agent does not make site A online');
  c.send({ type: 'conversation.start', clientMsgId: 'msg-20001', text: 'Hi A', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  assert.is(conversationId, 'SUP-1');
  await h.remote('relay', { message: { id: '1', conversationId, author: { kind: 'agent', name: 'X' }, text: 'to A', at: new Date().toISOString() } });
  await c.next('message');
  // Site A's fan-out has run (its customer has the message); a pong on B's socket comes after anything it sent there.
  await agentB.roundTrip();
  agentB.none('message');
  agentB.none('conversation.activity');
  const relayB = await h.remote(
    'relay',
    { message: { id: '2', conversationId, author: { kind: 'agent', name: 'Y' }, text: 'to B', at: new Date().toISOString() } },
    { installationId: 'cloud-b' },
  );
  assert.is(relayB.body.delivered, 0);
  await c.roundTrip();
  c.none('message');
  assert.is((await h.remote('project-config.get', { projectKey: 'SUP' }, { installationId: 'cloud-b' })).body.config.widgetId, widgetB);
  await c.close();
  await agentB.close();
});

T.run();
