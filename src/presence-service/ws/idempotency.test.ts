/**
 * Issue 10, item 1: a reused clientMsgId must never hand over another customer's
 * conversation. Two visitors: the victim uses a message id; the attacker (who read it
 * from a comment property, a frame or the victim's storage) replays it on every path.
 * The fake app binds its records to the caller key exactly as the app does
 * (src/forge/lib/idempotency.ts; the app's own tests are src/forge/webtrigger.test.ts);
 * here we prove what the service sends and that a refusal changes nothing: no ack, no
 * account id adopted, no conversation on the next auth.ok, no history, no live messages.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CallerKey } from '../../protocol/webtrigger.js';
import { startHarness, type Harness } from '../testing/harness.js';
import type { TestClient } from '../testing/client.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const NOT_YOURS = 'this message id belongs to another conversation';

const T = suite<{ h: Harness }>('idempotency bound to the caller');
T.before(async (ctx) => {
  ctx.h = await startHarness({ deps: { attachments: undefined } });
});
T.after(async (ctx) => ctx.h.close());

type Client = TestClient & { authOk?: any };

/** A round trip on `c`: every frame the service sent before it is in `c.frames`. */
async function settle(c: Client): Promise<void> {
  c.send({ type: 'ping' });
  await c.next('pong');
}

async function victimWithConversation(h: Harness, id: string): Promise<{ victim: Client; conversationId: string; accountId: string }> {
  const victim = await h.customer();
  victim.send({ type: 'conversation.start', clientMsgId: id, text: 'my private words', prechat: { name: 'Vera' } });
  const ack = await victim.next('message.ack');
  return { victim, conversationId: ack.conversationId, accountId: h.app.owners.get(ack.conversationId)! };
}

/** Nothing of the victim reached the attacker: no ack, no frames of the conversation, no listing after reconnect. */
async function assertNothingLeaked(h: Harness, attacker: Client, conversationId: string, victim: Client): Promise<void> {
  // Live: the victim's next message and an agent reply do not reach the attacker.
  const agent = await h.agent(['SUP'], 'agent-idem');
  agent.send({ type: 'watch', conversationId });
  await agent.next('customer.presence');
  victim.send({ type: 'message.send', conversationId, clientMsgId: `live-${conversationId}-${Date.now()}`, text: 'still private' });
  await victim.next('message.ack');
  await agent.next('message');
  await h.remote('relay', {
    message: { id: `r-${Date.now()}`, conversationId, author: { kind: 'agent', name: 'Alice' }, text: 'agent reply', at: new Date().toISOString() },
  });
  await victim.next('message');
  await settle(attacker);
  const leaked = attacker.frames.filter((f) => JSON.stringify(f).includes(conversationId));
  assert.equal(leaked, [], 'no frame of the victim conversation reached the attacker');
  // Reads: typing, history and attachment links are refused.
  attacker.send({ type: 'history', conversationId });
  assert.is((await attacker.next('error')).code, 'forbidden');
  attacker.send({ type: 'typing', conversationId, on: true });
  assert.is((await attacker.next('error')).code, 'forbidden');
  // Next visit: the conversation is not listed, and no account was adopted.
  const token = attacker.authOk.token;
  await attacker.close();
  const again = await h.customer({ auth: { token } });
  assert.not.ok(
    again.authOk.conversations.some((c: { id: string }) => c.id === conversationId),
    'not listed on the next auth.ok',
  );
  await again.close();
  await agent.close();
}

T('the caller key is stable per visitor, differs between visitors, and is not the token or its store hash', async ({ h }) => {
  const a = await h.customer();
  a.send({ type: 'conversation.start', clientMsgId: 'idem-key-0001', text: 'x', prechat: {} });
  const { conversationId } = await a.next('message.ack');
  a.send({ type: 'message.send', conversationId, clientMsgId: 'idem-key-0002', text: 'y' });
  await a.next('message.ack');
  const b = await h.customer();
  b.send({ type: 'conversation.start', clientMsgId: 'idem-key-0003', text: 'z', prechat: {} });
  await b.next('message.ack');
  const callerOf = (id: string) => (h.app.calls.find((c) => 'clientMsgId' in c && c.clientMsgId === id) as { caller: string }).caller;
  const [k1, k2, k3] = [callerOf('idem-key-0001'), callerOf('idem-key-0002'), callerOf('idem-key-0003')];
  assert.ok(CallerKey.safeParse(k1).success, k1);
  assert.is(k1, k2);
  assert.is.not(k1, k3);
  const keys = await h.service.store.kv.keys('');
  for (const k of keys) assert.not.ok(k.includes(k1.slice(2)), 'the caller key is no store key');
  assert.not.ok(k1.includes(a.authOk.token));
  await a.close();
  await b.close();
});

T('conversation.start: a replayed id from another visitor is refused and nothing of the victim reaches the attacker', async ({ h }) => {
  const { victim, conversationId } = await victimWithConversation(h, 'idem-start-0001');
  const attacker = await h.customer();
  attacker.send({ type: 'conversation.start', clientMsgId: 'idem-start-0001', text: 'gotcha', prechat: {} });
  const f = await attacker.next('message.failed');
  assert.equal(f, { type: 'message.failed', clientMsgId: 'idem-start-0001', code: 'forbidden', message: NOT_YOURS, retryable: false });
  await settle(attacker);
  assert.not.ok(
    attacker.frames.some((x) => x.type === 'message.ack'),
    'no ack of the victim request',
  );
  await assertNothingLeaked(h, attacker, conversationId, victim);
  await victim.close();
});

T('offline form: a replayed id from another visitor is refused', async ({ h }) => {
  const victim = await h.customer();
  victim.send({ type: 'conversation.start', clientMsgId: 'idem-offline-01', text: 'call me back', prechat: { name: 'Vera' }, offline: true });
  const { conversationId } = await victim.next('message.ack');
  const attacker = await h.customer();
  attacker.send({ type: 'conversation.start', clientMsgId: 'idem-offline-01', text: 'x', prechat: {}, offline: true });
  assert.is((await attacker.next('message.failed')).message, NOT_YOURS);
  await assertNothingLeaked(h, attacker, conversationId, victim);
  await victim.close();
});

T('message.send: a replayed id from another customer is refused, on the victim conversation or their own', async ({ h }) => {
  const { victim, conversationId } = await victimWithConversation(h, 'idem-start-0002');
  victim.send({ type: 'message.send', conversationId, clientMsgId: 'idem-msg-00002', text: 'my card number' });
  await victim.next('message.ack');
  const attacker = await h.customer();
  attacker.send({ type: 'conversation.start', clientMsgId: 'idem-start-0003', text: 'hello', prechat: {} });
  const own = await attacker.next('message.ack');
  attacker.send({ type: 'message.send', conversationId, clientMsgId: 'idem-msg-00002', text: 'x' });
  assert.is((await attacker.next('message.failed')).message, NOT_YOURS);
  attacker.send({ type: 'message.send', conversationId: own.conversationId, clientMsgId: 'idem-msg-00002', text: 'x' });
  assert.is((await attacker.next('message.failed')).message, NOT_YOURS);
  await settle(attacker);
  assert.is(attacker.frames.filter((x) => x.type === 'message.ack').length, 1, 'only the attacker own start was acked');
  await assertNothingLeaked(h, attacker, conversationId, victim);
  await victim.close();
});

T('attachment.send: a replayed id from another customer is refused', async ({ h }) => {
  const { victim, conversationId } = await victimWithConversation(h, 'idem-start-0004');
  const attachmentId = await h.upload(victim.authOk.token, conversationId, 'dot.png', PNG);
  victim.send({ type: 'attachment.send', conversationId, clientMsgId: 'idem-att-00004', attachmentId });
  await victim.next('message.ack');
  const attacker = await h.customer();
  attacker.send({ type: 'conversation.start', clientMsgId: 'idem-start-0005', text: 'hello', prechat: {} });
  await attacker.next('message.ack');
  attacker.send({ type: 'attachment.send', conversationId, clientMsgId: 'idem-att-00004', attachmentId });
  assert.is((await attacker.next('message.failed')).message, NOT_YOURS);
  attacker.send({ type: 'attachment.url', conversationId, attachmentId });
  assert.is((await attacker.next('error')).code, 'forbidden');
  await assertNothingLeaked(h, attacker, conversationId, victim);
  await victim.close();
});

T('the same visitor retrying gets its answer again (reconnect with its token)', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'idem-retry-001', text: 'x', prechat: {} });
  const first = await c.next('message.ack');
  await c.close();
  const again = await h.customer({ auth: { token: c.authOk.token } });
  again.send({ type: 'conversation.start', clientMsgId: 'idem-retry-001', text: 'x', prechat: {} });
  const second = await again.next('message.ack');
  assert.equal({ ...second, at: 0 }, { ...first, at: 0 });
  await again.close();
});

T('a known customer is never moved to another account, even if the app answered so', async ({ h }) => {
  const { victim, conversationId, accountId } = await victimWithConversation(h, 'idem-start-0006');
  const attacker = await h.customer();
  attacker.send({ type: 'conversation.start', clientMsgId: 'idem-start-0007', text: 'hello', prechat: {} });
  await attacker.next('message.ack');
  // A misbehaving (or older) app answers a start with the victim's conversation and account.
  h.app.startAnswer = () => ({ conversationId, issueId: '1', customerAccountId: accountId, messageId: '99', at: new Date().toISOString() });
  try {
    attacker.send({ type: 'conversation.start', clientMsgId: 'idem-start-0008', text: 'x', prechat: {} });
    const f = await attacker.next('message.failed');
    assert.is(f.code, 'forbidden');
  } finally {
    h.app.startAnswer = null;
  }
  await assertNothingLeaked(h, attacker, conversationId, victim);
  await victim.close();
});

T.run();
