/**
 * The chat lifecycle against the JSM stand-in: close resolves the request through a
 * workflow transition, the customer's next message within the reopen window reopens it,
 * after the window a new chat starts; an agent's reply to an unassigned chat assigns it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_REOPEN_WINDOW_MINUTES } from '../protocol/limits.js';
import { startWorld, type World } from './__fixtures__/world.js';
import { forgetProjectConfig } from './lib/project-config.js';

let w: World;
let n = 0;
const caller = 'v:' + 'c1'.repeat(16);
test.before(async () => {
  w = await startWorld();
});
test.after(async () => {
  await w.host.idle();
  await w.close();
});

async function start(text: string, accountId?: string) {
  n++;
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: `life-start-${String(n).padStart(6, '0')}`,
    caller,
    channel: 'web',
    customer: { name: 'Lia Visitor', email: 'lia@visitor.example', verified: false, ...(accountId ? { accountId } : {}) },
    text,
  });
  assert.is(s.status, 200, JSON.stringify(s.body));
  return s.body as { conversationId: string; customerAccountId: string; appended?: boolean };
}

async function issueOf(key: string) {
  const r = await w.rest('app', 'GET', `/rest/api/3/issue/${key}?fields=status,assignee,resolution&properties=chat.conversation`);
  return r.body as {
    fields: { status: { name: string; statusCategory: { key: string } }; assignee: { accountId: string } | null; resolution: { name: string } | null };
    properties: Record<string, { status: string; closedAt?: string }>;
  };
}

const activities = (kind: string, key: string) =>
  w.presence.callsTo('conversation-activity').filter((c) => {
    const a = c.body['activity'] as { kind: string; conversationId: string };
    return a.kind === kind && a.conversationId === key;
  });

function customerMessage(key: string, accountId: string, text: string) {
  n++;
  return w.inbound({
    type: 'message.customer',
    conversationId: key,
    customerAccountId: accountId,
    clientMsgId: `life-msg-${String(n).padStart(8, '0')}`,
    caller,
    text,
  });
}

test('replying to an unassigned chat assigns it to the replying agent, and says who joined', async () => {
  const s = await start('Hello, anyone there?');
  assert.is((await issueOf(s.conversationId)).fields.assignee, null);
  await w.resolve('chat.send', { issueKey: s.conversationId, clientMsgId: 'life-reply-000001', text: 'Hi, Alice here' }, w.people.alice);
  assert.is((await issueOf(s.conversationId)).fields.assignee?.accountId, w.people.alice);
  const joined = w.presence
    .callsTo('relay')
    .map((c) => c.body['message'] as { author: { kind: string }; text: string; conversationId: string })
    .filter((m) => m.conversationId === s.conversationId && m.author.kind === 'system');
  assert.equal(
    joined.map((m) => m.text),
    ['Alice Agent joined the chat'],
  );
  assert.is(activities('joined', s.conversationId).length, 1);

  // A second reply by another agent leaves the assignee alone.
  await w.resolve('chat.send', { issueKey: s.conversationId, clientMsgId: 'life-reply-000002', text: 'Bob too' }, w.people.bob);
  assert.is((await issueOf(s.conversationId)).fields.assignee?.accountId, w.people.alice);
  assert.is(activities('joined', s.conversationId).length, 1);
});

test('close resolves the request with a done transition (resolution set) and tells the customer', async () => {
  const s = await start('Please close me later');
  const c = await w.resolve('chat.close', { issueKey: s.conversationId }, w.people.alice);
  assert.equal(c, { status: 'closed', resolved: true });
  const issue = await issueOf(s.conversationId);
  assert.is(issue.fields.status.statusCategory.key, 'done');
  assert.is(issue.fields.status.name, 'Resolved');
  assert.is(issue.fields.resolution?.name, 'Done');
  assert.is(issue.properties['chat.conversation']!.status, 'closed');
  assert.ok(issue.properties['chat.conversation']!.closedAt, 'the reopen window starts at the close');
  const closed = activities('closed', s.conversationId);
  assert.is(closed.length, 1);
  assert.is(closed[0]!.body['status'], 'closed', 'the customer side gets conversation.updated closed');
  // A closed chat takes no agent replies.
  let refused = '';
  await w
    .resolve('chat.send', { issueKey: s.conversationId, clientMsgId: 'life-reply-000003', text: 'late' }, w.people.alice)
    .catch((e: Error) => (refused = e.message));
  assert.match(refused, 'closed');
});

test('automatic assignment: assign makes the agent the assignee in Jira and says they joined; an assigned or closed chat is left alone', async () => {
  const s = await start('Assign me automatically');
  const r = await w.inbound({ type: 'assign', conversationId: s.conversationId, accountId: w.people.bob });
  assert.equal(r.body, { assigned: true });
  assert.is((await issueOf(s.conversationId)).fields.assignee?.accountId, w.people.bob);
  assert.is(activities('joined', s.conversationId).length, 1);
  assert.equal((await w.inbound({ type: 'assign', conversationId: s.conversationId, accountId: w.people.alice })).body, { assigned: false }, 'already Bob’s');
  assert.is((await issueOf(s.conversationId)).fields.assignee?.accountId, w.people.bob);
  await w.resolve('chat.close', { issueKey: s.conversationId }, w.people.alice);
  const closed = await start('Closed before anyone was free');
  await w.resolve('chat.close', { issueKey: closed.conversationId }, w.people.alice);
  assert.equal((await w.inbound({ type: 'assign', conversationId: closed.conversationId, accountId: w.people.alice })).body, { assigned: false });
  const customer = await start('Not to a customer');
  const refused = await w.inbound({ type: 'assign', conversationId: customer.conversationId, accountId: w.people.carl });
  assert.ok(refused.status >= 400, 'Jira refuses an account that may not be assigned');
});

test("a closed chat's rating becomes the request's JSM feedback; an open chat or another customer's is refused", async () => {
  const s = await start('Rate me when done');
  const rate = (over: Record<string, unknown> = {}) =>
    w.inbound({
      type: 'feedback',
      conversationId: s.conversationId,
      customerAccountId: s.customerAccountId,
      caller,
      rating: 5,
      comment: ' Great help ',
      ...over,
    });
  const early = await rate();
  assert.is(early.status, 400, 'an open chat is not rated yet');
  await w.resolve('chat.close', { issueKey: s.conversationId }, w.people.alice);
  const other = await start('Someone else', undefined);
  assert.is((await rate({ customerAccountId: other.customerAccountId === s.customerAccountId ? 'qm:nobody' : other.customerAccountId })).status, 403);
  const ok = await rate();
  assert.is(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body, { ok: true });
  const fb = await w.rest('app', 'GET', `/rest/servicedeskapi/request/${s.conversationId}/feedback`);
  assert.equal(fb.body, { type: 'csat', rating: 5, comment: { body: 'Great help' } });
  const stats = await w.rest('app', 'GET', `/rest/api/3/issue/${s.conversationId}/properties/chat.stats`);
  assert.is(stats.body.value.rating, 5, 'chat reports count the rating');
  assert.not.ok(JSON.stringify(stats.body).includes('Great help'), 'never the comment');
  assert.is((await rate({ rating: 6 })).status, 400, 'the schema bounds the rating before Jira is asked');
});

test("the customer's message within the window reopens the chat: transition back, property open, agents told", async () => {
  const s = await start('Reopen me');
  await w.resolve('chat.close', { issueKey: s.conversationId }, w.people.alice);
  const m = await customerMessage(s.conversationId, s.customerAccountId, 'One more thing');
  assert.is(m.status, 200, JSON.stringify(m.body));
  const issue = await issueOf(s.conversationId);
  assert.is(issue.fields.status.statusCategory.key, 'indeterminate');
  assert.is(issue.fields.status.name, 'Waiting for support');
  assert.is(issue.properties['chat.conversation']!.status, 'open');
  const reopened = activities('reopened', s.conversationId);
  assert.is(reopened.length, 1);
  assert.is(reopened[0]!.body['status'], 'open');
});

test('a known customer starting again within the window continues the closed chat', async () => {
  const s = await start('First case');
  await w.resolve('chat.close', { issueKey: s.conversationId }, w.people.alice);
  const again = await start('Actually, about that', s.customerAccountId);
  assert.is(again.conversationId, s.conversationId);
  assert.is(again.appended, true);
  assert.is((await issueOf(s.conversationId)).properties['chat.conversation']!.status, 'open');
});

test('after the window a message is refused and a new start opens a new chat', async () => {
  const s = await start('Old case');
  await w.resolve('chat.close', { issueKey: s.conversationId }, w.people.alice);
  // Move the close back beyond the default window.
  const prop = await w.rest('app', 'GET', `/rest/api/3/issue/${s.conversationId}/properties/chat.conversation`);
  const longAgo = new Date(Date.now() - (DEFAULT_REOPEN_WINDOW_MINUTES + 1) * 60_000).toISOString();
  await w.rest('app', 'PUT', `/rest/api/3/issue/${s.conversationId}/properties/chat.conversation`, { ...prop.body.value, closedAt: longAgo });
  const m = await customerMessage(s.conversationId, s.customerAccountId, 'Hello again');
  assert.is(m.status, 400);
  assert.match(JSON.stringify(m.body), 'start a new chat');
  assert.is((await issueOf(s.conversationId)).fields.status.statusCategory.key, 'done');
  const fresh = await start('A new question', s.customerAccountId);
  assert.is.not(fresh.conversationId, s.conversationId);
  assert.is(fresh.appended, undefined);
});

test('the project setting sets the window', async () => {
  const s = await start('Short window');
  await w.resolve('chat.close', { issueKey: s.conversationId }, w.people.alice);
  const prop = await w.rest('app', 'GET', `/rest/api/3/issue/${s.conversationId}/properties/chat.conversation`);
  // Ten minutes ago is inside the default (a day) but outside a five-minute setting.
  await w.rest('app', 'PUT', `/rest/api/3/issue/${s.conversationId}/properties/chat.conversation`, {
    ...prop.body.value,
    closedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
  });
  const { sampleConfig } = await import('./__fixtures__/fake-presence.js');
  w.presence.answerWith('project-config.get', () => ({ config: { ...sampleConfig('SUP'), reopenWindowMinutes: 5 } }));
  try {
    // The app caches config for 30 s per warm instance (project-config.ts); the settings save clears it, as here.
    forgetProjectConfig('SUP');
    const m = await customerMessage(s.conversationId, s.customerAccountId, 'Too late');
    assert.is(m.status, 400, JSON.stringify(m.body));
  } finally {
    w.presence.answerWith('project-config.get', null);
  }
});

test('the dashboard previews the last message customers may read, never an internal note', async () => {
  const s = await start('Is my parcel lost? ' + 'It was due on Monday and nothing came. '.repeat(6));
  const note = await w.rest(w.people.alice, 'POST', `/rest/servicedeskapi/request/${s.conversationId}/comment`, {
    body: 'INTERNAL: customer is a reseller',
    public: false,
  });
  assert.is(note.status, 201, 'the internal note is the newest comment');
  await w.host.idle();
  const d = await w.resolve('dashboard.load', { projectKey: 'SUP' }, w.people.alice);
  const row = d.chats.find((c: { conversationId: string }) => c.conversationId === s.conversationId);
  assert.ok(row, 'the chat is listed');
  assert.is(row.preview.author, 'customer');
  assert.not.match(row.preview.text, 'INTERNAL');
  assert.ok(row.preview.text.startsWith('Is my parcel lost?'));
  assert.ok(row.preview.text.length <= 120 && row.preview.text.endsWith('…'), row.preview.text);
  assert.is(row.offline, false);
});

test.run();
