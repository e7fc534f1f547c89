/**
 * Comments not for customers — role-restricted, group-restricted and JSM internal — never
 * reach a customer on any path of the app: the comment trigger's relay (web and WhatsApp),
 * the widget's history (webtrigger), the agent panel's history and the dashboard's view of
 * what the customer saw. All of them decide through lib/comment-audience.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld, type World } from './__fixtures__/world.js';

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** Each kind of restriction, as an agent writes it in Jira (platform REST or JSM's portal API). */
const KINDS = {
  role: (w: World, key: string, text: string) =>
    w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf(text), visibility: { type: 'role', value: 'Service Desk Team' } }),
  group: (w: World, key: string, text: string) =>
    w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf(text), visibility: { type: 'group', value: 'jira-servicedesk-users' } }),
  internal: (w: World, key: string, text: string) =>
    w.rest(w.people.alice, 'POST', `/rest/servicedeskapi/request/${key}/comment`, { body: text, public: false }),
} as const;
type Kind = keyof typeof KINDS;

const S = suite<{ w: World; web: { key: string; customer: string }; wa: { key: string; customer: string } }>('restricted comments (app)');
let seq = 0;

S.before(async (ctx) => {
  ctx.w = await startWorld();
  const web = await ctx.w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'rst-start-web0001',
    caller: 'v:' + 'a7'.repeat(16),
    channel: 'web',
    customer: { name: 'Rita Visitor', email: 'rita@visitor.example', verified: false },
    text: 'Where is my parcel?',
  });
  ctx.web = { key: web.body.conversationId, customer: web.body.customerAccountId };
  const wa = await ctx.w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'rst-start-wa00001',
    caller: 'wa:106540352242922:4915100000777',
    channel: 'whatsapp',
    customer: { name: 'Wade', email: null, verified: false },
    text: 'Hi from WhatsApp',
    whatsapp: { waId: '4915100000777', name: 'Wade' },
  });
  ctx.wa = { key: wa.body.conversationId, customer: wa.body.customerAccountId };
  await ctx.w.host.idle();
});
S.after(async (ctx) => ctx.w.close());

const relayedTexts = (w: World) => w.presence.callsTo('relay').map((c) => (c.body['message'] as { text: string }).text);
const marker = (kind: Kind, where: string) => `SECRET-${kind}-${where}-${++seq}`;

for (const kind of Object.keys(KINDS) as Kind[]) {
  S(`comment trigger: a ${kind} comment is not relayed to the web customer; a public one after it is`, async ({ w, web }) => {
    const secret = marker(kind, 'web');
    const c = await KINDS[kind](w, web.key, secret);
    assert.is(c.status, 201, JSON.stringify(c.body));
    const pub = await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${web.key}/comment`, { body: adf(`public after ${kind}`) });
    assert.is(pub.status, 201);
    await w.host.idle();
    const texts = relayedTexts(w);
    assert.ok(texts.includes(`public after ${kind}`), 'the public comment was relayed (the trigger ran)');
    assert.not.ok(JSON.stringify(w.presence.callsTo('relay')).includes(secret), `the ${kind} comment never left Jira`);
  });

  S(`WhatsApp: a ${kind} comment on a WhatsApp conversation is not relayed, so nothing goes to WhatsApp`, async ({ w, wa }) => {
    const secret = marker(kind, 'wa');
    const before = w.presence.callsTo('relay').length;
    await KINDS[kind](w, wa.key, secret);
    const pub = await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${wa.key}/comment`, { body: adf(`whatsapp public ${kind}`) });
    assert.is(pub.status, 201);
    await w.host.idle();
    const calls = w.presence.callsTo('relay').slice(before);
    assert.equal(
      calls.map((c) => (c.body['message'] as { text: string }).text),
      [`whatsapp public ${kind}`],
    );
    assert.equal(calls[0]!.body['whatsapp'], { waId: '4915100000777' });
    assert.not.ok(JSON.stringify(calls).includes(secret));
  });
}

S('an edit that keeps the restriction is not relayed; lifting it relays the comment (it is public now)', async ({ w, web }) => {
  const c = await KINDS.role(w, web.key, 'team draft');
  await w.host.idle();
  const before = w.presence.callsTo('relay').length;
  await w.rest(w.people.alice, 'PUT', `/rest/api/3/issue/${web.key}/comment/${c.body.id}`, { body: adf('team draft, edited') });
  await w.host.idle();
  assert.is(w.presence.callsTo('relay').length, before, 'still restricted: nothing relayed');
  await w.rest(w.people.alice, 'PUT', `/rest/api/3/issue/${web.key}/comment/${c.body.id}`, { body: adf('now for the customer'), visibility: null });
  await w.host.idle();
  assert.equal(relayedTexts(w).slice(before), ['now for the customer']);
});

S('widget history (webtrigger), panel history and the dashboard leave out role, group and internal comments', async ({ w }) => {
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'rst-start-hist001',
    caller: 'v:' + 'a8'.repeat(16),
    channel: 'web',
    customer: { name: 'Hank Visitor', email: 'hank@visitor.example', verified: false },
    text: 'Is anyone there?',
  });
  const key = s.body.conversationId as string;
  const secrets = (Object.keys(KINDS) as Kind[]).map((k) => marker(k, 'history'));
  for (const [i, k] of (Object.keys(KINDS) as Kind[]).entries()) assert.is((await KINDS[k](w, key, secrets[i]!)).status, 201);
  await w.host.idle();

  const h = await w.inbound({ type: 'history', conversationId: key, customerAccountId: s.body.customerAccountId });
  assert.is(h.status, 200, JSON.stringify(h.body));
  assert.equal(
    h.body.messages.map((m: { text: string }) => m.text),
    ['Is anyone there?'],
  );

  const panel = await w.resolve('panel.load', { issueKey: key }, w.people.alice);
  assert.equal(
    panel.messages.map((m: { text: string }) => m.text),
    ['Is anyone there?'],
  );

  // The dashboard shows what the customer saw: restricted replies did not answer Hank.
  const d = await w.resolve('dashboard.load', { projectKey: 'SUP' }, w.people.bob, 'chat-dashboard');
  const row = d.chats.find((c: { conversationId: string }) => c.conversationId === key);
  assert.ok(row?.waitingSince, 'Hank still waits: no reply reached him');
  const seen = JSON.stringify([h.body, panel, d]);
  for (const x of secrets) assert.not.ok(seen.includes(x), `${x} stayed in Jira`);
});

S.run();
