/**
 * Automatic assignment through the real presence service (issue 15): round robin and least
 * busy, capacity, the queue, and two instances on one Redis taking chats at the same moment
 * without ever giving an agent more chats than their capacity.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from '../testing/harness.js';
import { serviceKeys } from '../service-keys.js';
import { connect } from '../testing/client.js';
import { testRedis, testKeyPrefix, waitUntil, type TestRedis } from '../testing/index.js';

const WAIT_MS = 8_000;
let seq = 0;

async function startChat(h: Harness): Promise<string> {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: `assign-${String(++seq).padStart(6, '0')}`, text: 'Hello', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  return conversationId as string;
}

const queued = async (h: Harness) => (await h.service.store.kv.keys(serviceKeys.assignQueue(h.installationId, 'SUP'))).length;
const load = async (h: Harness, accountId: string) => (await h.service.store.kv.keys(serviceKeys.assignSlots(h.installationId, 'SUP', accountId))).length;
const close = (h: Harness, conversationId: string) =>
  h.remote('conversation-activity', { activity: { projectKey: 'SUP', conversationId, kind: 'closed', at: new Date().toISOString() }, status: 'closed' });

// ---- two instances ---------------------------------------------------------------------

/** An agent socket on `h`, with a grant signed by the secret of the instance that linked the site last. */
async function agentOn(h: Harness, linked: Harness, accountId: string) {
  const t = await h.remote('agent-ticket', { grant: linked.grant(accountId, ['SUP']) }, { accountId });
  if (t.status !== 200) throw new Error(`agent-ticket: ${JSON.stringify(t.body)}`);
  const c = await connect(`${h.service.wsUrl}/ws/agent`);
  c.send({ type: 'auth', ticket: t.body.ticket });
  await c.next('auth.ok');
  return c;
}

const Two = suite<{ redis: TestRedis; a: Harness; b: Harness }>('automatic assignment: two instances on one Redis');
Two.before(async (ctx) => {
  ctx.redis = await testRedis();
  const env = { REDIS_URL: ctx.redis.url, REDIS_KEY_PREFIX: testKeyPrefix().replace(/:$/, ':'), SECRET_KEY: randomBytes(32).toString('base64') };
  ctx.a = await startHarness({ env });
  ctx.b = await startHarness({ env, forge: ctx.a.forge });
});
Two.after(async (ctx) => {
  await ctx.b.close();
  await ctx.a.close();
  await ctx.redis.stop();
});

Two(
  'round robin, capacity 1, two agents: six chats at once on two instances give each agent one, the rest wait; a close lets the oldest through',
  async ({ a, b }) => {
    await a.projectConfig({ assignment: { mode: 'round_robin', capacity: 1 } });
    const agents = [await agentOn(a, b, 'agent-1'), await agentOn(b, b, 'agent-2')];
    // B linked the site last: every assign call reaches B's app.
    const app = b.app;
    const chats = await Promise.all([a, b, a, b, a, b].map((h) => startChat(h)));
    await waitUntil(async () => app.assigned.size === 2 && (await queued(a)) === 4, 'two assigned, four waiting', WAIT_MS);
    assert.equal([...app.assigned.values()].sort(), ['agent-1', 'agent-2'], 'one chat each: capacity 1 held across instances');
    assert.is(app.calls.filter((c) => c.type === 'assign').length, 2, 'no agent was even asked for a second chat');
    assert.is(await load(a, 'agent-1'), 1);
    assert.is(await load(b, 'agent-2'), 1);

    const [first] = [...app.assigned.keys()];
    const freed = app.assigned.get(first!)!;
    const waiting = chats.filter((c) => !app.assigned.has(c));
    assert.is((await close(a, first!)).status, 200);
    await waitUntil(() => app.assigned.size === 3, 'the next waiting chat assigned', WAIT_MS);
    const next = [...app.assigned.keys()].find((k) => k !== first && waiting.includes(k) && app.assigned.get(k) === freed);
    assert.ok(next, 'the freed agent got a waiting chat');
    assert.is(await queued(a), 3);
    assert.is(await load(a, freed), 1, 'still at capacity, not over it');
    for (const c of agents) await c.close();
  },
);

// ---- one instance ----------------------------------------------------------------------

const One = suite<{ h: Harness }>('automatic assignment: strategies and the queue');
One.before(async (ctx) => {
  ctx.h = await startHarness();
});
One.after(async (ctx) => ctx.h.close());

One('off by default: nobody is assigned and nothing is queued', async ({ h }) => {
  await startChat(h);
  await startChat(h);
  assert.is(h.app.calls.filter((c) => c.type === 'assign').length, 0);
  assert.is(await queued(h), 0);
});

One('a chat waits while nobody is online and is assigned when an agent comes online', async ({ h }) => {
  await h.projectConfig({ assignment: { mode: 'round_robin', capacity: 1 } });
  const chat = await startChat(h);
  await waitUntil(async () => (await queued(h)) === 1, 'the chat queued', WAIT_MS);
  assert.is(h.app.assigned.size, 0);
  const agent = await h.agent(['SUP'], 'agent-late');
  await waitUntil(() => h.app.assigned.get(chat) === 'agent-late', 'assigned to the agent who came online', WAIT_MS);
  assert.is(await queued(h), 0);
  await close(h, chat);
  await waitUntil(async () => (await load(h, 'agent-late')) === 0, 'the slot freed', WAIT_MS);
  await agent.close();
});

One('least busy prefers the agent with the fewest open chats; an agent with capacity 0 is never picked', async ({ h }) => {
  await h.projectConfig({ assignment: { mode: 'least_busy', capacity: 3, capacities: { 'agent-zero': 0 } } });
  h.app.assigned.clear();
  await h.agent(['SUP'], 'agent-zero');
  const a1 = await h.agent(['SUP'], 'agent-a');
  const c1 = await startChat(h);
  await waitUntil(() => h.app.assigned.has(c1), 'first chat assigned', WAIT_MS);
  const c2 = await startChat(h);
  await waitUntil(() => h.app.assigned.has(c2), 'second chat assigned', WAIT_MS);
  assert.equal([h.app.assigned.get(c1), h.app.assigned.get(c2)], ['agent-a', 'agent-a'], 'the only agent with capacity');
  await h.agent(['SUP'], 'agent-b');
  const c3 = await startChat(h);
  await waitUntil(() => h.app.assigned.has(c3), 'third chat assigned', WAIT_MS);
  const c4 = await startChat(h);
  await waitUntil(() => h.app.assigned.has(c4), 'fourth chat assigned', WAIT_MS);
  // Round robin would alternate; least busy fills the idle agent up to the others' load first.
  assert.equal([h.app.assigned.get(c3), h.app.assigned.get(c4)], ['agent-b', 'agent-b']);
  assert.ok(![...h.app.assigned.values()].includes('agent-zero'));
  await a1.close();
});

One('a chat taken by hand by another agent frees its slot, and the waiting chat goes to the freed agent', async ({ h }) => {
  // Agents of earlier tests are still online: capacity 0 keeps them out of this one.
  const others = Object.fromEntries(['agent-zero', 'agent-a', 'agent-b', 'agent-late'].map((a) => [a, 0]));
  await h.projectConfig({ assignment: { mode: 'round_robin', capacity: 1, capacities: others } });
  h.app.assigned.clear();
  const agent = await h.agent(['SUP'], 'agent-solo');
  const first = await startChat(h);
  await waitUntil(() => h.app.assigned.get(first) === 'agent-solo', 'first chat assigned', WAIT_MS);
  const second = await startChat(h);
  await waitUntil(async () => (await queued(h)) === 1, 'the second chat waits', WAIT_MS);
  const taken = await h.remote('conversation-activity', {
    activity: { projectKey: 'SUP', conversationId: first, kind: 'assigned', at: new Date().toISOString(), assignee: 'Bo', assigneeAccountId: 'agent-bo' },
  });
  assert.is(taken.status, 200);
  await waitUntil(() => h.app.assigned.get(second) === 'agent-solo', 'the waiting chat went to the freed agent', WAIT_MS);
  assert.is(await load(h, 'agent-solo'), 1);
  await close(h, second);
  await agent.close();
});

One('a chat the app reports closed or already taken frees the slot again', async ({ h }) => {
  await h.projectConfig({ assignment: { mode: 'round_robin', capacity: 1 } });
  await h.agent(['SUP'], 'agent-taken');
  h.app.assignAnswer = () => false;
  try {
    const chat = await startChat(h);
    await waitUntil(() => h.app.calls.some((c) => c.type === 'assign' && c.conversationId === chat), 'the assign call', WAIT_MS);
    await waitUntil(async () => (await load(h, 'agent-taken')) === 0 && (await queued(h)) === 0, 'slot and queue empty', WAIT_MS);
  } finally {
    h.app.assignAnswer = null;
  }
});

Two.run();
One.run();
