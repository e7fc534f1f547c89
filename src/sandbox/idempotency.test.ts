/**
 * Issue 10, item 1, end to end through every real part (presence service → signed
 * webtrigger → the app's unmodified Forge code → JSM stand-in): a second visitor who
 * replays the victim's message ids gets nothing of the victim's. Before the fix the replay
 * was answered with the victim's ack, the victim's account id was adopted into the
 * attacker's visitor record, and the attacker's next auth.ok listed the victim's
 * conversation (history, live messages, comments written as the victim followed).
 * The same harm through a typed email: a visitor who enters someone else's address is not
 * linked to that account.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { System } from './system.js';
import { connect, type RecordingSocket } from './testing/ws-client.js';
import { withSystem, type SystemContext } from './testing/system-suite.js';

const test = suite<SystemContext>('idempotency bound to the caller (end to end)');
const NOT_YOURS = 'this message id belongs to another conversation';
withSystem(test, 'idem-e2e');

async function visitor(system: System, token?: string): Promise<{ ws: RecordingSocket; ok: { token?: string; conversations: { id: string }[] } }> {
  const ws = await connect(`${system.presence.wsUrl}/ws/customer`, { origin: system.demo.origin });
  ws.send({ type: 'auth', widgetId: system.widgetId, ...(token ? { token } : {}) });
  const ok = await ws.next<{ token?: string; conversations: { id: string }[] }>((f) => f.type === 'auth.ok');
  return { ws, ok };
}

async function jira(system: System, path: string, init: RequestInit = {}): Promise<any> {
  const agent = system.agents[0]!;
  const auth = Buffer.from(`${agent.emailAddress}:sandbox`).toString('base64');
  const res = await fetch(`${system.jsm.url}${path}`, {
    ...init,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json', accept: 'application/json' },
  });
  return res.json();
}

const failed = (id: string) => (f: Record<string, unknown>) => f.type === 'message.failed' && f.clientMsgId === id;
const acked = (id: string) => (f: Record<string, unknown>) => f.type === 'message.ack' && f.clientMsgId === id;

test("replaying the victim's start and message ids from another visitor is refused; the victim's conversation never reaches the attacker", async ({
  system,
}) => {
  const victim = await visitor(system);
  victim.ws.send({
    type: 'conversation.start',
    clientMsgId: 'idem-e2e-start-01',
    text: 'My account number is 12345',
    prechat: { name: 'Vera Victim', email: 'vera@victim.example' },
  });
  const ack = await victim.ws.next<{ conversationId: string }>(acked('idem-e2e-start-01'), 20_000);
  const key = ack.conversationId;
  victim.ws.send({ type: 'message.send', conversationId: key, clientMsgId: 'idem-e2e-msg-0002', text: 'and my PIN is 0000' });
  await victim.ws.next(acked('idem-e2e-msg-0002'), 20_000);

  const attacker = await visitor(system);
  const attackerToken = attacker.ok.token!;
  // 1. The victim's start id (as the widget's start and as the offline form).
  attacker.ws.send({ type: 'conversation.start', clientMsgId: 'idem-e2e-start-01', text: 'gotcha', prechat: { name: 'Mal', email: 'mal@attacker.example' } });
  const f1 = await attacker.ws.next<{ code: string; message: string }>(failed('idem-e2e-start-01'), 20_000);
  assert.equal([f1.code, f1.message], ['forbidden', NOT_YOURS]);
  attacker.ws.send({
    type: 'conversation.start',
    clientMsgId: 'idem-e2e-start-01',
    text: 'gotcha',
    prechat: { name: 'Mal', email: 'mal@attacker.example' },
    offline: true,
  });
  assert.is((await attacker.ws.next<{ message: string }>(failed('idem-e2e-start-01'), 20_000)).message, NOT_YOURS);
  // 2. With a conversation of their own, the victim's message id on the victim's conversation.
  attacker.ws.send({ type: 'conversation.start', clientMsgId: 'idem-e2e-start-03', text: 'hello', prechat: { name: 'Mal', email: 'mal@attacker.example' } });
  const own = await attacker.ws.next<{ conversationId: string }>(acked('idem-e2e-start-03'), 20_000);
  attacker.ws.send({ type: 'message.send', conversationId: key, clientMsgId: 'idem-e2e-msg-0002', text: 'x' });
  assert.is((await attacker.ws.next<{ message: string }>(failed('idem-e2e-msg-0002'), 20_000)).message, NOT_YOURS);
  attacker.ws.send({ type: 'history', conversationId: key });
  assert.is((await attacker.ws.next<{ code: string }>((f) => f.type === 'error', 20_000)).code, 'forbidden');

  // Jira: nothing was written to the victim's request, nothing as the victim anywhere.
  const comments = await jira(system, `/rest/api/3/issue/${key}/comment`);
  assert.is(comments.total, 2, "the victim's request has the victim's two messages only");
  const ownComments = await jira(system, `/rest/api/3/issue/${own.conversationId}/comment`);
  assert.is(ownComments.total, 1);

  // Live: an agent's reply to the victim reaches the victim and not the attacker.
  const body = { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Vera, your card is blocked.' }] }] } };
  await jira(system, `/rest/api/3/issue/${key}/comment`, { method: 'POST', body: JSON.stringify(body) });
  await victim.ws.next((f) => f.type === 'message', 20_000);
  attacker.ws.send({ type: 'ping' });
  await attacker.ws.next((f) => f.type === 'pong');
  assert.not.ok(
    attacker.ws.frames.some((f) => JSON.stringify(f).includes(key)),
    "no frame of the victim's conversation reached the attacker",
  );

  // Next visit: only the attacker's own conversation is listed.
  await attacker.ws.close();
  const back = await visitor(system, attackerToken);
  assert.equal(
    back.ok.conversations.map((c) => c.id),
    [own.conversationId],
  );
  await back.ws.close();
  await victim.ws.close();
});

test("a visitor who types another customer's email is not linked to their account and never sees their conversations", async ({ system }) => {
  const owner = await visitor(system);
  owner.ws.send({
    type: 'conversation.start',
    clientMsgId: 'email-claim-own01',
    text: 'My invoice 991 is wrong',
    prechat: { name: 'Olga Owner', email: 'olga@owner.example' },
  });
  const ownerKey = (await owner.ws.next<{ conversationId: string }>(acked('email-claim-own01'), 20_000)).conversationId;

  const impostor = await visitor(system);
  const impostorToken = impostor.ok.token!;
  impostor.ws.send({
    type: 'conversation.start',
    clientMsgId: 'email-claim-imp01',
    text: 'hi, it is me',
    prechat: { name: 'Olga Owner', email: 'olga@owner.example' },
  });
  const theirs = (await impostor.ws.next<{ conversationId: string }>(acked('email-claim-imp01'), 20_000)).conversationId;
  assert.is.not(theirs, ownerKey);
  const reporters = await jira(system, `/rest/api/3/search/jql`, {
    method: 'POST',
    body: JSON.stringify({ jql: 'project = SUP', fields: ['reporter'], reconcileIssues: [], maxResults: 100 }),
  });
  const reporterOf = (k: string) => reporters.issues?.find((i: { key: string }) => i.key === k)?.fields?.reporter?.accountId;
  if (reporterOf(ownerKey) && reporterOf(theirs)) assert.is.not(reporterOf(theirs), reporterOf(ownerKey), 'raised for a customer of their own');
  impostor.ws.send({ type: 'history', conversationId: ownerKey });
  assert.is((await impostor.ws.next<{ code: string }>((f) => f.type === 'error', 20_000)).code, 'forbidden');

  await impostor.ws.close();
  const back = await visitor(system, impostorToken);
  assert.equal(
    back.ok.conversations.map((c) => c.id),
    [theirs],
    "only the impostor's own chat is listed, never the owner's",
  );
  await back.ws.close();
  await owner.ws.close();
});

test.run();
