import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from '../testing/harness.js';
import { testRedis, testKeyPrefix, startTcpProxy, waitUntil, type TestRedis, type TcpProxy } from '../testing/index.js';

/** readyz follows the store's health checks, so it turns a few seconds after the outage does. */
const SCALE_OUT_WAIT_MS = 8_000;

const X = suite<{ redis: TestRedis; a: Harness; b: Harness }>('two instances on one Redis');
X.before(async (ctx) => {
  ctx.redis = await testRedis();
  const env = { REDIS_URL: ctx.redis.url, REDIS_KEY_PREFIX: testKeyPrefix().replace(/:$/, ':'), SECRET_KEY: randomBytes(32).toString('base64') };
  ctx.a = await startHarness({ env });
  // Same Redis, same secret, same Forge: instance B re-links the site to its own fake app.
  ctx.b = await startHarness({ env, forge: ctx.a.forge });
});
X.after(async (ctx) => {
  await ctx.b.close();
  await ctx.a.close();
  await ctx.redis.stop();
});

X('customer on A and agent on B: message, typing, seen, relay and presence cross over', async ({ a, b }) => {
  assert.is(a.widgetId, b.widgetId);
  const c = await a.customer();
  assert.is(c.authOk.availability.state, 'offline');
  c.send({ type: 'conversation.start', clientMsgId: 'msg-30001', text: 'Hi', prechat: { name: 'Eve' } });
  const { conversationId } = await c.next('message.ack');

  const agent = await b.agent(['SUP'], 'agent-x');
  assert.is((await c.next('availability')).availability.state, 'online', 'agent on B makes the widget on A online');
  agent.send({ type: 'watch', conversationId });
  assert.is((await agent.next('customer.presence')).presence.online, true);

  c.send({ type: 'message.send', conversationId, clientMsgId: 'msg-30002', text: 'From A' });
  await c.next('message.ack');
  assert.is((await agent.next('message')).message.text, 'From A');
  c.send({ type: 'typing', conversationId, on: true });
  assert.is((await agent.next('typing')).who, 'customer');
  c.send({ type: 'seen', conversationId, messageId: '5' });
  assert.is((await agent.next('seen')).by, 'customer');
  agent.send({ type: 'typing', conversationId, on: false });
  assert.is((await c.next('typing')).on, false);
  agent.send({ type: 'seen', conversationId, messageId: '6' });
  assert.is((await c.next('seen')).messageId, '6');

  const message = { id: '77', conversationId, author: { kind: 'agent', accountId: 'agent-x', name: 'Xi' }, text: 'From B', at: new Date().toISOString() };
  const r = await b.remote('relay', { message });
  assert.is(r.body.delivered, 1);
  assert.is((await c.next('message')).message.text, 'From B');

  await c.close();
  assert.is((await agent.next('customer.presence')).presence.online, false);
  await agent.close();
});

X.run();

// ---- Redis outage ---------------------------------------------------------------------

const O = suite<{ redis: TestRedis; proxy: TcpProxy; h: Harness }>('Redis outage');
O.before(async (ctx) => {
  ctx.redis = await testRedis();
  const u = new URL(ctx.redis.url);
  ctx.proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port) });
  ctx.h = await startHarness({ env: { REDIS_URL: `redis://127.0.0.1:${ctx.proxy.port}`, REDIS_KEY_PREFIX: testKeyPrefix() } });
});
O.after(async (ctx) => {
  await ctx.h.close();
  await ctx.proxy.close();
  await ctx.redis.stop();
});

O('clients get unavailable while Redis is down, and service resumes when it returns', async ({ h, proxy }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-40001', text: 'Hi', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  // A barrier: writes run one after another, so this refusal comes once the start's steps
  // after its ack (listening to the conversation) are done. A cut during those would close
  // the socket with 1012 instead (customer.ts, liveStateLost).
  c.send({ type: 'message.send', conversationId: 'SUP-999', clientMsgId: 'msg-40002', text: 'barrier' });
  await c.next('message.failed');
  proxy.cut();
  await waitUntil(async () => (await fetch(`${h.service.url}/readyz`)).status === 503, 'readyz 503 during the outage', SCALE_OUT_WAIT_MS);
  c.send({ type: 'typing', conversationId, on: true });
  assert.is((await c.next('error')).code, 'unavailable');
  const late = await h.customer({ auth: null });
  late.send({ type: 'auth', widgetId: h.widgetId });
  assert.is((await late.next('error')).code, 'unavailable');
  assert.is((await late.closed).code, 1011);
  proxy.restore();
  await waitUntil(async () => (await fetch(`${h.service.url}/readyz`)).status === 200, 'readyz 200 after the outage', SCALE_OUT_WAIT_MS);
  const again = await h.customer();
  assert.type(again.authOk.token, 'string');
  c.send({ type: 'ping' });
  await c.next('pong');
  await again.close();
  await c.close();
});

O.run();
