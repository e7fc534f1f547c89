/**
 * Comment `visibility` (role/group) on the platform API, as documented:
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/
 */
import * as assert from 'uvu/assert';
import { ADA, ALICE, CARL, adf, call, clients, siteSuite, waitForEvents } from './test-support.js';

const V = siteSuite<{ key: string }>('comment visibility');

V.before(async (ctx) => {
  const { sd } = await clients(ctx.site.jsm, ADA);
  const carl = ctx.site.jsm.users.find((u) => u.emailAddress === CARL)!.accountId;
  const r = await sd.request.createCustomerRequest({
    serviceDeskId: '1',
    requestTypeId: '10',
    requestFieldValues: { summary: 'Restricted talk' },
    raiseOnBehalfOf: carl,
  });
  ctx.key = r.issueKey as string;
});

const TEAM = { type: 'role', value: 'Service Desk Team' };
const ADMINS = { type: 'role', value: 'Administrators' };

V('a role-restricted comment stores and returns visibility {type, value, identifier}, and stays jsdPublic', async ({ site, key }) => {
  const created = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: { body: adf('team only'), visibility: TEAM } });
  assert.is(created.status, 201);
  assert.equal(created.json.visibility, { type: 'role', value: 'Service Desk Team', identifier: 'Service Desk Team' });
  assert.is(created.json.jsdPublic, true, 'JSM public flag and visibility are separate');
  const read = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/comment/${created.json.id}`, { email: ALICE });
  assert.equal(read.json.visibility, created.json.visibility);
  const plain = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: { body: adf('everyone') } });
  assert.is('visibility' in plain.json, false, 'unrestricted comments carry no visibility');
});

V('a group restriction by name or by id answers both (identifier = the group id)', async ({ site, key }) => {
  const byName = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, {
    email: ALICE,
    body: { body: adf('agents'), visibility: { type: 'group', value: 'jira-servicedesk-users' } },
  });
  assert.is(byName.status, 201);
  assert.is(byName.json.visibility.type, 'group');
  assert.is(byName.json.visibility.value, 'jira-servicedesk-users');
  assert.match(byName.json.visibility.identifier, /^[0-9a-f-]{36}$/);
  const byId = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, {
    email: ALICE,
    body: { body: adf('agents'), visibility: { type: 'group', identifier: byName.json.visibility.identifier } },
  });
  assert.equal(byId.json.visibility, byName.json.visibility);
});

V('readers outside the role do not see the comment: left out of lists and comment/list, 404 on read', async ({ site, key }) => {
  const c = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ADA, body: { body: adf('admins only'), visibility: ADMINS } });
  assert.is(c.status, 201);
  const asAlice = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/comment?maxResults=100`, { email: ALICE });
  assert.not.ok(asAlice.json.comments.some((x: { id: string }) => x.id === c.json.id));
  assert.is(asAlice.json.total, asAlice.json.comments.length);
  assert.is((await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/comment/${c.json.id}`, { email: ALICE })).status, 404);
  assert.is((await call(site.jsm, 'GET', `/rest/api/3/comment/${c.json.id}/properties`, { email: ALICE })).status, 404);
  const byId = await call(site.jsm, 'POST', `/rest/api/3/comment/list`, { email: ALICE, body: { ids: [Number(c.json.id)] } });
  assert.equal([byId.status, byId.json.values], [200, []], 'comment/list leaves it out too');
  const asAda = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/comment?maxResults=100`, { email: ADA });
  assert.ok(asAda.json.comments.some((x: { id: string }) => x.id === c.json.id));
});

V('the app reads every restricted comment (docs silent: the relay must filter them itself)', async ({ site, key }) => {
  const c = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ADA, body: { body: adf('admins again'), visibility: ADMINS } });
  const res = await fetch(`${site.jsm.url}/rest/api/3/issue/${key}/comment/${c.json.id}`, {
    headers: { accept: 'application/json', ...site.jsm.hostAuthHeaders({ type: 'app' }) },
  });
  assert.is(res.status, 200);
  assert.equal(((await res.json()) as { visibility: unknown }).visibility, { type: 'role', value: 'Administrators', identifier: 'Administrators' });
});

V('the customer never sees restricted comments on the portal API, though they are jsdPublic', async ({ site, key }) => {
  const c = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: { body: adf('team note'), visibility: TEAM } });
  const list = await call(site.jsm, 'GET', `/rest/servicedeskapi/request/${key}/comment`, { email: CARL });
  assert.is(list.status, 200);
  assert.not.ok(list.json.values.some((x: { id: string }) => x.id === c.json.id));
  assert.is((await call(site.jsm, 'GET', `/rest/servicedeskapi/request/${key}/comment/${c.json.id}`, { email: CARL })).status, 404);
});

V('a writer outside the role or group, an unknown role and a bad type are refused with 400', async ({ site, key }) => {
  const notAdmin = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: { body: adf('x'), visibility: ADMINS } });
  assert.is(notAdmin.status, 400);
  assert.equal(notAdmin.json.errors, { commentLevel: 'You are currently not a member of the project role: Administrators.' });
  const unknown = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, {
    email: ADA,
    body: { body: adf('x'), visibility: { type: 'role', value: 'Developers' } },
  });
  assert.is(unknown.status, 400);
  const badGroup = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, {
    email: ADA,
    body: { body: adf('x'), visibility: { type: 'group', value: 'nobody-here' } },
  });
  assert.equal(badGroup.json.errors, { commentLevel: 'You are currently not a member of the group: nobody-here.' });
  const badType = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, {
    email: ADA,
    body: { body: adf('x'), visibility: { type: 'everyone', value: 'x' } },
  });
  assert.is(badType.status, 400);
});

V('an edit without visibility keeps it; visibility null lifts it; the event carries it', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('restricted'), visibility: { type: 'role', value: 'Service Desk Team' } });
  assert.is(c.visibility?.value, 'Service Desk Team', 'jira.js reads the shape');
  site.events.length = 0;
  const kept = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/comment/${c.id}`, { email: ALICE, body: { body: adf('restricted, edited') } });
  assert.is(kept.json.visibility.value, 'Service Desk Team');
  const [event] = (await waitForEvents(site, 1)).filter((e) => e.eventType === 'avi:jira:commented:issue');
  assert.equal(event?.payload.comment?.visibility, { type: 'role', value: 'Service Desk Team', identifier: 'Service Desk Team' });
  const lifted = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/comment/${c.id}`, { email: ALICE, body: { body: adf('now public'), visibility: null } });
  assert.is(lifted.status, 200);
  assert.is('visibility' in lifted.json, false);
});

V.run();
