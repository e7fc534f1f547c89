/**
 * Observability (issue 12): /metrics shows the named series after real traffic; a whole
 * conversation logged at debug level never writes message text, tokens or secrets; one
 * request id follows the widget's work through the service's logs to the webtrigger.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, ORIGIN, type Harness } from './testing/harness.js';
import { connect } from './testing/client.js';
import { createLogger } from './log.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const TEXT = 'my-private-words-7f3a';
const REPLY = 'agent-private-reply-91c2';
const RID = 'widget-rid-0123456789';

const T = suite<{ h: Harness; lines: string[]; secrets: string[]; conversationId: string; token: string }>('observability', {
  h: undefined!,
  lines: [],
  secrets: [],
  conversationId: '',
  token: '',
});

T.before(async (ctx) => {
  ctx.lines = [];
  ctx.h = await startHarness({
    limits: { frameBurst: 3, framesPerSec: 0.5 },
    deps: { attachments: undefined, log: createLogger({ level: 'debug', write: (l) => ctx.lines.push(l) }) },
  });
  const { h } = ctx;
  // A customer whose widget names its request id (?rid=), as static/widget does.
  const c = await connect(`${h.service.wsUrl}/ws/customer?rid=${RID}`, { origin: ORIGIN });
  c.send({ type: 'auth', widgetId: h.widgetId });
  const authOk = await c.next('auth.ok');
  c.send({ type: 'conversation.start', clientMsgId: 'obs-start-1', text: TEXT, prechat: { name: 'Olga' } });
  const { conversationId } = await c.next('message.ack');
  ctx.conversationId = conversationId;
  ctx.token = authOk.token!;
  const agent = await h.agent(['SUP'], 'agent-obs');
  agent.send({ type: 'watch', conversationId });
  await agent.next('customer.presence');
  await h.upload(authOk.token, conversationId, 'dot.png', PNG);
  await h.remote('relay', { message: { id: 'r-obs-1', conversationId, author: { kind: 'agent', name: 'Alice' }, text: REPLY, at: new Date().toISOString() } });
  await c.next('message');
  // More frames than the burst allows: refused with rate_limited.
  for (let i = 0; i < 6; i++) c.send({ type: 'ping' });
  await c.next('error');
  ctx.secrets = [authOk.token, agent.authOk.httpToken, h.app.secret!].filter(Boolean);
});
T.after(async (ctx) => ctx.h.close());

/** The value of one sample line (`name{labels} value`), or null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

T('/metrics exposes sockets by role, tenants, frames, relay and app-call latency, store errors, upload bytes and rate-limit refusals', async ({ h }) => {
  const res = await fetch(`${h.service.url}/metrics`);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', 'text/plain');
  const text = await res.text();
  assert.is(sample(text, 'jsmchat_sockets{role="customer"}'), 1);
  assert.is(sample(text, 'jsmchat_sockets{role="agent"}'), 1);
  assert.is(sample(text, 'jsmchat_tenants'), 1);
  assert.ok(sample(text, 'jsmchat_ws_frames_total{direction="in",role="customer"}')! >= 3);
  assert.ok(sample(text, 'jsmchat_ws_frames_total{direction="out",role="agent"}')! >= 2);
  assert.is(sample(text, 'jsmchat_app_call_duration_seconds_count{call="conversation.start",outcome="ok"}'), 1);
  assert.is(sample(text, 'jsmchat_relay_duration_seconds_count{outcome="ok"}'), 1);
  assert.is(sample(text, 'jsmchat_upload_bytes_total'), PNG.length);
  assert.ok(sample(text, 'jsmchat_rate_limited_total{where="ws"}')! >= 1);
  assert.match(text, '# TYPE jsmchat_store_errors_total counter');
  assert.match(text, '# TYPE jsmchat_process_cpu_seconds_total counter');
});

T('no log line holds message text, tokens or secrets, though the whole conversation was logged at debug', ({ lines, secrets }) => {
  assert.ok(lines.length > 5, 'the service logged the conversation');
  const all = lines.join('\n');
  for (const s of [TEXT, REPLY, ...secrets]) assert.not.ok(all.includes(s), `a log line holds ${s.slice(0, 6)}…`);
  for (const line of lines) {
    const rec = JSON.parse(line);
    assert.type(rec.event, 'string');
    assert.type(rec.time, 'string');
  }
});

T("the widget's request id reaches the webtrigger as X-Request-Id and the log lines of that work", ({ h, lines }) => {
  const start = h.app.calls.findIndex((c) => c.type === 'conversation.start');
  assert.is(h.app.requestIds[start], RID);
  const logged = lines.map((l) => JSON.parse(l)).filter((r) => r.requestId === RID);
  assert.ok(
    logged.some((r) => r.event === 'app.call'),
    'the app call was logged with the request id',
  );
});

T("an upload's request id reaches the webtrigger on the access check the upload causes", async ({ h, token, conversationId }) => {
  const before = h.app.calls.length;
  const up = await fetch(`${h.service.url}/v1/attachments?conversationId=${conversationId}&name=again.png`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png', origin: ORIGIN, 'x-request-id': 'upload-rid-77aa99bb' },
    body: PNG,
  });
  assert.is(up.status, 201);
  const check = h.app.calls.findIndex((c, i) => i >= before && c.type === 'history');
  assert.ok(check >= 0, 'the upload asked the app whether the customer may use this conversation');
  assert.is(h.app.requestIds[check], 'upload-rid-77aa99bb');
});

T('an HTTP request gets its X-Request-Id echoed, or a fresh one when it sends none or a malformed one', async ({ h }) => {
  const mine = await fetch(`${h.service.url}/healthz`, { headers: { 'x-request-id': 'upload-rid-abcdef12' } });
  assert.is(mine.headers.get('x-request-id'), 'upload-rid-abcdef12');
  const bad = await fetch(`${h.service.url}/healthz`, { headers: { 'x-request-id': 'has spaces and <html>' } });
  assert.match(bad.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});

T.run();
