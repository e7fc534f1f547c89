import { test } from 'uvu';
import { adfToText } from '../protocol/adf.js';
import * as assert from 'uvu/assert';
import { startWorld, type World } from './__fixtures__/world.js';
import { verifyAgentGrant } from '../protocol/agent-grant.js';

let w: World;
let key = '';
let hrKey = '';
test.before(async () => {
  w = await startWorld();
  const s = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'res-start-000001',
    caller: 'v:' + 'f6'.repeat(16),
    channel: 'web',
    customer: { name: 'Fay Visitor', email: 'fay@visitor.example', verified: false },
    text: 'Need help with my order',
  });
  key = s.body.conversationId;
  const hr = await w.inbound({
    type: 'conversation.start',
    projectKey: 'HR',
    clientMsgId: 'res-start-000002',
    caller: 'v:' + 'f6'.repeat(16),
    channel: 'web',
    customer: { name: 'Gus Visitor', email: 'gus@visitor.example', verified: false },
    text: 'A private HR question',
  });
  hrKey = hr.body.conversationId;
  await w.host.idle();
});
test.after(async () => {
  await w.close();
});

async function rejects(p: Promise<unknown>, code: string): Promise<string> {
  try {
    await p;
  } catch (e) {
    const msg = e instanceof Error ? e.message : JSON.stringify(e);
    assert.match(msg, code);
    return msg;
  }
  assert.unreachable(`expected a rejection with ${code}`);
  return '';
}

test('panel.load shows the conversation and public history to an agent of the project', async () => {
  const r = await w.resolve('panel.load', { issueKey: key }, w.people.alice);
  assert.is(r.isChat, true);
  assert.is(r.conversation.id, key);
  assert.is(r.conversation.customer.name, 'Fay Visitor');
  assert.equal(
    r.messages.map((m: { text: string }) => m.text),
    ['Need help with my order'],
  );
  assert.is(r.me.name, 'Alice Agent');
});

test('an agent of SUP asking for an HR chat is refused', async () => {
  await rejects(w.resolve('panel.load', { issueKey: hrKey }, w.people.alice), 'forbidden');
  await rejects(w.resolve('chat.send', { issueKey: hrKey, clientMsgId: 'res-send-hr-0001', text: 'peek' }, w.people.alice), 'forbidden');
  const comments = await w.rest('app', 'GET', `/rest/api/3/issue/${hrKey}/comment`);
  assert.is(comments.body.total, 1);
});

test('a customer is refused by the agent resolvers', async () => {
  await rejects(w.resolve('panel.load', { issueKey: key }, w.people.carl), 'forbidden');
  await rejects(w.resolve('presence.grant', {}, w.people.carl), 'forbidden');
});

test('a bad payload is refused with a clear message', async () => {
  const msg = await rejects(w.resolve('chat.send', { issueKey: key, clientMsgId: 'x', text: 'hi' }, w.people.alice), 'invalid');
  assert.match(msg, 'clientMsgId');
});

test('chat.send posts as the agent with the chat.message property and relays once', async () => {
  const r = await w.resolve('chat.send', { issueKey: key, clientMsgId: 'res-send-0000001', text: 'Hello Fay, checking your order' }, w.people.alice);
  assert.is(r.message.author.kind, 'agent');
  assert.is(r.message.author.accountId, w.people.alice);
  assert.is(r.message.clientMsgId, 'res-send-0000001');
  await w.host.idle();
  const c = { body: (await w.rest('app', 'POST', '/rest/api/3/comment/list?expand=properties', { ids: [Number(r.message.id)] })).body.values[0] };
  assert.is(c.body.author.accountId, w.people.alice);
  const prop = c.body.properties.find((p: { key: string }) => p.key === 'chat.message');
  assert.equal(prop.value, { source: 'agent-panel', clientMsgId: 'res-send-0000001' });
  // The reply also assigned the unassigned chat: its "joined" notice is a system line, not this message.
  const relays = w.presence.callsTo('relay').filter((c) => (c.body['message'] as { author: { kind: string } }).author.kind !== 'system');
  assert.is(relays.length, 1, 'relayed by the resolver, not again by the comment trigger');
  assert.is((relays[0]?.body['message'] as { id: string }).id, r.message.id);
  assert.is(relays[0]?.moduleType, 'core:endpoint', 'the resolver relays from the backend');
  assert.is(relays[0]?.accountId, undefined, 'a backend FIT names no user: the author travels in the message');

  const again = await w.resolve('chat.send', { issueKey: key, clientMsgId: 'res-send-0000001', text: 'Hello Fay, checking your order' }, w.people.alice);
  assert.is(again.message.id, r.message.id);
  const all = await w.rest('app', 'GET', `/rest/api/3/issue/${key}/comment`);
  assert.is(all.body.total, 2);
});

test('attachments: the agent sends one as a comment with its metadata; download URLs only for agents', async () => {
  const attachment = { id: 'att_agent_000000001', name: 'label.pdf', size: 4096, mime: 'application/pdf' };
  const r = await w.resolve('chat.sendAttachment', { issueKey: key, clientMsgId: 'res-att-00000001', attachment }, w.people.bob);
  assert.equal(r.message.attachment, attachment);
  assert.is(r.message.text, '', 'the file travels as `attachment`, not repeated in the text');
  const comment = (await w.rest('app', 'GET', `/rest/api/3/issue/${key}/comment/${r.message.id}`)).body;
  assert.match(adfToText(comment.body), 'label.pdf (4.0 KB)');
  const u = await w.resolve('attachment.url', { issueKey: key, attachmentId: attachment.id }, w.people.bob);
  assert.match(u.url, attachment.id);
  await rejects(w.resolve('attachment.url', { issueKey: hrKey, attachmentId: attachment.id }, w.people.alice), 'forbidden');
});

test('panel.history pages back from a message id', async () => {
  const p = await w.resolve('panel.load', { issueKey: key }, w.people.alice);
  const newest = p.messages.at(-1);
  const older = await w.resolve('panel.history', { issueKey: key, before: newest.id }, w.people.alice);
  assert.equal(
    older.messages.map((m: { id: string }) => m.id),
    p.messages.slice(0, -1).map((m: { id: string }) => m.id),
  );
});

test('schedules: own for agents, others only for admins; force offline is a backend call naming the agent', async () => {
  const schedule = {
    timeZone: 'Europe/Berlin',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    exceptions: [],
  };
  await w.resolve('projectSettings.saveAgentSchedule', { projectKey: 'SUP', accountId: w.people.alice, schedule }, w.people.alice, 'chat-project-settings');
  await rejects(
    w.resolve('projectSettings.saveAgentSchedule', { projectKey: 'SUP', accountId: w.people.bob, schedule }, w.people.alice, 'chat-project-settings'),
    'forbidden',
  );
  await w.resolve('projectSettings.saveAgentSchedule', { projectKey: 'SUP', accountId: w.people.bob, schedule }, w.people.ada, 'chat-project-settings');
  const off = await w.resolve('projectSettings.forceOffline', { projectKey: 'SUP', accountId: w.people.alice }, w.people.ada, 'chat-project-settings');
  assert.is(off.agent.forcedOffline, true);
  const call = w.presence.callsTo('presence.set').at(-1);
  assert.is(call?.moduleType, 'core:endpoint', 'the app calls the service from its backend');
  assert.is(call?.accountId, undefined, 'a backend token names no user');
  assert.is(call?.body['accountId'], w.people.alice);
});

test("projectSettings.findAgents finds the project's agents in Jira by name (not customers), for admins only; hours only for agents of the project", async () => {
  const found = await w.resolve('projectSettings.findAgents', { projectKey: 'SUP', query: 'ali' }, w.people.ada, 'chat-project-settings');
  assert.equal(
    found.agents.map((a: { accountId: string }) => a.accountId),
    [w.people.alice],
  );
  const customers = await w.resolve('projectSettings.findAgents', { projectKey: 'SUP', query: 'carl' }, w.people.ada, 'chat-project-settings');
  assert.equal(customers.agents, [], 'a customer is not an agent');
  await rejects(w.resolve('projectSettings.findAgents', { projectKey: 'SUP', query: 'ali' }, w.people.alice, 'chat-project-settings'), 'forbidden');
  const schedule = {
    timeZone: 'Europe/Berlin',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    exceptions: [],
  };
  await rejects(
    w.resolve('projectSettings.saveAgentSchedule', { projectKey: 'SUP', accountId: w.people.carl, schedule }, w.people.ada, 'chat-project-settings'),
    'not an agent of SUP',
  );
});

test('presence.grant names only the projects where the caller is an agent, signed for the caller', async () => {
  const one = await w.resolve('presence.grant', { projectKey: 'SUP' }, w.people.alice);
  assert.equal(one.projects, ['SUP']);
  await rejects(w.resolve('presence.grant', { projectKey: 'HR' }, w.people.alice), 'forbidden');
  const all = await w.resolve('presence.grant', {}, w.people.alice);
  assert.equal(all.projects, ['SUP']);
  const check = verifyAgentGrant([w.presence.secret!], all.grant);
  assert.ok(check.ok);
  if (check.ok) assert.equal([check.claims.sub, check.claims.projects], [w.people.alice, ['SUP']]);
  assert.is(verifyAgentGrant(['another-installations-secret-0000000000'], all.grant).ok, false);
});

test('dashboard.load lists the open chats of the project with who is waiting', async () => {
  const started = await w.inbound({
    type: 'conversation.start',
    projectKey: 'SUP',
    clientMsgId: 'res-start-000003',
    caller: 'v:' + 'f6'.repeat(16),
    channel: 'web',
    customer: { name: 'Hal Visitor', email: 'hal@visitor.example', verified: false },
    text: 'Still there?',
  });
  // The row of a just-started chat is read by key: there at once, although search lags.
  const row = await w.resolve('dashboard.row', { projectKey: 'SUP', conversationId: started.body.conversationId }, w.people.bob, 'chat-dashboard');
  assert.is(row.chat.customerName, 'Hal Visitor');
  assert.ok(row.chat.waitingSince);
  await rejects(w.resolve('dashboard.row', { projectKey: 'SUP', conversationId: hrKey }, w.people.bob, 'chat-dashboard'), 'not_found');
  // The list comes from search (property JQL), which lags; the app reconciles the chats it just wrote.
  const d = await w.resolve('dashboard.load', { projectKey: 'SUP' }, w.people.bob, 'chat-dashboard');
  const names = d.chats.map((c: { customerName: string }) => c.customerName).sort();
  assert.equal(names, ['Fay Visitor', 'Hal Visitor']);
  const hal = d.chats.find((c: { customerName: string }) => c.customerName === 'Hal Visitor');
  const fay = d.chats.find((c: { customerName: string }) => c.customerName === 'Fay Visitor');
  assert.ok(hal.waitingSince, 'Hal waits for an answer');
  assert.is(fay.waitingSince, null, 'Fay was answered');
  await rejects(w.resolve('dashboard.load', { projectKey: 'HR' }, w.people.alice, 'chat-dashboard'), 'forbidden');
});

const config = {
  projectKey: 'SUP',
  projectId: '10000',
  serviceDeskId: '1',
  requestTypeId: '10',
  enabled: true,
  allowedOrigins: ['https://shop.example'],
  widget: { teamName: 'Support' },
  widgetShows: 'always',
  schedule: null,
  verification: 'off',
};

test('project settings: agents may look, only project admins may save', async () => {
  const asAgent = await w.resolve('projectSettings.load', { projectKey: 'SUP' }, w.people.alice, 'chat-project-settings');
  assert.is(asAgent.canEdit, false);
  assert.ok(asAgent.requestTypes.some((t: { id: string; name: string }) => t.id === '10' && t.name === 'Chat'));
  assert.is(asAgent.serviceDeskId, '1');
  const puts = w.presence.callsTo('project-config.put').length;
  await rejects(w.resolve('projectSettings.save', { projectKey: 'SUP', config }, w.people.alice, 'chat-project-settings'), 'forbidden');
  await rejects(
    w.resolve('projectSettings.forceOffline', { projectKey: 'SUP', accountId: w.people.bob }, w.people.alice, 'chat-project-settings'),
    'forbidden',
  );
  await rejects(w.resolve('projectSettings.rotateSecret', { projectKey: 'SUP' }, w.people.alice, 'chat-project-settings'), 'forbidden');
  assert.is(w.presence.callsTo('project-config.put').length, puts, 'nothing reached the service');

  const saved = await w.resolve('projectSettings.save', { projectKey: 'SUP', config }, w.people.ada, 'chat-project-settings');
  assert.is(saved.config.widgetId, 'w_savedwidget01');
  assert.is(saved.embedSnippet, `<script async src="${w.presence.url}/widget.js" data-widget-id="w_savedwidget01"></script>`);
});

test('project settings refuse a config that points into another project', async () => {
  await rejects(
    w.resolve('projectSettings.save', { projectKey: 'SUP', config: { ...config, serviceDeskId: '2' } }, w.people.ada, 'chat-project-settings'),
    'invalid',
  );
});

test('admin page: only Jira admins see data or change anything; WhatsApp secrets pass through', async () => {
  const agent = await w.resolve('admin.load', {}, w.people.alice, 'chat-admin');
  assert.is(agent.isAdmin, false);
  assert.equal(agent.projects, []);
  await rejects(w.resolve('admin.saveSettings', { analytics: true }, w.people.alice, 'chat-admin'), 'forbidden');
  await rejects(w.resolve('admin.relink', {}, w.people.alice, 'chat-admin'), 'forbidden');

  const admin = await w.resolve('admin.load', {}, w.people.ada, 'chat-admin');
  assert.is(admin.isAdmin, true);
  assert.is(admin.connection.ok, true);
  assert.is(admin.connection.linked, true);
  assert.ok(admin.projects.some((p: { key: string; chatEnabled: boolean }) => p.key === 'SUP' && p.chatEnabled));

  const wa = await w.resolve(
    'admin.saveWhatsApp',
    { projectKey: 'SUP', phoneNumberId: '1234567890', accessToken: 'EAAG-token-value', appSecret: 'app-secret-value', verifyToken: 'verify-me-please' },
    w.people.ada,
    'chat-admin',
  );
  assert.is(wa.configured, true);
  assert.is(w.presence.callsTo('whatsapp.put').length, 1);

  const oldSecret = w.presence.secret ?? '';
  const relink = await w.resolve('admin.relink', {}, w.people.ada, 'chat-admin');
  assert.is(relink.ok, true);
  assert.is.not(w.presence.secret, oldSecret);
  const ping = await w.inbound({ type: 'ping' });
  assert.is(ping.status, 200, 'the new secret is in use');
  const late = await w.inbound({ type: 'ping' }, { secret: oldSecret });
  assert.is(late.status, 200, 'calls signed just before the rotation still pass');
});

test('chat.take assigns to the agent; chat.close resolves the request and closes the chat', async () => {
  const t = await w.resolve('chat.take', { issueKey: key }, w.people.bob);
  assert.is(t.assignee.accountId, w.people.bob);
  const c = await w.resolve('chat.close', { issueKey: key }, w.people.bob);
  assert.is(c.status, 'closed');
  await w.host.idle();
  const issue = await w.rest('app', 'GET', `/rest/api/3/issue/${key}?fields=status,assignee&properties=chat.conversation`);
  assert.is(issue.body.fields.assignee.accountId, w.people.bob);
  assert.is(issue.body.fields.status.statusCategory.key, 'done');
  assert.is(issue.body.properties['chat.conversation'].status, 'closed');
});

test.run();
