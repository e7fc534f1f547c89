import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../testing/harness.js';
import { keys, tenantPrefix } from '../store/keys.js';
import { PERSONAL_DATA_PAGE_SIZE } from '../../protocol/personal-data.js';
import { waitUntil } from '../testing/index.js';

const A = 'cloud-a';
const B = 'cloud-b';
const AGENT = '712020:agent-x';
const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
const schedule = { timeZone: 'Europe/Berlin', weekly, exceptions: [] };

const P = suite<{ h: Harness }>('personal data reporting (presence service)');
P.before(async (ctx) => {
  ctx.h = await startHarness({ installationId: A });
});
P.after(async (ctx) => ctx.h.close());

/** Remote calls as a scheduled trigger makes them: a FIT without principal. */
const backend = (h: Harness, name: string, body: unknown, installationId = A) => h.remote(name, body, { installationId, accountId: null });

async function identities(
  h: Harness,
  installationId: string,
): Promise<{ accountId: string | null; name: string | null; email: string | null; refreshedAt?: string }[]> {
  const kv = h.service.store.kv;
  const out = [];
  for (const k of await kv.keys(`${tenantPrefix(installationId)}identity:`)) out.push((await kv.get(k)) as any);
  return out;
}

async function startCustomer(h: Harness, name: string, email: string): Promise<{ token: string; accountId: string }> {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: `pd-${name}-0001`, text: 'Hello', prechat: { name, email } });
  const ack = await c.next('message.ack');
  await c.close();
  return { token: c.authOk.token, accountId: h.app.owners.get(ack.conversationId)! };
}

P('closed accounts are erased for the reporting site only; updated ones keep their id mapping (nothing else is cached)', async ({ h }) => {
  await h.projectConfig({}, B);
  const carl = await startCustomer(h, 'Carl', 'carl@example.com');
  const dora = await startCustomer(h, 'Dora', 'dora@example.com');
  // Site B holds the same customer (account ids are global) and the same agent.
  const kvB = h.service.store.kv;
  await kvB.set(keys.identity(B, 'b'.repeat(64)), {
    accountId: carl.accountId,
    name: 'Carl',
    email: 'carl@example.com',
    verified: false,
    createdAt: new Date().toISOString(),
  });
  for (const installationId of [A, B]) {
    assert.is((await h.remote('agent-schedule.put', { projectKey: 'SUP', accountId: AGENT, schedule }, { installationId })).status, 200);
  }
  assert.is((await h.remote('presence.set', { projectKey: 'SUP', status: 'offline', accountId: AGENT, forced: true })).status, 200);
  assert.is((await h.remote('link', { webtriggerUrl: h.app.url }, { installationId: B })).status, 200);
  const agentA = await h.agent(['SUP'], AGENT, A);
  const agentB = await h.agent(['SUP'], AGENT, B);

  const listed = await backend(h, 'personal-data.accounts', {});
  assert.is(listed.status, 200);
  assert.equal(
    listed.body.accounts.map((a: any) => a.accountId),
    [AGENT, carl.accountId, dora.accountId].sort(),
  );
  assert.is(listed.body.next, null);
  for (const a of listed.body.accounts) assert.ok(!Number.isNaN(Date.parse(a.updatedAt)), 'updatedAt is an ISO time');

  const applied = await backend(h, 'personal-data.apply', { closed: [carl.accountId, AGENT], updated: [dora.accountId] });
  assert.is(applied.status, 200);
  // Dora is `updated`, but the service caches nothing of her profile: nothing to refresh.
  assert.equal(applied.body, { erased: 2, refreshed: 0 });

  // Site A: nothing of Carl or the agent is left.
  const idsA = await identities(h, A);
  assert.not.ok(
    idsA.some((r) => r.accountId === carl.accountId),
    'identity mapping erased',
  );
  assert.is((await h.remote('agent-schedule.get', { projectKey: 'SUP', accountId: AGENT })).body.schedule, null);
  assert.is(await h.service.store.kv.get(keys.agentForcedOffline(A, 'SUP', AGENT)), null);
  assert.equal(await h.service.store.ephemeral.members(keys.agentSockets(A, AGENT)), []);
  assert.not.ok((await h.remote('presence.get', { projectKey: 'SUP' })).body.agents.some((a: any) => a.accountId === AGENT));
  const after = (await backend(h, 'personal-data.accounts', {})).body.accounts.map((a: any) => a.accountId);
  assert.equal(after, [dora.accountId]);
  // Dora keeps her mapping (and her conversations); her record never held a name or email.
  const doraRec = idsA.find((r) => r.accountId === dora.accountId);
  assert.ok(doraRec);
  assert.not.ok('name' in doraRec! || 'email' in doraRec!, JSON.stringify(doraRec));
  const back = await h.customer({ auth: { token: dora.token } });
  assert.is(back.authOk.conversations.length, 1);
  await back.close();
  // Carl's old token no longer maps to anyone: a fresh, empty visitor.
  const carlBack = await h.customer({ auth: { token: carl.token } });
  assert.is.not(carlBack.authOk.token, carl.token);
  assert.equal(carlBack.authOk.conversations, []);
  await carlBack.close();

  // Site B: untouched.
  assert.ok((await identities(h, B)).some((r) => r.accountId === carl.accountId && r.name === 'Carl'));
  assert.equal((await h.remote('agent-schedule.get', { projectKey: 'SUP', accountId: AGENT }, { installationId: B })).body.schedule, schedule);
  assert.ok((await h.remote('presence.get', { projectKey: 'SUP' }, { installationId: B })).body.agents.some((a: any) => a.accountId === AGENT));
  assert.equal(
    (await backend(h, 'personal-data.accounts', {}, B)).body.accounts.map((a: any) => a.accountId),
    [AGENT, carl.accountId].sort(),
  );
  await agentA.close();
  await agentB.close();
});

P('an older identity record that still caches a name and email loses them on `updated` (and on use), keeping the mapping', async ({ h }) => {
  const kv = h.service.store.kv;
  const old = { accountId: 'acc-legacy-1', name: 'Lena Legacy', email: 'lena@legacy.example', verified: false, createdAt: '2026-01-01T00:00:00.000Z' };
  await kv.set(keys.identity(A, 'c'.repeat(64)), old);
  const listed = await backend(h, 'personal-data.accounts', {});
  assert.is(listed.body.accounts.find((a: any) => a.accountId === 'acc-legacy-1')?.updatedAt, '2026-01-01T00:00:00.000Z', 'reported since it was cached');
  const r = await backend(h, 'personal-data.apply', { closed: [], updated: ['acc-legacy-1'] });
  assert.equal(r.body, { erased: 0, refreshed: 1 });
  const rec = (await kv.get(keys.identity(A, 'c'.repeat(64)))) as any;
  assert.is(rec.accountId, 'acc-legacy-1');
  assert.not.ok('name' in rec || 'email' in rec, JSON.stringify(rec));
  assert.ok(rec.refreshedAt);
  // Reported again: nothing left to refresh.
  assert.equal((await backend(h, 'personal-data.apply', { closed: [], updated: ['acc-legacy-1'] })).body, { erased: 0, refreshed: 0 });
});

P('an updated agent needs nothing (only the id is held); unknown accounts are a no-op', async ({ h }) => {
  await h.remote('agent-schedule.put', { projectKey: 'SUP', accountId: 'agent-u', schedule });
  const r = await backend(h, 'personal-data.apply', { closed: ['never-seen'], updated: ['agent-u'] });
  assert.equal(r.body, { erased: 0, refreshed: 0 });
  assert.equal((await h.remote('agent-schedule.get', { projectKey: 'SUP', accountId: 'agent-u' })).body.schedule, schedule);
});

P('automatic assignment: an agent’s slots, their records and a per-agent capacity are reported, and erased when the account is closed', async ({ h }) => {
  const ACC = '712020:assign-agent';
  await h.projectConfig({ assignment: { mode: 'round_robin', capacity: 1, capacities: { [ACC]: 1, 'other-agent': 2 } } });
  const agent = await h.agent(['SUP'], ACC);
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'pd-assign-0001', text: 'Hello', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  const kv = h.service.store.kv;
  await waitUntil(async () => (await kv.keys(`${tenantPrefix(A)}assign-slot:`)).length === 1, 'the chat assigned', 5_000);
  await agent.close();
  await c.close();
  const listed = await backend(h, 'personal-data.accounts', {});
  assert.ok(
    listed.body.accounts.some((a: { accountId: string }) => a.accountId === ACC),
    'reported',
  );
  const r = await backend(h, 'personal-data.apply', { closed: [ACC], updated: [] });
  assert.ok(r.body.erased >= 1);
  assert.equal(await kv.keys(`${tenantPrefix(A)}assign-slot:`), []);
  assert.is(await kv.get(`${tenantPrefix(A)}assigned-to:${conversationId}`), null);
  const cfg = (await h.remote('project-config.get', { projectKey: 'SUP' })).body.config;
  assert.equal(cfg.assignment.capacities, { 'other-agent': 2 });
  await h.projectConfig({});
});

P('a FIT with a user principal may not list or erase (only the app itself, e.g. a scheduled trigger)', async ({ h }) => {
  const list = await h.remote('personal-data.accounts', {}, { accountId: 'admin-1' });
  assert.is(list.status, 403);
  const apply = await h.remote('personal-data.apply', { closed: ['agent-u'] }, { accountId: 'admin-1' });
  assert.is(apply.status, 403);
  assert.equal((await h.remote('agent-schedule.get', { projectKey: 'SUP', accountId: 'agent-u' })).body.schedule, schedule);
});

P('accounts come in pages in accountId order, with a cursor, and none twice', async ({ h }) => {
  const C = 'cloud-paging';
  const total = PERSONAL_DATA_PAGE_SIZE + 37;
  for (let i = 0; i < total; i++) await h.service.store.kv.set(keys.agentSchedule(C, 'SUP', `acc-${String(i).padStart(4, '0')}`), schedule);
  const first = await backend(h, 'personal-data.accounts', {}, C);
  assert.is(first.body.accounts.length, PERSONAL_DATA_PAGE_SIZE);
  assert.is(first.body.next, first.body.accounts.at(-1).accountId);
  const second = await backend(h, 'personal-data.accounts', { cursor: first.body.next }, C);
  assert.is(second.body.accounts.length, 37);
  assert.is(second.body.next, null);
  const ids = [...first.body.accounts, ...second.body.accounts].map((a: any) => a.accountId);
  assert.is(new Set(ids).size, total);
  assert.equal(ids, [...ids].sort());
  assert.is((await backend(h, 'personal-data.apply', { closed: ids.slice(0, 10) }, C)).body.erased, 10);
  assert.is((await backend(h, 'personal-data.accounts', {}, C)).body.accounts.length, PERSONAL_DATA_PAGE_SIZE);
});

P.run();
