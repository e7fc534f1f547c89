import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../log.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';
import { signHub } from './signature.js';
import { waitUntil } from '../testing/wait.js';

// 1x1 PNG: real magic bytes, so the attachment's type sniffing accepts it.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const SECRET_TEXT = 'my-very-private-words';

const SITE_A = {
  projectKey: 'SUP',
  phoneNumberId: '1000001',
  accessToken: 'token-site-a-0123456789',
  appSecret: 'app-secret-site-a',
  verifyToken: 'verify-a-123',
};
const SITE_B = {
  projectKey: 'SUP',
  phoneNumberId: '2000002',
  accessToken: 'token-site-b-9876543210',
  appSecret: 'app-secret-site-b',
  verifyToken: 'verify-b-456',
};

type Ctx = { h: Harness; graph: FakeGraph; lines: string[] };
const T = suite<Ctx>('WhatsApp channel');

T.before(async (ctx) => {
  ctx.lines = [];
  ctx.graph = await startFakeGraph();
  ctx.h = await startHarness({
    env: { WHATSAPP_GRAPH_URL: ctx.graph.url },
    deps: { attachments: undefined, log: createLogger({ level: 'debug', write: (l) => ctx.lines.push(l) }) },
  });
  for (const [installationId, site] of [
    ['cloud-a', SITE_A],
    ['cloud-b', SITE_B],
  ] as const) {
    const r = await ctx.h.remote('whatsapp.put', site, { installationId });
    assert.is(r.status, 200, JSON.stringify(r.body));
  }
});
T.after(async (ctx) => {
  await ctx.h.close();
  await ctx.graph.close();
});

let seq = 0;
function textMessage(from: string, body: string, id = `wamid.in${++seq}`) {
  return { from, id, timestamp: '1764380000', type: 'text', text: { body } };
}
function delivery(phoneNumberId: string, messages: unknown[], contacts = [{ profile: { name: 'Ida' }, wa_id: '4915112345678' }]) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'waba-1',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001', phone_number_id: phoneNumberId }, contacts, messages },
          },
        ],
      },
    ],
  };
}
async function post(h: Harness, installationId: string, body: unknown, opts: { secret?: string; signature?: string | null } = {}) {
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = opts.signature === undefined ? signHub(opts.secret ?? SITE_A.appSecret, raw) : opts.signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  const res = await fetch(`${h.service.url}/whatsapp/${installationId}`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
}
/** Waits (bounded) until the fake app has seen `n` calls in all. */
async function appCalls(h: Harness, n: number) {
  await waitUntil(() => h.app.calls.length >= n, `${n} app calls`, 2_000, 10).catch(() => {});
  assert.is(h.app.calls.length, n, `expected ${n} app calls`);
  return h.app.calls;
}

T('the subscription handshake answers the bare challenge for the right token, 403 otherwise', async ({ h }) => {
  const ok = await fetch(`${h.service.url}/whatsapp/cloud-a?hub.mode=subscribe&hub.verify_token=${SITE_A.verifyToken}&hub.challenge=1158201444`);
  assert.is(ok.status, 200);
  assert.is(await ok.text(), '1158201444');
  const wrong = await fetch(`${h.service.url}/whatsapp/cloud-a?hub.mode=subscribe&hub.verify_token=${SITE_B.verifyToken}&hub.challenge=1158201444`);
  assert.is(wrong.status, 403);
  await wrong.arrayBuffer();
  const unknown = await fetch(`${h.service.url}/whatsapp/cloud-zz?hub.mode=subscribe&hub.verify_token=${SITE_A.verifyToken}&hub.challenge=1`);
  assert.is(unknown.status, 403);
  await unknown.arrayBuffer();
});

T('a delivery with a bad or missing signature is refused and nothing reaches the app', async ({ h }) => {
  const before = h.app.calls.length;
  const body = delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', SECRET_TEXT)]);
  const bad = await post(h, 'cloud-a', body, { secret: 'not-the-app-secret' });
  assert.is(bad.status, 403);
  assert.is(bad.body.error.code, 'bad_signature');
  const missing = await post(h, 'cloud-a', body, { signature: null });
  assert.is(missing.status, 403);
  // Site B's secret does not open site A's webhook: credentials are kept per site.
  const otherSite = await post(h, 'cloud-a', body, { secret: SITE_B.appSecret });
  assert.is(otherSite.status, 403);
  // The same sender's next message queues behind anything the refused ones started: once
  // it is in Jira, they would be too.
  assert.is((await post(h, 'cloud-a', delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'signed')]))).status, 200);
  assert.equal(
    (await appCalls(h, before + 1)).slice(before).map((c) => (c as { text?: string }).text),
    ['signed'],
  );
});

T('two messages in one delivery become two conversation.start calls, in order, as WhatsApp', async ({ h }) => {
  const before = h.app.calls.length;
  const agent = await h.agent(['SUP'], 'agent-wa');
  agent.send({ type: 'watch.project', projectKey: 'SUP' });
  await agent.next('agents.presence');
  const r = await post(
    h,
    'cloud-a',
    delivery(SITE_A.phoneNumberId, [
      textMessage('4915112345678', `${SECRET_TEXT} one`, 'wamid.AAA1'),
      textMessage('4915112345678', `${SECRET_TEXT} two`, 'wamid.AAA2'),
    ]),
  );
  assert.is(r.status, 200);
  const calls = (await appCalls(h, before + 2)).slice(before) as any[];
  assert.equal(h.app.requestIds.slice(before), [r.requestId, r.requestId], "the delivery's request id reaches the webtrigger on both calls");
  assert.equal(
    calls.map((c) => [c.type, c.text]),
    [
      ['conversation.start', `${SECRET_TEXT} one`],
      ['conversation.start', `${SECRET_TEXT} two`],
    ],
  );
  const c = calls[0];
  assert.is(c.channel, 'whatsapp');
  assert.is(c.projectKey, 'SUP');
  assert.equal(c.whatsapp, { waId: '4915112345678', name: 'Ida' });
  assert.equal(c.customer, { name: 'Ida', email: null, verified: false });
  assert.match(c.clientMsgId, /^wa_[A-Za-z0-9_-]{5,61}$/);
  assert.is.not(c.clientMsgId, calls[1].clientMsgId);
  const activity = await agent.next('conversation.activity');
  assert.equal(
    { ...activity.activity, at: 'x' },
    { projectKey: 'SUP', conversationId: activity.activity.conversationId, kind: 'new', at: 'x', customerName: 'Ida' },
  );
  await agent.close();
});

T('a redelivered message is not sent to the app again', async ({ h }) => {
  const body = delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'hello again', 'wamid.DUP1')]);
  const before = h.app.calls.length;
  assert.is((await post(h, 'cloud-a', body)).status, 200);
  await appCalls(h, before + 1);
  assert.is((await post(h, 'cloud-a', body)).status, 200);
  // A fresh message from the same sender queues behind the duplicate: once it arrived, the duplicate was judged.
  assert.is((await post(h, 'cloud-a', delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'next', 'wamid.DUP2')]))).status, 200);
  const calls = (await appCalls(h, before + 2)).slice(before) as any[];
  assert.equal(
    calls.map((c) => c.text),
    ['hello again', 'next'],
  );
});

T('a short app outage is bridged inside the delivery: answered 200 once Jira has the message', async ({ h }) => {
  const before = h.app.calls.length;
  h.app.down = true;
  const refused = h.app.refusedWhileDown;
  const answer = post(h, 'cloud-a', delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'during a hiccup', 'wamid.OUTAGE1')]));
  await waitUntil(() => h.app.refusedWhileDown > refused, 'the service to meet the outage', 5_000, 5);
  h.app.down = false;
  assert.is((await answer).status, 200);
  assert.equal(
    (h.app.calls.slice(before) as any[]).map((c) => c.text),
    ['during a hiccup'],
    'in Jira before the answer, once',
  );
});

T('a longer outage answers 503 so Meta redelivers; the redelivery brings the message in once, the rest is not repeated', async ({ h }) => {
  const before = h.app.calls.length;
  const body = delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'lost?', 'wamid.OUTAGE2')]);
  h.app.down = true;
  let first;
  try {
    first = await post(h, 'cloud-a', body);
  } finally {
    h.app.down = false;
  }
  assert.is(first.status, 503);
  assert.is(first.body.error.code, 'unavailable');
  assert.is(h.app.calls.length, before, 'nothing reached Jira');
  // Meta redelivers the same body (with a message that did arrive meanwhile)
  const again = delivery(SITE_A.phoneNumberId, [
    textMessage('4915112345678', 'lost?', 'wamid.OUTAGE2'),
    textMessage('4915112345678', 'still there?', 'wamid.OUTAGE3'),
  ]);
  assert.is((await post(h, 'cloud-a', again)).status, 200);
  assert.is((await post(h, 'cloud-a', again)).status, 200, 'a second redelivery is answered 200 and skipped');
  assert.equal(
    (h.app.calls.slice(before) as any[]).map((c) => c.text),
    ['lost?', 'still there?'],
  );
});

T('a delivery for another phone number id is accepted but not processed', async ({ h }) => {
  const before = h.app.calls.length;
  assert.is((await post(h, 'cloud-a', delivery('9999999', [textMessage('4915112345678', 'stray', 'wamid.FOREIGN')]))).status, 200);
  assert.is((await post(h, 'cloud-a', delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'mine', 'wamid.MINE')]))).status, 200);
  const calls = (await appCalls(h, before + 1)).slice(before) as any[];
  assert.equal(
    calls.map((c) => c.text),
    ['mine'],
  );
});

T('an image is fetched from Graph with the site token, stored as an attachment, and sent as message.customer', async ({ h, graph }) => {
  graph.media.set('media-777', { bytes: PNG, mime: 'image/png', token: SITE_A.accessToken });
  const before = h.app.calls.length;
  const image = {
    from: '4915112345678',
    id: 'wamid.IMG1',
    timestamp: '1764380001',
    type: 'image',
    image: { id: 'media-777', mime_type: 'image/png', caption: 'the dent' },
  };
  assert.is((await post(h, 'cloud-a', delivery(SITE_A.phoneNumberId, [image]))).status, 200);
  const calls = (await appCalls(h, before + 2)).slice(before) as any[];
  assert.is(calls[0].type, 'conversation.start');
  assert.is(calls[0].text, 'the dent');
  const m = calls[1];
  assert.is(m.type, 'message.customer');
  assert.match(m.conversationId, /^SUP-\d+$/);
  assert.is(m.text, '');
  assert.is(m.attachment.mime, 'image/png');
  assert.is(m.attachment.size, PNG.length);
  const lookups = graph.requests.filter((r) => r.path.includes('media-777'));
  assert.ok(lookups.length >= 2 && lookups.every((r) => r.authorization === `Bearer ${SITE_A.accessToken}`));
  // The stored bytes are the ones Graph served: read them back as the conversation's agent.
  const link = await h.remote('attachment-url', { conversationId: m.conversationId, attachmentId: m.attachment.id });
  assert.is(link.status, 200, JSON.stringify(link.body));
  const file = await fetch(link.body.url);
  assert.is(file.status, 200);
  assert.ok(Buffer.from(await file.arrayBuffer()).equals(PNG));
  storedImage = {
    conversationId: m.conversationId,
    attachment: { id: m.attachment.id, name: m.attachment.name, size: m.attachment.size, mime: m.attachment.mime },
  };
});

let storedImage: { conversationId: string; attachment: { id: string; name: string; size: number; mime: string } } | null = null;

T('an agent attachment goes to WhatsApp as an image Meta fetches from a short-lived link', async ({ h, graph }) => {
  assert.ok(storedImage, 'the image test stored one');
  const { conversationId, attachment } = storedImage!;
  const message = {
    id: '10100',
    conversationId,
    author: { kind: 'agent', accountId: 'agent-1', name: 'Alice' },
    text: 'your label',
    at: new Date().toISOString(),
    attachment,
  };
  const r = await h.remote('relay', { message, whatsapp: { waId: '4915112345678' } });
  assert.equal(r.body.whatsapp, { sent: true });
  const sent = graph.requests.filter((q) => q.method === 'POST').at(-1)!;
  assert.is(sent.body.type, 'image');
  assert.is(sent.body.image.caption, 'your label');
  const file = await fetch(sent.body.image.link);
  assert.is(file.status, 200);
  assert.ok(Buffer.from(await file.arrayBuffer()).equals(PNG));
});

const reply = (text: string) => ({
  id: '10101',
  conversationId: 'SUP-1',
  author: { kind: 'agent', accountId: 'agent-1', name: 'Alice' },
  text,
  at: new Date().toISOString(),
});

T('an agent reply to a WhatsApp conversation is sent to Graph with the site token and body', async ({ h, graph }) => {
  const r = await h.remote('relay', { message: reply(`${SECRET_TEXT} reply`), whatsapp: { waId: '4915112345678' } });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.whatsapp, { sent: true });
  const sent = graph.requests.filter((q) => q.method === 'POST').at(-1)!;
  assert.is(sent.path, `/v21.0/${SITE_A.phoneNumberId}/messages`);
  assert.is(sent.authorization, `Bearer ${SITE_A.accessToken}`);
  assert.is(sent.body.messaging_product, 'whatsapp');
  assert.is(sent.body.to, '4915112345678');
  assert.is(sent.body.type, 'text');
  assert.is(sent.body.text.body, `${SECRET_TEXT} reply`);
});

T('outside the 24-hour window the relay answers outside_window', async ({ h, graph }) => {
  graph.closedWindows.add('4915100000000');
  const r = await h.remote('relay', { message: reply('too late'), whatsapp: { waId: '4915100000000' } });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.whatsapp, { sent: false, code: 'outside_window' });
});

T('each site sends with its own credentials; a relay without whatsapp sends nothing', async ({ h, graph }) => {
  await h.remote('relay', { message: reply('from b'), whatsapp: { waId: '4915112345678' } }, { installationId: 'cloud-b' });
  const sent = graph.requests.filter((q) => q.method === 'POST').at(-1)!;
  assert.is(sent.path, `/v21.0/${SITE_B.phoneNumberId}/messages`);
  assert.is(sent.authorization, `Bearer ${SITE_B.accessToken}`);
  const count = graph.requests.length;
  const web = await h.remote('relay', { message: reply('web only') });
  assert.is(web.status, 200);
  assert.is(web.body.whatsapp, undefined);
  assert.is(graph.requests.length, count);
  // the customer's own words (a portal comment) are never sent back to the customer's phone
  const own = await h.remote('relay', {
    message: { ...reply('my own words'), author: { kind: 'customer', name: 'Wanda' } },
    whatsapp: { waId: '4915112345678' },
  });
  assert.is(own.status, 200);
  assert.is(own.body.whatsapp, undefined);
  assert.is(graph.requests.length, count);
  const none = await h.remote('relay', { message: reply('nowhere'), whatsapp: { waId: '4915112345678' } }, { installationId: 'cloud-unset' });
  assert.equal(none.body.whatsapp, { sent: false, code: 'not_configured' });
});

T('no message text, token or secret appears in any log line', async ({ lines }) => {
  assert.ok(lines.length > 0);
  const all = lines.join('\n');
  for (const s of [SECRET_TEXT, 'hello again', 'the dent', SITE_A.accessToken, SITE_A.appSecret, SITE_B.accessToken, '4915112345678']) {
    assert.not.ok(all.includes(s), `log contains ${s}`);
  }
});

T('idem: the same message id from another sender is refused by the app and reaches no one; each sender keeps its own dedupe', async ({ h }) => {
  const agent = await h.agent(['SUP'], 'agent-wa-idem');
  agent.send({ type: 'watch.project', projectKey: 'SUP' });
  await agent.next('agents.presence');
  const before = h.app.calls.length;
  const victim = delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'victim words', 'wamid.IDEM1')]);
  assert.is((await post(h, 'cloud-a', victim)).status, 200);
  const [first] = (await appCalls(h, before + 1)).slice(before) as any[];
  assert.is(first.caller, `wa:${SITE_A.phoneNumberId}:4915112345678`);
  await agent.next('conversation.activity');
  // Another sender's message with the victim's message id: not swallowed as a duplicate of the victim's,
  // sent to the app under its own caller key, refused there; answered 200 (a redelivery would not help).
  const other = delivery(
    SITE_A.phoneNumberId,
    [textMessage('4915199999999', 'attacker words', 'wamid.IDEM1')],
    [{ profile: { name: 'Mal' }, wa_id: '4915199999999' }],
  );
  assert.is((await post(h, 'cloud-a', other)).status, 200);
  const [second] = (await appCalls(h, before + 2)).slice(before + 1) as any[];
  assert.is(second.caller, `wa:${SITE_A.phoneNumberId}:4915199999999`);
  assert.is(second.clientMsgId, first.clientMsgId);
  // The refused message published nothing: the next frame the dashboard sees is a later, ordinary one.
  assert.is((await post(h, 'cloud-a', delivery(SITE_A.phoneNumberId, [textMessage('4915112345678', 'later', 'wamid.IDEM2')]))).status, 200);
  await appCalls(h, before + 3);
  await agent.next('conversation.activity');
  assert.not.ok(agent.frames.some((f: any) => f.type === 'message' && f.message.text === 'attacker words'));
  assert.is(
    agent.frames.filter((f: any) => f.type === 'conversation.activity').length,
    2,
    'two activities: the victim message and the later one, none for the refused one',
  );
  await agent.close();
});

T.run();
