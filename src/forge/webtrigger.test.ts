import { test } from 'uvu';
import { adfToText } from '../protocol/adf.js';
import * as assert from 'uvu/assert';
import { WORLD_JSM_DEFAULTS, startWorld, type World } from './__fixtures__/world.js';

let w: World;
test.before(async () => {
  w = await startWorld();
});
test.after(async () => {
  await w.close();
});

/** Caller keys as the presence service derives them: one per visitor (see protocol/webtrigger.ts CallerKey). */
const VICTIM = 'v:' + 'a1'.repeat(16);
const ATTACKER = 'v:' + 'b2'.repeat(16);

const start = (over: Record<string, unknown> = {}) => ({
  type: 'conversation.start',
  projectKey: 'SUP',
  clientMsgId: 'start-0001-abcdef',
  caller: VICTIM,
  channel: 'web',
  customer: { name: 'Dora Visitor', email: 'dora@visitor.example', verified: false },
  prechatFields: { order: 'A-17' },
  text: 'My parcel never arrived',
  ...over,
});

/** Search lags writes by the world's configured delay: count once earlier writes are searchable. */
async function countIssues(): Promise<number> {
  await new Promise((r) => setTimeout(r, WORLD_JSM_DEFAULTS.searchDelayMs + 100));
  const r = await w.rest('app', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = SUP')}&maxResults=100`);
  return r.body.issues.length;
}

test('links on install: the presence service got the inbound webtrigger URL and issued the secret', async () => {
  const link = w.presence.callsTo('link');
  assert.is(link.length, 1);
  assert.is(link[0]?.body['webtriggerUrl'], await w.host.webtriggerUrl('inbound'));
  assert.ok(w.presence.secret);
  const ping = await w.inbound({ type: 'ping' });
  assert.is(ping.status, 200);
  assert.is(ping.body.ok, true);
});

test('a signed conversation.start creates the customer, the request, the property and the first comment', async () => {
  const r = await w.inbound(start());
  assert.is(r.status, 200, JSON.stringify(r.body));
  const { conversationId, customerAccountId, messageId } = r.body;
  assert.match(conversationId, /^SUP-\d+$/);

  const user = await w.rest('app', 'GET', `/rest/api/3/user?accountId=${customerAccountId}`);
  assert.is(user.body.displayName, 'Dora Visitor');
  assert.is(user.body.accountType, 'customer');

  const issue = await w.rest(w.people.alice, 'GET', `/rest/api/3/issue/${conversationId}?fields=summary,reporter,description&properties=chat.conversation`);
  assert.is(issue.body.fields.summary, 'Chat with Dora Visitor');
  assert.is(issue.body.fields.reporter.accountId, customerAccountId);
  const conv = issue.body.properties['chat.conversation'];
  assert.equal(
    { status: conv.status, channel: conv.channel, customerAccountId: conv.customerAccountId },
    { status: 'open', channel: 'web', customerAccountId },
  );

  const comments = await w.comments(w.people.alice, conversationId);
  assert.is(comments.length, 1);
  const c = comments[0];
  assert.is(String(c.id), messageId);
  assert.is(c.body.content[0].content[0].text, 'My parcel never arrived');
  const prop = c.properties.find((p: { key: string }) => p.key === 'chat.message');
  assert.equal(prop.value, { source: 'customer', customerAccountId, clientMsgId: 'start-0001-abcdef' });
});

test('a replayed conversation.start answers the same and writes nothing new', async () => {
  const before = await countIssues();
  const first = await w.inbound(start({ clientMsgId: 'start-0002-abcdef' }));
  assert.is(first.status, 200);
  const again = await w.inbound(start({ clientMsgId: 'start-0002-abcdef' }));
  assert.is(again.status, 200);
  assert.equal(again.body, first.body);
  assert.is(await countIssues(), before + 1);
  const comments = await w.rest('app', 'GET', `/rest/api/3/issue/${first.body.conversationId}/comment`);
  assert.is(comments.body.total, 1);
});

test('two concurrent deliveries of one start open one request; the loser is told to retry', async () => {
  const before = await countIssues();
  const call = start({ clientMsgId: 'start-0011-abcdef' });
  const [a, b] = await Promise.all([w.inbound(call), w.inbound(call)]);
  const statuses = [a.status, b.status].sort();
  assert.ok(statuses[0] === 200 && (statuses[1] === 200 || statuses[1] === 503), JSON.stringify([a, b]));
  const retry = await w.inbound(call);
  assert.is(retry.status, 200);
  assert.is(retry.body.conversationId, (a.status === 200 ? a : b).body.conversationId);
  assert.is(await countIssues(), before + 1);
});

test('a verified visitor with an existing customer email is that customer', async () => {
  const r = await w.inbound(start({ clientMsgId: 'start-0003-abcdef', customer: { name: 'Carl', email: 'carl@sandbox.example', verified: true } }));
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.is(r.body.customerAccountId, w.people.carl);
});

test('an unverified visitor who types an existing customer email is not linked to that account: own placeholder customer, the email noted for agents', async () => {
  const r = await w.inbound(start({ clientMsgId: 'start-0003-unverif', customer: { name: 'Not Carl', email: 'carl@sandbox.example', verified: false } }));
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.is.not(r.body.customerAccountId, w.people.carl, "Carl's account is never handed to whoever typed his email");
  const user = await w.rest('app', 'GET', `/rest/api/3/user?accountId=${r.body.customerAccountId}`);
  assert.match(user.body.emailAddress ?? '', /@chat\.invalid$/);
  const issue = await w.rest('app', 'GET', `/rest/api/3/issue/${r.body.conversationId}?fields=description,reporter`);
  assert.is(issue.body.fields.reporter.accountId, r.body.customerAccountId);
  assert.match(JSON.stringify(issue.body.fields.description), 'not verified: carl@sandbox.example');
  const carlsChats = await w.inbound({ type: 'conversations.list', projectKey: 'SUP', customerAccountId: w.people.carl });
  assert.not.ok(carlsChats.body.conversations.some((c: { id: string }) => c.id === r.body.conversationId));
});

test('an unverified visitor whose email is new gets a customer with that email (a contact form)', async () => {
  const r = await w.inbound(start({ clientMsgId: 'start-0003-newmail', customer: { name: 'Nora', email: 'nora.new@visitor.example', verified: false } }));
  assert.is(r.status, 200, JSON.stringify(r.body));
  const user = await w.rest('app', 'GET', `/rest/api/3/user?accountId=${r.body.customerAccountId}`);
  assert.is(user.body.emailAddress, 'nora.new@visitor.example');
});

test('a visitor without email gets a placeholder customer under .invalid', async () => {
  const r = await w.inbound(start({ clientMsgId: 'start-0004-abcdef', customer: { name: null, email: null, verified: false } }));
  assert.is(r.status, 200, JSON.stringify(r.body));
  const user = await w.rest('app', 'GET', `/rest/api/3/user?accountId=${r.body.customerAccountId}`);
  assert.is(user.body.displayName, 'Chat visitor');
});

test('a WhatsApp start keeps name and phone in chat.whatsapp and maps one phone to one customer', async () => {
  const wa = (id: string) =>
    start({ clientMsgId: id, channel: 'whatsapp', customer: { name: null, email: null, verified: false }, whatsapp: { waId: '4915112345678', name: 'Ida' } });
  const first = await w.inbound(wa('start-0012-abcdef'));
  assert.is(first.status, 200, JSON.stringify(first.body));
  const issue = await w.rest('app', 'GET', `/rest/api/3/issue/${first.body.conversationId}?fields=summary&properties=chat.whatsapp,chat.conversation`);
  assert.is(issue.body.fields.summary, 'WhatsApp chat with Ida');
  assert.equal(issue.body.properties['chat.whatsapp'], { waId: '4915112345678', name: 'Ida' });
  assert.is(issue.body.properties['chat.conversation'].channel, 'whatsapp');
  const second = await w.inbound(wa('start-0013-abcdef'));
  assert.is(second.status, 200, JSON.stringify(second.body));
  // While the first request is open, the next message of the same number joins it (see whatsapp.test.ts).
  assert.is(second.body.conversationId, first.body.conversationId);
  assert.is(second.body.customerAccountId, first.body.customerAccountId);
});

test('bad signature and stale timestamp are refused with 401 and write nothing', async () => {
  const before = await countIssues();
  const bad = await w.inbound(start({ clientMsgId: 'start-0005-abcdef' }), { secret: 'not-the-secret-at-all-0123456789abcdef' });
  assert.is(bad.status, 401);
  assert.is(bad.body.error.code, 'bad_signature');
  const stale = await w.inbound(start({ clientMsgId: 'start-0006-abcdef' }), { nowMs: Date.now() - 10 * 60_000 });
  assert.is(stale.status, 401);
  assert.is(stale.body.error.code, 'stale');
  assert.is(await countIssues(), before);
});

test('an invalid call is refused with 400 and says what is wrong', async () => {
  const r = await w.inbound(start({ clientMsgId: 'start-0007-abcdef', text: '   ' }));
  assert.is(r.status, 400);
  assert.is(r.body.error.code, 'invalid');
  assert.match(r.body.error.message, 'text');
});

test('message.customer posts a comment for the owner and refuses anyone else with 403', async () => {
  const s = await w.inbound(start({ clientMsgId: 'start-0008-abcdef' }));
  const msg = {
    type: 'message.customer',
    conversationId: s.body.conversationId,
    customerAccountId: s.body.customerAccountId,
    clientMsgId: 'msg-0008-000001',
    caller: VICTIM,
    text: 'Any news?',
  };
  const ok = await w.inbound(msg);
  assert.is(ok.status, 200, JSON.stringify(ok.body));
  const replay = await w.inbound(msg);
  assert.equal(replay.body, ok.body);
  const other = await w.inbound({ ...msg, clientMsgId: 'msg-0008-000002', customerAccountId: w.people.carl });
  assert.is(other.status, 403);
  assert.is(other.body.error.code, 'forbidden');
  const comments = await w.rest('app', 'GET', `/rest/api/3/issue/${s.body.conversationId}/comment`);
  assert.is(comments.body.total, 2);
});

test('an attachment becomes a comment with name, size and link, never content', async () => {
  const s = await w.inbound(start({ clientMsgId: 'start-0009-abcdef' }));
  const r = await w.inbound({
    type: 'message.customer',
    conversationId: s.body.conversationId,
    customerAccountId: s.body.customerAccountId,
    clientMsgId: 'msg-0009-000001',
    caller: VICTIM,
    attachment: {
      id: 'att_0123456789abcdef',
      name: 'receipt.pdf',
      size: 2048,
      mime: 'application/pdf',
      url: 'https://presence.example/a/att_0123456789abcdef',
    },
  });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const h = await w.inbound({ type: 'history', conversationId: s.body.conversationId, customerAccountId: s.body.customerAccountId });
  const last = h.body.messages.at(-1);
  // Jira's comment names the file, its size and link; the chat message carries the file as `attachment` and only the caption as text.
  const comment = (await w.rest('app', 'GET', `/rest/api/3/issue/${s.body.conversationId}/comment/${last.id}`)).body;
  assert.match(adfToText(comment.body), 'receipt.pdf (2.0 KB) https://presence.example/a/att_0123456789abcdef');
  assert.is(last.text, '');
  assert.equal(last.attachment, { id: 'att_0123456789abcdef', name: 'receipt.pdf', size: 2048, mime: 'application/pdf' });
});

test('history holds public messages only, customer messages as the customer, paged with before', async () => {
  const s = await w.inbound(start({ clientMsgId: 'start-0010-abcdef' }));
  const key = s.body.conversationId;
  await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, {
    body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'We are on it' }] }] },
  });
  await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, {
    body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'internal: customer is VIP' }] }] },
    properties: [{ key: 'sd.public.comment', value: { internal: true } }],
  });
  await w.host.idle();
  const h = await w.inbound({ type: 'history', conversationId: key, customerAccountId: s.body.customerAccountId });
  assert.is(h.status, 200, JSON.stringify(h.body));
  assert.equal(
    h.body.messages.map((m: { text: string }) => m.text),
    ['My parcel never arrived', 'We are on it'],
  );
  assert.is(h.body.messages[0].author.kind, 'customer');
  assert.is(h.body.messages[0].author.name, 'Dora Visitor');
  assert.is(h.body.messages[1].author.kind, 'agent');
  const older = await w.inbound({ type: 'history', conversationId: key, before: h.body.messages[1].id, limit: 5 });
  assert.equal(
    older.body.messages.map((m: { text: string }) => m.text),
    ['My parcel never arrived'],
  );
  assert.is(older.body.hasMore, false);
  const paged = await w.inbound({ type: 'history', conversationId: key, limit: 1 });
  assert.equal(
    paged.body.messages.map((m: { text: string }) => m.text),
    ['We are on it'],
  );
  assert.is(paged.body.hasMore, true);
  const stranger = await w.inbound({ type: 'history', conversationId: key, customerAccountId: w.people.carl });
  assert.is(stranger.status, 403);
});

test('conversations.list names only the customer own chats in the project', async () => {
  const r = await w.inbound({ type: 'conversations.list', projectKey: 'SUP', customerAccountId: w.people.carl });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.is(r.body.conversations.length, 1);
  assert.is(r.body.conversations[0].status, 'open');
  // The name comes from Jira, so the presence service need not keep one.
  assert.is(r.body.customerName, 'Carl Customer');
  const none = await w.inbound({ type: 'conversations.list', projectKey: 'SUP', customerAccountId: 'acc-never-chatted' });
  assert.equal(none.body, { conversations: [] });
});

// ---- idempotency is bound to the caller (issue 10, item 1) --------------------------------
// Message ids are random but not secret (comment properties, frames, the widget's storage):
// a second visitor who replays the victim's id must get nothing of the victim's.

const NOT_YOURS = 'this message id belongs to another conversation';
const commentTotal = async (key: string) => (await w.rest('app', 'GET', `/rest/api/3/issue/${key}/comment`)).body.total as number;

function assertRefused(r: { status: number; body: any }): void {
  assert.is(r.status, 403, JSON.stringify(r.body));
  assert.equal(r.body, { error: { code: 'forbidden', message: NOT_YOURS } });
}

test('idem: a start id replayed by another visitor is refused and reveals nothing; the victim still gets their answer', async () => {
  const victim = await w.inbound(start({ clientMsgId: 'idem-start-000001', customer: { name: 'Vera Victim', email: 'vera@victim.example', verified: false } }));
  assert.is(victim.status, 200, JSON.stringify(victim.body));
  const issues = await countIssues();
  for (const over of [
    {},
    { offline: true },
    { customer: { name: 'Mal', email: null, verified: false } },
    { customer: { name: 'Mal', email: 'vera@victim.example', verified: false } },
  ]) {
    const replay = await w.inbound(start({ clientMsgId: 'idem-start-000001', caller: ATTACKER, text: 'gotcha', ...over }));
    assertRefused(replay);
    assert.not.match(JSON.stringify(replay.body), victim.body.conversationId);
    assert.not.match(JSON.stringify(replay.body), victim.body.customerAccountId);
  }
  assert.is(await countIssues(), issues);
  assert.is(await commentTotal(victim.body.conversationId), 1);
  // The victim's own retry is answered as before.
  const retry = await w.inbound(start({ clientMsgId: 'idem-start-000001', customer: { name: 'Vera Victim', email: 'vera@victim.example', verified: false } }));
  assert.equal(retry.body, victim.body);
});

test('idem: an offline-form id replayed by another visitor is refused', async () => {
  const victim = await w.inbound(start({ clientMsgId: 'idem-offline-00001', offline: true }));
  assert.is(victim.status, 200, JSON.stringify(victim.body));
  const issues = await countIssues();
  assertRefused(await w.inbound(start({ clientMsgId: 'idem-offline-00001', caller: ATTACKER, offline: true })));
  assertRefused(await w.inbound(start({ clientMsgId: 'idem-offline-00001', caller: ATTACKER })));
  assert.is(await countIssues(), issues);
});

test('idem: a start id is answered to the same Jira customer from another device (their own conversation)', async () => {
  const first = await w.inbound(start({ clientMsgId: 'idem-start-000002' }));
  const other = await w.inbound(
    start({
      clientMsgId: 'idem-start-000002',
      caller: 'v:' + 'd4'.repeat(16),
      customer: { accountId: first.body.customerAccountId, name: null, email: null, verified: false },
    }),
  );
  assert.is(other.status, 200, JSON.stringify(other.body));
  assert.equal(other.body, first.body);
  // ... but a known customer who is someone else is refused.
  const carl = await w.inbound(
    start({
      clientMsgId: 'idem-start-000002',
      caller: 'v:' + 'd4'.repeat(16),
      customer: { accountId: w.people.carl, name: null, email: null, verified: false },
    }),
  );
  assertRefused(carl);
});

test('idem: a message id replayed by another customer is refused, on the victim conversation or their own', async () => {
  const victim = await w.inbound(start({ clientMsgId: 'idem-start-000003' }));
  const msg = {
    type: 'message.customer',
    conversationId: victim.body.conversationId,
    customerAccountId: victim.body.customerAccountId,
    clientMsgId: 'idem-msg-0000003',
    caller: VICTIM,
    text: 'my secret',
  };
  const ok = await w.inbound(msg);
  assert.is(ok.status, 200, JSON.stringify(ok.body));
  const mallory = await w.inbound(start({ clientMsgId: 'idem-start-000004', caller: ATTACKER, customer: { name: 'Mal', email: null, verified: false } }));
  assert.is(mallory.status, 200);
  const onVictims = await w.inbound({ ...msg, caller: ATTACKER, customerAccountId: mallory.body.customerAccountId, text: 'x' });
  assertRefused(onVictims);
  const onOwn = await w.inbound({
    ...msg,
    caller: ATTACKER,
    conversationId: mallory.body.conversationId,
    customerAccountId: mallory.body.customerAccountId,
    text: 'x',
  });
  assertRefused(onOwn);
  // With the victim's account id but another caller key (the service never does this, but the app does not trust it either): the write check refuses.
  assert.is(await commentTotal(victim.body.conversationId), 2);
  assert.is(await commentTotal(mallory.body.conversationId), 1);
  // A start that replays the victim's message id gets nothing either.
  assertRefused(await w.inbound(start({ clientMsgId: 'idem-msg-0000003', caller: ATTACKER })));
  const again = await w.inbound(msg);
  assert.equal(again.body, ok.body);
});

test('idem: an attachment message id replayed by another customer is refused', async () => {
  const victim = await w.inbound(start({ clientMsgId: 'idem-start-000005' }));
  const attachment = {
    id: 'att_0123456789abcdee',
    name: 'passport.pdf',
    size: 2048,
    mime: 'application/pdf',
    url: 'https://presence.example/a/att_0123456789abcdee',
  };
  const call = {
    type: 'message.customer',
    conversationId: victim.body.conversationId,
    customerAccountId: victim.body.customerAccountId,
    clientMsgId: 'idem-att-0000005',
    caller: VICTIM,
    attachment,
  };
  assert.is((await w.inbound(call)).status, 200);
  const mallory = await w.inbound(start({ clientMsgId: 'idem-start-000006', caller: ATTACKER, customer: { name: 'Mal', email: null, verified: false } }));
  assertRefused(await w.inbound({ ...call, caller: ATTACKER, customerAccountId: mallory.body.customerAccountId }));
  assertRefused(await w.inbound({ ...call, caller: ATTACKER, conversationId: mallory.body.conversationId, customerAccountId: mallory.body.customerAccountId }));
  assert.is(await commentTotal(victim.body.conversationId), 2);
  assert.is(await commentTotal(mallory.body.conversationId), 1);
});

test('idem: a message id of an agent is refused to a customer, and to another agent', async () => {
  const s = await w.inbound(start({ clientMsgId: 'idem-start-000007' }));
  const key = s.body.conversationId;
  await w.host.idle();
  const sent = await w.resolve('chat.send', { issueKey: key, clientMsgId: 'idem-agent-000007', text: 'Hello from Alice' }, w.people.alice);
  assert.ok(sent.message.id);
  assertRefused(
    await w.inbound({
      type: 'message.customer',
      conversationId: key,
      customerAccountId: s.body.customerAccountId,
      clientMsgId: 'idem-agent-000007',
      caller: VICTIM,
      text: 'x',
    }),
  );
  let err: Error | undefined;
  try {
    await w.resolve('chat.send', { issueKey: key, clientMsgId: 'idem-agent-000007', text: 'as Bob' }, w.people.bob);
  } catch (e) {
    err = e as Error;
  }
  assert.match(String(err?.message), `forbidden: ${NOT_YOURS}`);
  await w.host.idle();
  assert.is(await commentTotal(key), 2);
});

test.run();
