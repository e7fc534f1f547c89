import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from '../testing/harness.js';

// 1x1 transparent PNG: real magic bytes, so the upload's type sniffing accepts it.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const T = suite<{ h: Harness }>('attachments through the service');
T.before(async (ctx) => {
  ctx.h = await startHarness({ deps: { attachments: undefined } });
});
T.after(async (ctx) => ctx.h.close());

T('a customer uploads with the visitor token, sends it, and the agent opens it with the httpToken', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-50001', text: 'See picture', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  const agent = await h.agent(['SUP'], 'agent-a');
  agent.send({ type: 'watch', conversationId });
  await agent.next('customer.presence');

  const id = await h.upload(c.authOk.token, conversationId, 'dot.png', PNG);

  c.send({ type: 'attachment.send', conversationId, clientMsgId: 'msg-50002', attachmentId: id, caption: 'the dot' });
  await c.next('message.ack');
  const call = h.app.calls.at(-1) as any;
  assert.is(call.type, 'message.customer');
  assert.is(call.attachment.id, id);
  assert.is(call.attachment.mime, 'image/png');
  assert.type(call.attachment.url, 'string');
  const m = await agent.next('message');
  assert.is(m.message.attachment.id, id);

  c.send({ type: 'attachment.url', conversationId, attachmentId: id });
  const link = await c.next('attachment.url');
  assert.type(link.url, 'string');

  const stableUrl = call.attachment.url as string;
  assert.ok(stableUrl.startsWith(h.service.url), 'links name the port actually bound');
  const stable = await fetch(stableUrl, { headers: { authorization: `Bearer ${agent.authOk.httpToken}` }, redirect: 'manual' });
  assert.ok(stable.status < 400, `agent download answered ${stable.status}`);
  await stable.arrayBuffer();
  const stranger = await fetch(stableUrl, { redirect: 'manual' });
  assert.is(stranger.status, 401);
  await stranger.arrayBuffer();
  await c.close();
  await agent.close();
});

T('an attachment of another conversation is not found', async ({ h }) => {
  const c = await h.customer();
  c.send({ type: 'conversation.start', clientMsgId: 'msg-50003', text: 'x', prechat: {} });
  const { conversationId } = await c.next('message.ack');
  c.send({ type: 'attachment.send', conversationId, clientMsgId: 'msg-50004', attachmentId: 'A'.repeat(22) });
  assert.is((await c.next('message.failed')).code, 'not_found');
  await c.close();
});

T.run();
