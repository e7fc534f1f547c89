import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../testing/harness.js';
import { gatedSuite } from '../testing/gated-store.js';

const Msg = suite<{ h: Harness }>('customer messages');
Msg.before(async (ctx) => {
  ctx.h = await startHarness();
});
Msg.after(async (ctx) => ctx.h.close());

Msg('conversation.start is acked with the Jira ids, and the token remembers the customer (the name from Jira, no email)', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-00001', text: 'Hello', prechat: { name: 'Bo', email: 'bo@example.com' } });
  const ack = await c.next('message.ack');
  assert.is(ack.clientMsgId, 'msg-00001');
  assert.match(ack.conversationId, /^SUP-\d+$/);
  const start = h.app.calls.find((x) => x.type === 'conversation.start') as any;
  assert.equal(start.customer, { name: 'Bo', email: 'bo@example.com', verified: false });
  await c.close();
  const again = await h.customer({ auth: { token: c.authOk.token } });
  assert.equal(
    again.authOk.conversations.map((x: any) => x.id),
    [ack.conversationId],
  );
  // The service stores no name or email: the name is Jira's (conversations.list), the email the widget's own memory.
  assert.equal(again.authOk.customer, { name: 'Bo', email: null, verified: false });
  await again.close();
});

Msg('message.send is acked only after the app answered', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-00002', text: 'Hi', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  let open!: () => void;
  h.app.gate = new Promise<void>((r) => (open = r));
  const atGate = new Promise<void>((r) => (h.app.onGate = r));
  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-00003', text: 'Are you there?' });
  await atGate;
  // A round trip on the same socket: an early ack would have come before the pong.
  await c.roundTrip();
  c.none('message.ack');
  h.app.onGate = null;
  open();
  h.app.gate = null;
  const ack = await c.next('message.ack');
  assert.is(ack.clientMsgId, 'msg-00003');
  await c.close();
});

Msg('app down: message.failed with retryable, and no ack', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-00004', text: 'Hi', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  h.app.down = true;
  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-00005', text: 'Hello?' });
  const f = await c.next('message.failed');
  h.app.down = false;
  assert.equal(f, { type: 'message.failed', clientMsgId: 'msg-00005', code: 'unavailable', message: f.message, retryable: true });
  // Writes on one socket run in order: an ack for the failed one would come before this one's.
  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-00005b', text: 'Now?' });
  assert.is((await c.next('message.ack')).clientMsgId, 'msg-00005b');
  await c.close();
});

Msg("a visitor cannot write to another visitor's conversation", async ({ h }) => {
  const a = await h.customer();
  a.send({ type: 'conversation.start', clientMsgId: 'msg-00006', text: 'Mine', prechat: {} });
  const { conversationId } = await a.next('message.ack');
  const b = await h.customer();
  b.send({ type: 'conversation.start', clientMsgId: 'msg-00007', text: 'B here', prechat: {} });
  await b.next('message.ack');
  b.send({ type: 'message.send', conversationId, clientMsgId: 'msg-00008', text: 'sneaky' });
  const f = await b.next('message.failed');
  assert.is(f.code, 'forbidden');
  assert.is(f.retryable, false);
  b.send({ type: 'typing', conversationId, on: true });
  assert.is((await b.next('error')).code, 'forbidden');
  b.send({ type: 'history', conversationId });
  assert.is((await b.next('error')).code, 'forbidden');
  await a.close();
  await b.close();
});

Msg('a visitor without a conversation yet may not send into one', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'message.send', conversationId: 'SUP-1', clientMsgId: 'msg-00009', text: 'hi' });
  assert.is((await c.next('message.failed')).code, 'forbidden');
  await c.close();
});

Msg('history comes from the app each time', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-00010', text: 'Hi', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  const before = h.app.calls.filter((x) => x.type === 'history').length;
  c.send({ type: 'history', conversationId });
  c.send({ type: 'history', conversationId });
  await c.next('history');
  await c.next('history');
  assert.is(h.app.calls.filter((x) => x.type === 'history').length, before + 2);
  await c.close();
});

/**
 * A visitor with a conversation comes back while the app is down: the chat opens with no
 * list (not an empty one), so the socket listens to nothing yet. The app stays down.
 */
async function backWhileAppDown(h: Harness, clientMsgId: string) {
  const first = await h.customer();
  first.send({ type: 'conversation.start', clientMsgId, text: 'Hi', prechat: {} });
  const { conversationId } = await first.next('message.ack');
  await first.close();
  h.app.down = true;
  const c = await h.customer({ auth: { token: first.authOk.token } });
  assert.is(c.authOk.conversations, undefined, 'no list, rather than an empty one');
  return { c, conversationId: conversationId as string };
}

const agentReply = (conversationId: string, id: string, text: string) => ({
  id,
  conversationId,
  author: { kind: 'agent', accountId: 'agent-x', name: 'Xi' },
  text,
  at: new Date().toISOString(),
});

Msg('a reply relayed while the history of a conversation missing from the auth list is read still reaches the socket', async ({ h }) => {
  const { c, conversationId } = await backWhileAppDown(h, 'msg-00030');
  h.app.down = false;
  // The page is read (the full history call at the app), then an agent's reply is relayed, before that answer is back.
  let open!: () => void;
  h.app.gate = new Promise<void>((r) => (open = r));
  h.app.gateOnly = (call) => call.type === 'history' && call.limit !== 1; // not the ownership check
  const pageRead = new Promise<void>((r) => (h.app.onGate = r));
  c.send({ type: 'history', conversationId });
  await pageRead;
  const r = await h.remote('relay', { message: agentReply(conversationId, '9001', 'Reply') });
  h.app.onGate = h.app.gateOnly = null;
  open();
  h.app.gate = null;
  assert.is(r.body.delivered, 1, 'the socket was listening while the page was read');
  assert.is((await c.next('message')).message.text, 'Reply');
  assert.is((await c.next('history')).conversationId, conversationId);
  await c.close();
});

Msg('a history the app could not answer is tried again and sent once the app is back; the socket then listens to the conversation', async ({ h }) => {
  const { c, conversationId } = await backWhileAppDown(h, 'msg-00031');
  c.send({ type: 'history', conversationId });
  assert.is((await c.next('error')).code, 'unavailable', 'the widget is told at once');
  h.app.down = false;
  // The first retry comes HISTORY_RETRY_DELAYS_MS[0] later.
  assert.is((await c.next('history')).conversationId, conversationId);
  assert.is((await h.remote('relay', { message: agentReply(conversationId, '9002', 'Back') })).body.delivered, 1, 'listening since the retry worked');
  assert.is((await c.next('message')).message.text, 'Back');
  await c.close();
});

Msg('required prechat email is enforced before calling the app', async ({ h }) => {
  await h.projectConfig({ widget: { requireName: false, requireEmail: true } });
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-00011', text: 'Hi', prechat: {} });
  const f = await c.next('message.failed');
  assert.is(f.code, 'invalid');
  assert.match(f.message, /prechat\.email/);
  await c.close();
  await h.projectConfig();
});

// ---- frames that are wrong ----------------------------------------------------------

Msg('a rating goes to the app as feedback with the customer and caller, and is answered with rated; 0 or 6 is invalid', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-00090', text: 'Rate later', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  c.send({ type: 'rating', conversationId, rating: 5, comment: '  Lovely  ' });
  assert.equal(await c.next('rated'), { type: 'rated', conversationId });
  const call = h.app.calls.find((x) => x.type === 'feedback') as any;
  assert.is(call.rating, 5);
  assert.is(call.comment, 'Lovely', 'trimmed at the boundary');
  assert.is(call.conversationId, conversationId);
  assert.match(call.caller, /^v:/);
  assert.type(call.customerAccountId, 'string');
  for (const rating of [0, 6]) {
    c.send({ type: 'rating', conversationId, rating });
    assert.is((await c.next('error')).code, 'invalid');
  }
  await c.close();
});

Msg.run();

const Bad = suite<{ h: Harness }>('bad frames');
Bad.before(async (ctx) => {
  ctx.h = await startHarness({ limits: { frameBurst: 5, framesPerSec: 1, rateAbuseStrikes: 3 } });
});
Bad.after(async (ctx) => ctx.h.close());

Bad('closes a 70 KiB frame with 1009, other sockets unaffected', async ({ h }) => {
  const bystander = await h.customer();
  const c = await h.customer();
  c.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70 * 1024) }));
  assert.is((await c.closed).code, 1009);
  bystander.send({ type: 'ping' });
  await bystander.next('pong');
  await bystander.close();
});

Bad('invalid JSON gets bad_frame, a schema failure names the field, an unknown type is bad_frame', async ({ h }) => {
  const c = await h.customer();
  c.send('{nope');
  assert.equal((await c.next('error')).code, 'bad_frame');
  c.send({ type: 'message.send', conversationId: 'not an issue key', clientMsgId: 'msg-00020', text: 'x' });
  const e = await c.next('error');
  assert.is(e.code, 'invalid');
  assert.match(e.message, /^conversationId: /);
  assert.is(e.ref, 'msg-00020');
  c.send({ type: 'launch.missiles' });
  assert.is((await c.next('error')).code, 'bad_frame');
  c.send({ type: 'ping' });
  await c.next('pong');
  await c.close();
});

Bad('a binary frame closes with 1003', async ({ h }) => {
  const c = await h.customer();
  c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  assert.is((await c.closed).code, 1003);
});

Bad('a flood gets rate_limited, then 1008; the service keeps serving others', async ({ h }) => {
  const c = await h.customer();
  for (let i = 0; i < 12; i++) c.send({ type: 'ping' });
  assert.is((await c.next('error')).code, 'rate_limited');
  assert.is((await c.closed).code, 1008);
  const other = await h.customer();
  other.send({ type: 'ping' });
  await other.next('pong');
  await other.close();
});

Bad.run();

const Order = suite<{ h: Harness }>('frame order');
Order.before(async (ctx) => {
  ctx.h = await startHarness();
});
Order.after(async (ctx) => ctx.h.close());

Order('frames sent right behind auth wait for it; a slow send does not hold up pings; acks keep order', async ({ h }) => {
  const c = await h.customer({ auth: null });
  c.send({ type: 'auth', widgetId: h.widgetId });
  c.send({ type: 'conversation.start', clientMsgId: 'msg-60001', text: 'first', prechat: {} });
  await c.next('auth.ok');
  const { conversationId } = await c.next('message.ack');
  let open!: () => void;
  h.app.gate = new Promise<void>((r) => (open = r));
  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-60002', text: 'one' });
  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-60003', text: 'two' });
  c.send({ type: 'ping' });
  await c.next('pong');
  open();
  h.app.gate = null;
  assert.is((await c.next('message.ack')).clientMsgId, 'msg-60002');
  assert.is((await c.next('message.ack')).clientMsgId, 'msg-60003');
  await c.close();
});

Order.run();

// ---- the store failing right after an ack ----------------------------------------------

/** A hang guard: the service closes within milliseconds. */
const CLOSE_WAIT_MS = 5_000;

const Lost = gatedSuite('customer messages: the store failing after the ack');

Lost(
  'a start acknowledged while the store refuses the listening closes the socket with 1012; back, the visitor listens to the conversation',
  async ({ h, gate }) => {
    const c = await h.customer();
    gate.refuseJoins = true;
    c.send({ type: 'conversation.start', clientMsgId: 'msg-00040', text: 'Hi', prechat: {} });
    const { conversationId } = await c.next('message.ack');
    const closed = await Promise.race([c.closed, new Promise((r) => setTimeout(() => r('still open'), CLOSE_WAIT_MS))]);
    assert.equal(closed, { code: 1012, reason: 'live state lost, reconnect' }, 'told to reconnect, not left deaf');
    gate.refuseJoins = false;
    const back = await h.customer({ auth: { token: c.authOk.token } });
    assert.equal(
      back.authOk.conversations.map((x: { id: string }) => x.id),
      [conversationId],
    );
    assert.is((await h.remote('relay', { message: agentReply(conversationId, '9003', 'Welcome') })).body.delivered, 1);
    assert.is((await back.next('message')).message.text, 'Welcome');
    await back.close();
  },
);

Lost('a message whose live copy the store refused at first still reaches the agent watching it, once the store accepts again', async ({ h, gate }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-00041', text: 'Hi', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  const a = await h.agent(['SUP']);
  a.send({ type: 'watch', conversationId });
  await a.next('watching');
  gate.refusePublishes = true;
  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-00042', text: 'During the failover' });
  // The ack and the first publish leave in the same turn: the first try has met the refusal.
  await c.next('message.ack');
  gate.refusePublishes = false;
  assert.is((await a.next('message')).message.text, 'During the failover');
  await c.roundTrip();
  c.none('error');
  await a.close();
  await c.close();
});

Lost.run();
