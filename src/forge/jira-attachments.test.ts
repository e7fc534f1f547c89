/**
 * Every chat file becomes a real attachment of the JSM request (kept after the presence
 * service's 7 days), and the comment links to that attachment.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adfToText } from '../protocol/adf.js';
import { startWorld, type World } from './__fixtures__/world.js';
import { multipartFile } from './lib/jira-attachments.js';

let w: World;
let key = '';
let customerAccountId = '';
const CALLER = 'v:' + 'a7'.repeat(16);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

test.before(async () => {
  w = await startWorld();
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'jatt-start-00001',
    caller: CALLER,
    channel: 'web',
    customer: { name: 'Flo Visitor', email: 'flo@visitor.example', verified: false },
    text: 'A file for you',
  });
  key = s.body.conversationId;
  customerAccountId = s.body.customerAccountId;
  await w.host.idle();
});
test.after(async () => {
  await w.close();
});

async function requestAttachments(): Promise<{ filename: string; size: number; mimeType: string; _links: { content: string } }[]> {
  const r = await w.rest('app', 'GET', `/rest/servicedeskapi/request/${key}/attachment`);
  assert.is(r.status, 200);
  return r.body.values;
}

async function contentOf(url: string): Promise<Buffer> {
  const res = await fetch(url, { headers: w.jsm.hostAuthHeaders({ type: 'app' }) });
  assert.is(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

function linkOf(adf: any): string | undefined {
  let href: string | undefined;
  JSON.stringify(adf, (_k, v) => {
    if (v && v.type === 'link' && v.attrs?.href) href = v.attrs.href;
    return v;
  });
  return href;
}

test("a customer's file is attached to the request with its bytes, and the comment links to the Jira attachment", async () => {
  const attachment = {
    id: 'att_customer_00000001',
    name: 'Rechnung März.pdf',
    size: PDF.length,
    mime: 'application/pdf',
    url: 'https://presence.example/v1/attachments/att_customer_00000001',
  };
  w.presence.files.set(attachment.id, { conversationId: key, name: attachment.name, mime: attachment.mime, bytes: PDF });
  const r = await w.inbound({
    type: 'message.customer',
    conversationId: key,
    customerAccountId,
    clientMsgId: 'jatt-msg-000001',
    caller: CALLER,
    text: 'Here it is',
    attachment,
  });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const files = await requestAttachments();
  const f = files.find((x) => x.filename === attachment.name);
  assert.ok(f, `attachments: ${files.map((x) => x.filename).join(', ')}`);
  assert.is(f!.size, PDF.length);
  assert.equal(await contentOf(f!._links.content), PDF);
  const comment = (await w.rest('app', 'GET', `/rest/api/3/issue/${key}/comment/${r.body.messageId}`)).body;
  assert.is(linkOf(comment.body), f!._links.content, 'the comment links to the Jira attachment, not to the service');
  assert.match(adfToText(comment.body), 'Here it is');
  const call = w.presence.callsTo('attachment-content').at(-1);
  assert.is(call?.moduleType, 'core:endpoint', 'fetched by the app itself, from its backend (a backend FIT)');
});

test("an agent's file from the panel is attached to the request and the comment links to it", async () => {
  const attachment = { id: 'att_agent_0000000001', name: 'label.png', size: PNG.length, mime: 'image/png' };
  w.presence.files.set(attachment.id, { conversationId: key, name: attachment.name, mime: attachment.mime, bytes: PNG });
  const r = await w.resolve('chat.sendAttachment', { issueKey: key, clientMsgId: 'jatt-agent-00001', attachment }, w.people.alice);
  assert.equal(r.message.attachment, attachment);
  const f = (await requestAttachments()).find((x) => x.filename === 'label.png');
  assert.ok(f);
  assert.is(f!.mimeType, 'image/png');
  assert.equal(await contentOf(f!._links.content), PNG);
  const comment = (await w.rest('app', 'GET', `/rest/api/3/issue/${key}/comment/${r.message.id}`)).body;
  assert.is(linkOf(comment.body), f!._links.content);
  // A retry of the same message is answered from the first one: no second copy in Jira.
  await w.resolve('chat.sendAttachment', { issueKey: key, clientMsgId: 'jatt-agent-00001', attachment }, w.people.alice);
  assert.is((await requestAttachments()).filter((x) => x.filename === 'label.png').length, 1);
});

test('a file the service no longer has is still sent as a message (no Jira copy, no link)', async () => {
  const attachment = { id: 'att_gone_000000000001', name: 'old.pdf', size: 10, mime: 'application/pdf' };
  const r = await w.resolve('chat.sendAttachment', { issueKey: key, clientMsgId: 'jatt-agent-00002', attachment }, w.people.alice);
  const comment = (await w.rest('app', 'GET', `/rest/api/3/issue/${key}/comment/${r.message.id}`)).body;
  assert.is(linkOf(comment.body), undefined);
  assert.is(
    (await requestAttachments()).some((x) => x.filename === 'old.pdf'),
    false,
  );
});

test('multipartFile: one "file" part, UTF-8 name with quotes escaped, parsed back by a standard parser', async () => {
  const m = multipartFile('a "b"\r\nü.png', 'image/png', PNG.buffer.slice(PNG.byteOffset, PNG.byteOffset + PNG.length));
  const form = await new Response(m.body, { headers: { 'content-type': m.contentType } }).formData();
  const f = form.get('file') as File;
  assert.is(f.name, 'a "b"\r\nü.png', 'the escapes decode back to the name');
  assert.is(f.type, 'image/png');
  assert.equal(Buffer.from(await f.arrayBuffer()), PNG);
});

test.run();
