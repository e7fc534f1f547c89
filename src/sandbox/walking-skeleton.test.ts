/**
 * The walking skeleton, end to end through every real part: a customer's WebSocket
 * message becomes a JSM request with the message as a comment (presence service →
 * signed webtrigger → app → JSM), and an agent's public comment added through the
 * JSM REST API, as Jira's own UI would, reaches the customer's socket (comment event →
 * app trigger → Forge Remote → presence service → socket). Internal notes do not.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { System } from './system.js';
import { withSystem } from './testing/system-suite.js';
import { connect, type RecordingSocket } from './testing/ws-client.js';

const test = suite<{ system: System; dir: string; customer: RecordingSocket; issueKey: string }>('walking skeleton');

async function jira(system: System, who: { emailAddress: string }, path: string, init: RequestInit = {}): Promise<Response> {
  const auth = Buffer.from(`${who.emailAddress}:sandbox`).toString('base64');
  return fetch(`${system.jsm.url}${path}`, {
    ...init,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json', accept: 'application/json', ...(init.headers as object) },
  });
}

withSystem(test, 'skeleton', { teardown: async (ctx) => ctx.customer?.close() });

test('a customer message becomes a JSM request with the message as its first comment', async (ctx) => {
  const { system } = ctx;
  ctx.customer = await connect(`${system.presence.wsUrl}/ws/customer`, { origin: system.demo.origin });
  ctx.customer.send({ type: 'auth', widgetId: system.widgetId, timeZone: 'Europe/Berlin' });
  const ok = await ctx.customer.next<{ token: string }>((f) => f.type === 'auth.ok');
  assert.type(ok.token, 'string');
  ctx.customer.send({
    type: 'conversation.start',
    clientMsgId: 'e2e-first-0001',
    text: 'Hello, my bike has a flat tyre',
    prechat: { name: 'Eve Example', email: 'eve@example.com' },
  });
  const ack = await ctx.customer.next<{ conversationId: string; messageId: string }>((f) => f.type === 'message.ack', 20_000);
  assert.match(ack.conversationId, /^SUP-\d+$/);
  ctx.issueKey = ack.conversationId;

  const agent = system.agents[0]!;
  const req = await jira(system, agent, `/rest/servicedeskapi/request/${ack.conversationId}`);
  assert.is(req.status, 200);
  const request = (await req.json()) as { requestTypeId: string; reporter: { emailAddress: string } };
  assert.is(request.reporter.emailAddress, 'eve@example.com');
  const comments = (await (await jira(system, agent, `/rest/api/3/issue/${ack.conversationId}/comment`)).json()) as {
    comments: { id: string; body: unknown }[];
  };
  const first = comments.comments.find((c) => c.id === ack.messageId);
  assert.ok(first, 'the acknowledged message id is a Jira comment');
  assert.match(JSON.stringify(first!.body), 'Hello, my bike has a flat tyre');
});

test("an agent's public comment made through Jira's REST API reaches the customer's socket", async (ctx) => {
  const { system } = ctx;
  const agent = system.agents[0]!;
  const body = {
    body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi Eve, we will send a new tube today.' }] }] },
  };
  const res = await jira(system, agent, `/rest/api/3/issue/${ctx.issueKey}/comment`, { method: 'POST', body: JSON.stringify(body) });
  assert.is(res.status, 201);
  const frame = await ctx.customer.next<{ message: { text: string; author: { kind: string; name: string }; conversationId: string } }>(
    (f) => f.type === 'message',
    20_000,
  );
  assert.is(frame.message.text, 'Hi Eve, we will send a new tube today.');
  assert.is(frame.message.author.kind, 'agent');
  assert.is(frame.message.conversationId, ctx.issueKey);
});

test('an internal note never reaches the customer', async (ctx) => {
  const { system } = ctx;
  const agent = system.agents[0]!;
  const res = await jira(system, agent, `/rest/servicedeskapi/request/${ctx.issueKey}/comment`, {
    method: 'POST',
    body: JSON.stringify({ body: 'Internal: customer is a VIP', public: false }),
  });
  assert.is(res.status, 201);
  await system.host.idle();
  const pub = { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Anything else?' }] }] } };
  await jira(system, agent, `/rest/api/3/issue/${ctx.issueKey}/comment`, { method: 'POST', body: JSON.stringify(pub) });
  const next = await ctx.customer.next<{ message: { text: string } }>((f) => f.type === 'message', 20_000);
  assert.is(next.message.text, 'Anything else?', 'the next message the customer sees is the public one');
  assert.not.ok(ctx.customer.frames.some((f) => JSON.stringify(f).includes('VIP')));
});

test.run();
