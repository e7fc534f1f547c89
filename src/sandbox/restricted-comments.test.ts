/**
 * Role-restricted, group-restricted and internal comments never reach a customer, through
 * every real part: JSM stand-in → comment event → the app's trigger → Forge Remote →
 * presence service → the customer's socket, and the widget's `history` frame (presence
 * service → signed webtrigger → app → Jira comments). Only public comments arrive.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { System } from './system.js';
import { withSystem } from './testing/system-suite.js';
import { connect, type RecordingSocket } from './testing/ws-client.js';

const test = suite<{ system: System; dir: string; customer: RecordingSocket; issueKey: string; token: string }>('restricted comments, end to end');

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const FIRST = 'Hello, is my order on its way?';
const SECRETS = { role: 'ROLE-ONLY: refund was denied', group: 'GROUP-ONLY: fraud check pending', internal: 'INTERNAL: customer is a VIP' };

async function jira(system: System, path: string, body: unknown): Promise<Response> {
  const agent = system.agents[0]!;
  const auth = Buffer.from(`${agent.emailAddress}:sandbox`).toString('base64');
  return fetch(`${system.jsm.url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json', accept: 'application/json' },
  });
}

withSystem(test, 'restricted', {
  async setup(ctx) {
    ctx.customer = await connect(`${ctx.system.presence.wsUrl}/ws/customer`, { origin: ctx.system.demo.origin });
    ctx.customer.send({ type: 'auth', widgetId: ctx.system.widgetId });
    ctx.token = (await ctx.customer.next<{ token: string }>((f) => f.type === 'auth.ok')).token;
    ctx.customer.send({
      type: 'conversation.start',
      clientMsgId: 'rst-e2e-first01',
      text: FIRST,
      prechat: { name: 'Rosa Example', email: 'rosa@example.com' },
    });
    ctx.issueKey = (await ctx.customer.next<{ conversationId: string }>((f) => f.type === 'message.ack', 20_000)).conversationId;
  },
  teardown: async (ctx) => ctx.customer?.close(),
});

test('role, group and internal comments do not reach the open widget; the public reply after them does', async ({ system, customer, issueKey }) => {
  const key = issueKey;
  assert.is(
    (await jira(system, `/rest/api/3/issue/${key}/comment`, { body: adf(SECRETS.role), visibility: { type: 'role', value: 'Service Desk Team' } })).status,
    201,
  );
  assert.is(
    (await jira(system, `/rest/api/3/issue/${key}/comment`, { body: adf(SECRETS.group), visibility: { type: 'group', value: 'jira-servicedesk-users' } }))
      .status,
    201,
  );
  assert.is((await jira(system, `/rest/servicedeskapi/request/${key}/comment`, { body: SECRETS.internal, public: false })).status, 201);
  await system.host.idle();
  assert.is((await jira(system, `/rest/api/3/issue/${key}/comment`, { body: adf('Yes, it ships today.') })).status, 201);
  const next = await customer.next<{ message: { text: string } }>((f) => f.type === 'message', 20_000);
  assert.is(next.message.text, 'Yes, it ships today.', 'the first message the customer sees is the public one');
  const seen = JSON.stringify(customer.frames);
  for (const s of Object.values(SECRETS)) assert.not.ok(seen.includes(s), `"${s}" reached the socket`);
});

test('the widget history from Jira holds only the public messages', async ({ system, issueKey, token }) => {
  await system.host.idle();
  // A reload: a new socket with the same visitor token asks for the history, as the widget does.
  const again = await connect(`${system.presence.wsUrl}/ws/customer`, { origin: system.demo.origin });
  try {
    again.send({ type: 'auth', widgetId: system.widgetId, token });
    await again.next((f) => f.type === 'auth.ok');
    again.send({ type: 'history', conversationId: issueKey });
    const h = await again.next<{ messages: { text: string }[] }>((f) => f.type === 'history', 20_000);
    assert.equal(
      h.messages.map((m) => m.text),
      [FIRST, 'Yes, it ships today.'],
    );
    const seen = JSON.stringify(again.frames);
    for (const s of Object.values(SECRETS)) assert.not.ok(seen.includes(s), `"${s}" is in the history`);
  } finally {
    await again.close();
  }
});

test.run();
