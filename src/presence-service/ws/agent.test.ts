import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../testing/harness.js';
import { connect } from '../testing/client.js';
import { waitUntil } from '../testing/wait.js';
import { gatedSuite } from '../testing/gated-store.js';

const A = suite<{ h: Harness }>('agent socket');
A.before(async (ctx) => {
  ctx.h = await startHarness({ limits: { availabilityTickMs: 50 } });
  await ctx.h.projectConfig({}, 'cloud-a', 'OPS');
});
A.after(async (ctx) => ctx.h.close());

async function startChat(h: Harness, id: string) {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: id, text: 'Hello', prechat: { name: 'Cy' } });
  const ack = await c.next('message.ack');
  return { c, conversationId: ack.conversationId as string };
}

A('a ticket opens one socket only once', async ({ h }) => {
  const t = await h.remote('agent-ticket', { grant: h.grant('agent-9', ['SUP']) }, { accountId: 'agent-9' });
  assert.is(t.status, 200);
  assert.match(t.body.url, /\/ws\/agent$/);
  const a = await connect(`${h.service.wsUrl}/ws/agent`);
  a.send({ type: 'auth', ticket: t.body.ticket });
  const ok = await a.next('auth.ok');
  assert.is(ok.accountId, 'agent-9');
  assert.equal(ok.projects, ['SUP']);
  assert.match(ok.httpToken, /^at_/);
  const b = await connect(`${h.service.wsUrl}/ws/agent`);
  b.send({ type: 'auth', ticket: t.body.ticket });
  assert.is((await b.next('error')).code, 'unauthenticated');
  assert.is((await b.closed).code, 1008);
  await a.close();
});

A('an agent ticket needs a frontend token whose principal the grant names', async ({ h }) => {
  const grant = h.grant('agent-9', ['SUP']);
  const backend = await h.remote('agent-ticket', { grant }, { accountId: null });
  assert.is(backend.status, 401, 'a backend token carries no user');
  assert.is(backend.body.error.code, 'unauthenticated');
  const principalOnBackend = await h.remote(
    'agent-ticket',
    { grant },
    { token: await h.forge.sign({ installationId: h.installationId, claims: { principal: 'agent-9' } }) },
  );
  assert.is(principalOnBackend.status, 401, 'a principal counts only on a frontend (UI module) token');
  const someoneElse = await h.remote('agent-ticket', { grant }, { accountId: 'agent-7' });
  assert.is(someoneElse.status, 403);
  assert.match(someoneElse.body.error.message, 'another user');
  const forged = await h.remote('agent-ticket', { grant: grant.slice(0, -4) + 'AAAA' }, { accountId: 'agent-9' });
  assert.is(forged.status, 403);
  const otherSite = await h.remote('agent-ticket', { grant }, { accountId: 'agent-9', installationId: 'cloud-b' });
  assert.is(otherSite.status, 403, "another installation's link secret does not sign this grant");
});

A('agents may not watch conversations or projects outside their ticket', async ({ h }) => {
  const a = await h.agent(['SUP']);
  a.send({ type: 'watch', conversationId: 'OPS-1' });
  assert.is((await a.next('error')).code, 'forbidden');
  a.send({ type: 'watch.project', projectKey: 'OPS' });
  assert.is((await a.next('error')).code, 'forbidden');
  a.send({ type: 'typing', conversationId: 'OPS-1', on: true });
  assert.is((await a.next('error')).code, 'forbidden');
  a.send({ type: 'watch.project', projectKey: 'SUP' });
  await a.next('agents.presence');
  await a.close();
});

A('customer messages, typing and seen reach the watching agent; agent typing and seen reach the customer', async ({ h }) => {
  const { c, conversationId } = await startChat(h, 'msg-10001');
  const a = await h.agent(['SUP']);
  a.send({ type: 'watch', conversationId });
  const p = await a.next('customer.presence');
  assert.is(p.presence.online, true);
  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-10002', text: 'More detail' });
  await c.next('message.ack');
  const m = await a.next('message');
  assert.is(m.message.text, 'More detail');
  assert.is(m.message.author.kind, 'customer');
  assert.is(m.message.author.name, 'Cy');
  c.send({ type: 'typing', conversationId, on: true });
  assert.equal(await a.next('typing'), { type: 'typing', conversationId, on: true, who: 'customer', name: 'Cy' });
  c.send({ type: 'seen', conversationId, messageId: '7' });
  assert.equal(await a.next('seen'), { type: 'seen', conversationId, messageId: '7', by: 'customer' });
  a.send({ type: 'typing', conversationId, on: true });
  assert.equal(await c.next('typing'), { type: 'typing', conversationId, on: true });
  a.send({ type: 'seen', conversationId, messageId: '8' });
  assert.equal(await c.next('seen'), { type: 'seen', conversationId, messageId: '8' });
  await c.close();
  const gone = await a.next('customer.presence');
  assert.is(gone.presence.online, false);
  assert.type(gone.presence.lastSeen, 'string');
  await a.close();
});

A("an agent's typing carries the agent's display name to the customer and to colleagues; an overlong name is refused", async ({ h }) => {
  const { c, conversationId } = await startChat(h, 'msg-10009');
  const a = await h.agent(['SUP'], 'agent-1');
  const b = await h.agent(['SUP'], 'agent-2');
  for (const x of [a, b]) {
    x.send({ type: 'watch', conversationId });
    await x.next('customer.presence');
  }
  a.send({ type: 'typing', conversationId, on: true, name: 'Grace Hopper' });
  assert.equal(await c.next('typing'), { type: 'typing', conversationId, on: true, name: 'Grace Hopper' });
  assert.equal(await b.next('typing'), { type: 'typing', conversationId, on: true, who: 'agent', name: 'Grace Hopper' });
  a.send({ type: 'typing', conversationId, on: false, name: 'Grace Hopper' });
  assert.equal(await c.next('typing'), { type: 'typing', conversationId, on: false });
  a.send({ type: 'typing', conversationId, on: true, name: 'x'.repeat(256) });
  const err = await a.next('error');
  assert.is(err.code, 'invalid');
  assert.match(err.message, /name/);
  await c.close();
  await a.close();
  await b.close();
});

A('relay delivers an agent message to the customer and watching agents', async ({ h }) => {
  const { c, conversationId } = await startChat(h, 'msg-10003');
  const a = await h.agent(['SUP'], 'agent-2');
  a.send({ type: 'watch', conversationId });
  await a.next('customer.presence');
  const message = {
    id: '900',
    conversationId,
    author: { kind: 'agent', accountId: 'agent-1', name: 'Dee' },
    text: 'How can I help?',
    at: new Date().toISOString(),
  };
  const r = await h.remote('relay', { message });
  assert.equal(r, { status: 200, body: { delivered: 1 } });
  assert.equal((await c.next('message')).message, message);
  assert.equal((await a.next('message')).message, message);
  await c.close();
  await a.close();
});

A('new conversations show up for agents watching the project', async ({ h }) => {
  const a = await h.agent(['SUP']);
  a.send({ type: 'watch.project', projectKey: 'SUP' });
  await a.next('agents.presence');
  const { c, conversationId } = await startChat(h, 'msg-10004');
  const act = await a.next('conversation.activity');
  assert.equal({ ...act.activity, at: 'x' }, { projectKey: 'SUP', conversationId, kind: 'new', at: 'x', customerName: 'Cy' });
  await c.close();
  await a.close();
});

A('agent status changes are pushed to customers as availability', async ({ h }) => {
  // earlier tests' agents leave presence once the service has handled their close
  const state = async () => (await h.remote('presence.get', { projectKey: 'SUP' })).body.availability.state;
  await waitUntil(async () => (await state()) === 'offline', 'no agent of SUP online', 10_000);
  const c = await h.customer();
  assert.is(c.authOk.availability.state, 'offline');
  const a = await h.agent(['SUP'], 'agent-5');
  assert.is((await c.next('availability')).availability.state, 'online');
  a.send({ type: 'status.set', projectKey: 'SUP', status: 'away' });
  assert.is((await c.next('availability')).availability.state, 'away');
  const forced = await h.remote('presence.set', { projectKey: 'SUP', status: 'offline', accountId: 'agent-5', forced: true });
  assert.is(forced.body.agent.forcedOffline, true);
  assert.is((await c.next('availability')).availability.state, 'offline');
  const get = await h.remote('presence.get', { projectKey: 'SUP' });
  assert.is(get.body.availability.state, 'offline');
  await a.close();
  await c.close();
});

A.run();

// ---- the answer to watch, with a store that listens late or not at all ----------------

/** A hang guard: the service answers within milliseconds. */
const CLOSE_WAIT_MS = 5_000;

const W = gatedSuite('agent socket: watching');

W('watch is answered with watching only once the socket listens, so a page that reads after it misses nothing', async ({ h, gate }) => {
  // A conversation no one on this instance listens to yet: the watch itself must subscribe.
  const conversationId = 'SUP-77';
  const a = await h.agent(['SUP']);
  const release = gate.holdJoins();
  a.send({ type: 'watch', conversationId });
  await a.roundTrip();
  a.none('watching');
  release();
  assert.equal(await a.next('watching'), { type: 'watching', conversationId });
  // What the page reads from Jira now is followed by everything published after it.
  const reply = { id: '901', conversationId, author: { kind: 'agent', accountId: 'agent-2', name: 'Dee' }, text: 'Right after', at: new Date().toISOString() };
  await h.remote('relay', { message: reply });
  assert.equal((await a.next('message')).message, reply);
  assert.is((await a.next('customer.presence')).conversationId, conversationId, 'the presence follows the answer');
  await a.close();
});

W('watch.project is answered with watching.project only once the socket listens', async ({ h, gate }) => {
  const a = await h.agent(['SUP']);
  const release = gate.holdJoins();
  a.send({ type: 'watch.project', projectKey: 'SUP' });
  await a.roundTrip();
  a.none('watching.project');
  release();
  assert.equal(await a.next('watching.project'), { type: 'watching.project', projectKey: 'SUP' });
  const { c, conversationId } = await startChat(h, 'msg-10022');
  assert.is((await a.next('conversation.activity')).activity.conversationId, conversationId);
  await c.close();
  await a.close();
});

W('a watch the store refuses closes the socket with 1012, so the page reconnects and watches again', async ({ h, gate }) => {
  const a = await h.agent(['SUP']);
  gate.refuseJoins = true;
  a.send({ type: 'watch', conversationId: 'SUP-1' });
  const closed = await Promise.race([a.closed, new Promise((r) => setTimeout(() => r('still open'), CLOSE_WAIT_MS))]);
  gate.refuseJoins = false;
  assert.equal(closed, { code: 1012, reason: 'live state lost, reconnect' }, 'told to reconnect, not left deaf');
  a.none('watching');
});

W.run();

// ---- heartbeats, on a harness of its own: a short reap would also drop healthy sockets of a busy machine ----

const R = suite<{ h: Harness }>('heartbeat reaping');
R.before(async (ctx) => {
  ctx.h = await startHarness({ limits: { heartbeatIntervalMs: 100, reapAfterMs: 1_000 } });
});
R.after(async (ctx) => ctx.h.close());

R('reaps a socket that stops answering pings, and its presence goes', async ({ h }) => {
  const { c, conversationId } = await startChat(h, 'msg-10005');
  const a = await h.agent(['SUP'], 'agent-7');
  a.send({ type: 'watch', conversationId });
  await a.next('customer.presence');
  // Stop reading: pings go unanswered, as with a dead network.
  (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const gone = await a.next('customer.presence');
  assert.is(gone.presence.online, false);
  await a.close();
});

R.run();

// ---- schedule boundaries, with a clock the test moves ---------------------------------

const S = suite<{ h: Harness; offset: { ms: number } }>('availability at schedule boundaries');
const DAY = '2030-01-07';
const OPENS = Date.parse(`${DAY}T10:00:00Z`);
S.before(async (ctx) => {
  const offset = { ms: OPENS - 1_000 - Date.now() };
  ctx.offset = offset;
  ctx.h = await startHarness({ clock: () => Date.now() + offset.ms, limits: { availabilityTickMs: 50 } });
  const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, []]));
  await ctx.h.projectConfig({
    widgetShows: 'always',
    schedule: { timeZone: 'UTC', weekly, exceptions: [{ date: DAY, intervals: [{ start: '10:00', end: '11:00' }] }] },
  });
});
S.after(async (ctx) => ctx.h.close());

S('the opening of the project schedule is pushed without anyone acting', async ({ h, offset }) => {
  offset.ms = OPENS - 30_000 - Date.now();
  const a = await h.agent(['SUP'], 'agent-8');
  const c = await h.customer();
  assert.equal(c.authOk.availability, { state: 'offline', visible: true, nextOpenAt: new Date(OPENS).toISOString() });
  offset.ms += 31_000;
  assert.equal((await c.next('availability')).availability, { state: 'online', visible: true, nextOpenAt: null });
  await c.close();
  await a.close();
});

S.run();
