import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld, type World } from './__fixtures__/world.js';

let w: World;
let key = '';
let customer = '';
test.before(async () => {
  w = await startWorld();
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'trig-start-000001',
    caller: 'v:' + 'e5'.repeat(16),
    channel: 'web',
    customer: { name: 'Eve Visitor', email: 'eve@visitor.example', verified: false },
    text: 'Hello?',
  });
  key = s.body.conversationId;
  customer = s.body.customerAccountId;
  await w.host.idle();
});
test.after(async () => {
  await w.close();
});

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const relayed = () => w.presence.callsTo('relay').map((c) => c.body['message'] as { text: string; id: string });

test('the app-written first comment is not relayed back', async () => {
  assert.is(relayed().length, 0);
});

test('an agent public comment made through Jira REST is relayed to the presence service', async () => {
  const c = await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('Hi Eve, looking now') });
  assert.is(c.status, 201);
  await w.host.idle();
  const r = relayed();
  assert.is(r.length, 1);
  assert.is(r[0]?.text, 'Hi Eve, looking now');
  assert.is(r[0]?.id, String(c.body.id));
  const m = w.presence.callsTo('relay')[0]?.body['message'] as { author: { kind: string; name: string }; conversationId: string };
  assert.equal(m.author.kind, 'agent');
  assert.is(m.author.name, 'Alice Agent');
  assert.is(m.conversationId, key);
});

test('an edit relays again with the same message id', async () => {
  const c = await w.rest(w.people.bob, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('typo teh') });
  await w.host.idle();
  const before = relayed().length;
  const e = await w.rest(w.people.bob, 'PUT', `/rest/api/3/issue/${key}/comment/${c.body.id}`, { body: adf('typo fixed') });
  assert.is(e.status, 200);
  await w.host.idle();
  const r = relayed();
  assert.is(r.length, before + 1);
  assert.is(r.at(-1)?.id, String(c.body.id));
  assert.is(r.at(-1)?.text, 'typo fixed');
});

test('a relay that fails is retried with the event, and then delivered once', async () => {
  const ok = () => w.presence.callsTo('relay').length;
  const before = ok();
  w.presence.failNext('relay', 1);
  const c = await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('Sorry, we were offline') });
  await w.host.idle();
  const tries = w.presence
    .callsTo('relay')
    .slice(before)
    .map((x) => (x.body['message'] as { id: string }).id);
  assert.equal(tries, [String(c.body.id), String(c.body.id)], 'one failed try, one retry');
});

test('an internal note is never relayed', async () => {
  const before = relayed().length;
  const c = await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, {
    body: adf('internal: check the warehouse'),
    properties: [{ key: 'sd.public.comment', value: { internal: true } }],
  });
  assert.is(c.status, 201);
  await w.host.idle();
  assert.is(relayed().length, before);
});

test('a customer message written by the app through the webtrigger is not relayed', async () => {
  const before = relayed().length;
  const r = await w.inbound({
    type: 'message.customer',
    conversationId: key,
    customerAccountId: customer,
    clientMsgId: 'trig-msg-0000001',
    caller: 'v:' + 'e5'.repeat(16),
    text: 'Thanks',
  });
  assert.is(r.status, 200);
  await w.host.idle();
  assert.is(relayed().length, before);
});

test("the customer's own portal comment is relayed as the customer's message and marks the chat waiting", async () => {
  const before = relayed().length;
  const c = await w.rest(customer, 'POST', `/rest/servicedeskapi/request/${key}/comment`, { body: 'Replying from the portal', public: true });
  assert.is(c.status, 201);
  await w.host.idle();
  const calls = w.presence.callsTo('relay').slice(before);
  assert.is(calls.length, 1);
  const m = calls[0]!.body['message'] as { id: string; text: string; author: { kind: string; accountId?: string; name: string } };
  assert.equal(
    [m.id, m.text, m.author.kind, m.author.accountId, m.author.name],
    [String(c.body.id), 'Replying from the portal', 'customer', customer, 'Eve Visitor'],
  );
  assert.is(calls[0]!.body['whatsapp'], undefined);
  const activity = w.presence
    .callsTo('conversation-activity')
    .map((x) => x.body['activity'] as { kind: string; conversationId: string })
    .at(-1);
  assert.equal([activity?.kind, activity?.conversationId], ['customer_message', key]);
});

test('a comment on an issue that is not a chat is not relayed', async () => {
  const req = await w.rest('app', 'POST', '/rest/servicedeskapi/request', {
    serviceDeskId: '1',
    requestTypeId: '11',
    requestFieldValues: { summary: 'Printer', description: 'broken' },
    raiseOnBehalfOf: w.people.carl,
  });
  const before = relayed().length;
  await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${req.body.issueKey}/comment`, { body: adf('Have you tried turning it off') });
  await w.host.idle();
  assert.is(relayed().length, before);
});

test('assigning the request announces the assignee; resolving it closes the chat', async () => {
  const a = await w.rest(w.people.alice, 'PUT', `/rest/api/3/issue/${key}/assignee`, { accountId: w.people.bob });
  assert.is(a.status, 204);
  await w.host.idle();
  const assigned = w.presence.callsTo('conversation-activity').map((c) => c.body['activity'] as { kind: string; assignee?: string });
  assert.ok(
    assigned.some((x) => x.kind === 'assigned' && x.assignee === 'Bob Agent'),
    JSON.stringify(assigned),
  );

  const t = await w.rest(w.people.alice, 'GET', `/rest/api/3/issue/${key}/transitions`);
  const done = t.body.transitions.find((x: { to: { statusCategory: { key: string } } }) => x.to.statusCategory.key === 'done');
  assert.ok(done, 'the workflow offers a done transition');
  await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: done.id }, fields: { resolution: { name: 'Done' } } });
  await w.host.idle();
  const closed = w.presence.callsTo('conversation-activity').filter((c) => (c.body['activity'] as { kind: string }).kind === 'closed');
  assert.is(closed.length, 1);
  const prop = await w.rest('app', 'GET', `/rest/api/3/issue/${key}/properties/chat.conversation`);
  assert.is(prop.body.value.status, 'closed');
});

test.run();
