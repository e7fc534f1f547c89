import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld, type World } from './__fixtures__/world.js';
import { OUTSIDE_WINDOW_NOTE } from './lib/relay.js';

let w: World;
test.before(async () => {
  w = await startWorld();
});
test.after(async () => {
  await w.close();
});

let seq = 0;
const waStart = (waId: string, text: string, name: string | null = 'Ida') => ({
  type: 'conversation.start',
  projectKey: 'SUP',
  clientMsgId: `wa_test${String(++seq).padStart(6, '0')}`,
  caller: `wa:106540352242922:${waId}`,
  channel: 'whatsapp',
  customer: { name, email: null, verified: false },
  text,
  whatsapp: { waId, name },
});
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const commentsOf = (key: string) => w.comments('app', key);
const textOf = (c: any): string => c.body.content.map((p: any) => (p.content ?? []).map((t: any) => t.text ?? '').join('')).join('\n');
const isInternal = (c: any) => c.jsdPublic === false || c.properties?.some((p: any) => p.key === 'sd.public.comment' && p.value?.internal === true);

test('a second WhatsApp message of the same number joins the open request instead of opening one', async () => {
  const first = await w.inbound(waStart('4915100000001', 'My order is late'));
  assert.is(first.status, 200, JSON.stringify(first.body));
  assert.is(first.body.appended, undefined);
  const secondCall = waStart('4915100000001', 'Order A-17');
  const second = await w.inbound(secondCall);
  assert.is(second.status, 200, JSON.stringify(second.body));
  assert.is(second.body.conversationId, first.body.conversationId);
  assert.is(second.body.customerAccountId, first.body.customerAccountId);
  assert.is(second.body.appended, true);
  const comments = await commentsOf(first.body.conversationId);
  assert.equal(comments.map(textOf), ['My order is late', 'Order A-17']);
  const prop = comments[1].properties.find((p: any) => p.key === 'chat.message');
  assert.is(prop.value.source, 'customer');
  assert.is(prop.value.customerAccountId, first.body.customerAccountId);
  const issue = await w.rest('app', 'GET', `/rest/api/3/issue/${first.body.conversationId}?properties=chat.conversation,chat.whatsapp`);
  assert.is(issue.body.properties['chat.conversation'].status, 'open');
  assert.equal(issue.body.properties['chat.whatsapp'], { waId: '4915100000001', name: 'Ida' });

  // A redelivered message (same clientMsgId) writes nothing new.
  const again = await w.inbound(secondCall);
  assert.is(again.body.messageId, second.body.messageId);
  assert.is((await commentsOf(first.body.conversationId)).length, 2);
});

test('two near-simultaneous messages from a new number open one request, not two (search lags writes)', async () => {
  const [a, b] = await Promise.all([w.inbound(waStart('4915100000009', 'Hi')), w.inbound(waStart('4915100000009', 'Anyone there?'))]);
  assert.is(a.status, 200, JSON.stringify(a.body));
  assert.is(b.status, 200, JSON.stringify(b.body));
  assert.is(a.body.conversationId, b.body.conversationId);
  assert.is([a.body.appended, b.body.appended].filter(Boolean).length, 1);
  const third = await w.inbound(waStart('4915100000009', 'Hello?'));
  assert.is(third.body.conversationId, a.body.conversationId);
  const found = await w.rest('app', 'POST', '/rest/api/3/search/jql', { jql: 'project = SUP ORDER BY created DESC', fields: ['summary'], maxResults: 100 });
  assert.ok(found.status === 200);
  assert.equal((await commentsOf(a.body.conversationId)).map(textOf).sort(), ['Anyone there?', 'Hello?', 'Hi']);
});

test('another number, or a closed conversation, opens a new request', async () => {
  const a = await w.inbound(waStart('4915100000002', 'Hello'));
  const other = await w.inbound(waStart('4915100000003', 'Hi there', 'Jo'));
  assert.is.not(other.body.conversationId, a.body.conversationId);
  const prop = await w.rest('app', 'GET', `/rest/api/3/issue/${a.body.conversationId}/properties/chat.conversation`);
  const put = await w.rest('app', 'PUT', `/rest/api/3/issue/${a.body.conversationId}/properties/chat.conversation`, { ...prop.body.value, status: 'closed' });
  assert.ok(put.status < 300, `property PUT answered ${put.status}`);
  const next = await w.inbound(waStart('4915100000002', 'Me again'));
  assert.is(next.status, 200, JSON.stringify(next.body));
  assert.is.not(next.body.conversationId, a.body.conversationId);
  assert.is(next.body.appended, undefined);
});

test('an agent reply names the WhatsApp contact; outside the 24-hour window the request gets an internal note', async () => {
  const s = await w.inbound(waStart('4915100000004', 'Are you there?'));
  const key = s.body.conversationId as string;
  await w.host.idle();
  w.presence.answerWith('relay', (body) => ({ delivered: 0, ...(body['whatsapp'] ? { whatsapp: { sent: false, code: 'outside_window' } } : {}) }));
  try {
    // From Jira's own comment box (comment trigger) ...
    const c = await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('Yes, sorry for the wait') });
    assert.is(c.status, 201);
    await w.host.idle();
    const relay = w.presence.callsTo('relay').at(-1)!;
    assert.equal(relay.body['whatsapp'], { waId: '4915100000004' });
    // ... and from the agent panel.
    const r = await w.resolve('chat.send', { issueKey: key, clientMsgId: 'wa-panel-000001', text: 'Still there?' }, w.people.alice);
    assert.ok(r.message.id);
    await w.host.idle();
    assert.equal(w.presence.callsTo('relay').at(-1)!.body['whatsapp'], { waId: '4915100000004' });

    const notes = (await commentsOf(key)).filter(isInternal);
    assert.is(notes.length, 2, 'one note per undelivered reply');
    assert.is(textOf(notes[0]), OUTSIDE_WINDOW_NOTE);
    // The notes are the app's own: never relayed to anyone.
    const relayedIds = w.presence.callsTo('relay').map((x) => (x.body['message'] as { id: string }).id);
    for (const n of notes) assert.not.ok(relayedIds.includes(String(n.id)));
  } finally {
    w.presence.answerWith('relay', null);
  }
});

test('a web conversation relays without a WhatsApp contact and gets no note', async () => {
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'web-start-000001',
    caller: 'v:' + 'c3'.repeat(16),
    channel: 'web',
    customer: { name: 'Dora', email: 'dora@visitor.example', verified: false },
    text: 'Hi',
  });
  const key = s.body.conversationId as string;
  await w.host.idle();
  await w.rest(w.people.alice, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adf('Hello Dora') });
  await w.host.idle();
  const relay = w.presence.callsTo('relay').at(-1)!;
  assert.is((relay.body['message'] as { conversationId: string }).conversationId, key);
  assert.is(relay.body['whatsapp'], undefined);
  assert.is((await commentsOf(key)).filter(isInternal).length, 0);
});

test('idem: a WhatsApp message id replayed by another number or a web visitor is refused and writes nothing', async () => {
  const call = waStart('4915100000091', 'My IBAN is DE00 0000');
  const first = await w.inbound(call);
  assert.is(first.status, 200, JSON.stringify(first.body));
  const refused = { error: { code: 'forbidden', message: 'this message id belongs to another conversation' } };
  // Another sender on the same business number, the same sender on another business number, a web visitor.
  for (const caller of ['wa:106540352242922:4915100000092', 'wa:999999999:4915100000091', 'v:' + '77'.repeat(16)]) {
    const r = await w.inbound({ ...call, caller, whatsapp: { waId: '4915100000092', name: 'Mal' }, text: 'x' });
    assert.is(r.status, 403, JSON.stringify(r.body));
    assert.equal(r.body, refused);
  }
  assert.is((await commentsOf(first.body.conversationId)).length, 1);
  const media = {
    type: 'message.customer',
    conversationId: first.body.conversationId,
    customerAccountId: first.body.customerAccountId,
    clientMsgId: 'wa_media000091',
    caller: call.caller,
    text: '',
    attachment: { id: 'att_0123456789abcdef', name: 'whatsapp-image', size: 10, mime: 'image/png', url: 'https://presence.example/a/att_0123456789abcdef' },
  };
  assert.is((await w.inbound(media)).status, 200);
  const other = await w.inbound(waStart('4915100000092', 'hi', 'Mal'));
  const replay = await w.inbound({
    ...media,
    caller: 'wa:106540352242922:4915100000092',
    customerAccountId: other.body.customerAccountId,
    conversationId: other.body.conversationId,
  });
  assert.equal(replay.body, refused);
  assert.is((await commentsOf(first.body.conversationId)).length, 2);
  assert.is((await commentsOf(other.body.conversationId)).length, 1);
  // The sender's own redelivery is answered as before.
  assert.equal((await w.inbound(call)).body, first.body);
});

test('outside the window the agent sends an approved template: its filled text is sent and becomes the agent’s comment', async () => {
  const start = await w.inbound(waStart('4915100000077', 'Are you there?'));
  const key = start.body.conversationId as string;
  const templates = [{ name: 'follow_up', language: 'en_US', category: 'UTILITY', body: 'Hi {{1}}, about {{2}}: shall we continue?', params: 2 }];
  w.presence.answerWith('whatsapp.templates', () => ({ templates }));
  w.presence.answerWith('whatsapp.send-template', (b) =>
    (b['parameters'] as string[]).length === 2 ? { sent: true } : { sent: false, code: 'params_mismatch' },
  );
  try {
    assert.equal((await w.resolve('whatsapp.templates', { issueKey: key }, w.people.alice)).templates, templates);
    const r = await w.resolve(
      'chat.sendTemplate',
      { issueKey: key, clientMsgId: 'tpl-send-000001', name: 'follow_up', language: 'en_US', parameters: ['Ida', key] },
      w.people.alice,
    );
    assert.is(r.message.text, `Hi Ida, about ${key}: shall we continue?`);
    const sent = w.presence.callsTo('whatsapp.send-template').at(-1)!.body;
    assert.equal([sent['waId'], sent['name'], sent['parameters']], ['4915100000077', 'follow_up', ['Ida', key]]);
    const last = (await commentsOf(key)).at(-1);
    assert.is(textOf(last), `Hi Ida, about ${key}: shall we continue?`);
    assert.not.ok(isInternal(last), 'a public reply, as the customer read it');
    const bad = await w
      .resolve(
        'chat.sendTemplate',
        { issueKey: key, clientMsgId: 'tpl-send-000002', name: 'follow_up', language: 'en_US', parameters: ['Ida'] },
        w.people.alice,
      )
      .catch((e: Error) => e);
    assert.match(String((bad as Error).message), 'parameters do not match');
  } finally {
    w.presence.answerWith('whatsapp.templates', null);
    w.presence.answerWith('whatsapp.send-template', null);
  }
});

test('templates are only for WhatsApp chats', async () => {
  const web = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'tpl-web-000001',
    caller: 'v:' + 'ab'.repeat(16),
    channel: 'web',
    customer: { name: 'Web Visitor', email: null, verified: false },
    text: 'hi',
  });
  const err = await w.resolve('whatsapp.templates', { issueKey: web.body.conversationId }, w.people.alice).catch((e: Error) => e);
  assert.match(String((err as Error).message), 'not_found');
});

test.run();
