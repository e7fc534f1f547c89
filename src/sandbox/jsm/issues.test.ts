import * as assert from 'uvu/assert';
import { ADA, ALICE, adf, call, clients, newRequest, siteSuite } from './test-support.js';

const issues = siteSuite('issues');

issues('reads a request as a platform issue with ADF description and JSM status', async ({ site }) => {
  const { key, customer } = await newRequest(site.jsm, 'Laptop will not boot');
  const { jira } = await clients(site.jsm, ALICE);
  const issue = await jira.issues.getIssue({ issueIdOrKey: key });
  assert.is(issue.key, key);
  const f = issue.fields as Record<string, any>;
  assert.is(f.summary, 'Laptop will not boot');
  assert.is(f.description.type, 'doc');
  assert.is(f.status.name, 'Waiting for support');
  assert.is(f.project.key, 'SUP');
  assert.is(f.reporter.accountId, customer.accountId);
  assert.is(f.assignee, null);
  assert.match(f.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
});

issues('honours fields= and properties=', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Fields');
  const { jira } = await clients(site.jsm, ALICE);
  await jira.issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: 'chat.conversation', body: { v: 1, status: 'open' } });
  const issue = await jira.issues.getIssue({ issueIdOrKey: key, fields: ['summary', 'status'], properties: ['chat.conversation'] });
  assert.equal(Object.keys(issue.fields ?? {}).sort(), ['status', 'summary']);
  assert.equal(issue.properties, { 'chat.conversation': { v: 1, status: 'open' } });
  const minus = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}?fields=*all,-comment`, { email: ALICE });
  assert.not.ok('comment' in minus.json.fields);
  assert.ok('summary' in minus.json.fields);
});

issues('edits summary and description and rejects unknown fields', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Old summary');
  const { jira } = await clients(site.jsm, ALICE);
  await jira.issues.editIssue({ issueIdOrKey: key, fields: { summary: 'New summary', description: adf('New text') } });
  const issue = await jira.issues.getIssue({ issueIdOrKey: key, fields: ['summary'] });
  assert.is((issue.fields as Record<string, unknown>).summary, 'New summary');
  const bad = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}`, { email: ALICE, body: { fields: { colour: 'red' } } });
  assert.is(bad.status, 400);
  assert.equal(bad.json, { errorMessages: [], errors: { colour: "Field 'colour' cannot be set. It is not on the appropriate screen, or unknown." } });
});

issues('assigns to an agent, refuses a customer, and unassigns with null', async ({ site }) => {
  const { key, customer } = await newRequest(site.jsm, 'Assign me');
  const alice = site.jsm.users.find((u) => u.displayName === 'Alice Agent');
  const { jira } = await clients(site.jsm, ALICE);
  await jira.issues.assignIssue({ issueIdOrKey: key, accountId: alice?.accountId });
  let f = (await jira.issues.getIssue({ issueIdOrKey: key, fields: ['assignee'] })).fields as Record<string, any>;
  assert.is(f.assignee.displayName, 'Alice Agent');
  const bad = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/assignee`, { email: ALICE, body: { accountId: customer.accountId } });
  assert.is(bad.status, 400);
  assert.ok(bad.json.errors.assignee);
  await jira.issues.assignIssue({ issueIdOrKey: key, accountId: null as unknown as string });
  f = (await jira.issues.getIssue({ issueIdOrKey: key, fields: ['assignee'] })).fields as Record<string, any>;
  assert.is(f.assignee, null);
});

issues('lists transitions and resolves an issue', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Resolve me');
  const { jira } = await clients(site.jsm, ALICE);
  const t = await jira.issues.getTransitions({ issueIdOrKey: key });
  assert.equal(
    t.transitions?.map((x) => x.name),
    ['Respond to customer', 'Resolve this issue'],
  );
  const resolve = t.transitions?.find((x) => x.to?.name === 'Resolved');
  // The resolving transition's screen asks for a resolution (JSM's "Resolve this issue").
  const missing = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/transitions`, { email: ALICE, body: { transition: { id: resolve?.id } } });
  assert.is(missing.status, 400);
  assert.equal(missing.json.errors, { resolution: 'Resolution is required.' });
  const expanded = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/transitions?expand=transitions.fields`, { email: ALICE });
  const screen = expanded.json.transitions.find((x: { id: string }) => x.id === resolve?.id).fields;
  assert.is(screen.resolution.required, true);
  assert.ok(screen.resolution.allowedValues.some((v: { name: string }) => v.name === 'Done'));
  assert.is(t.transitions?.find((x) => x.id === resolve?.id)?.fields, undefined, 'fields only with expand=transitions.fields');
  await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: resolve?.id }, fields: { resolution: { name: 'Done' } } });
  const f = (await jira.issues.getIssue({ issueIdOrKey: key, fields: ['status', 'resolution'] })).fields as Record<string, any>;
  assert.is(f.status.name, 'Resolved');
  assert.is(f.status.statusCategory.key, 'done');
  assert.is(f.resolution.name, 'Done');
  const again = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/transitions`, { email: ALICE, body: { transition: { id: resolve?.id } } });
  assert.is(again.status, 400);
  assert.equal(again.json.errorMessages, [`Transition id '${String(resolve?.id)}' is not valid for this issue.`]);
});

issues('creates a plain issue through the platform API', async ({ site }) => {
  const { jira } = await clients(site.jsm, ADA);
  const created = await jira.issues.createIssue({ fields: { project: { key: 'HR' }, summary: 'Onboarding', issuetype: { id: '10100' } } });
  assert.match(String(created.key), /^HR-\d+$/);
});

issues('answers 404 with Jira wording for an unknown issue and path', async ({ site }) => {
  const r = await call(site.jsm, 'GET', '/rest/api/3/issue/SUP-9999', { email: ADA });
  assert.is(r.status, 404);
  assert.equal(r.json, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
  const nope = await call(site.jsm, 'GET', '/rest/api/3/nothing-here', { email: ADA });
  assert.is(nope.status, 404);
  assert.is(nope.json.errorMessages.length, 1);
});

issues('reads users, projects and server info', async ({ site }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const info = await jira.serverInfo.getServerInfo();
  assert.is(info.deploymentType, 'Cloud');
  const projects = await jira.projects.searchProjects();
  assert.equal(
    projects.values?.map((p) => p.key),
    ['SUP'],
  );
  const sup = await jira.projects.getProject({ projectIdOrKey: 'SUP' });
  assert.is(sup.projectTypeKey, 'service_desk');
  const hr = await call(site.jsm, 'GET', '/rest/api/3/project/HR', { email: ALICE });
  assert.is(hr.status, 404);
  const ada = site.jsm.users.find((u) => u.displayName === 'Ada Admin');
  const u = await jira.users.getUser({ accountId: ada?.accountId });
  assert.is(u.displayName, 'Ada Admin');
  const found = await call(site.jsm, 'GET', '/rest/api/3/user/search?query=bob', { email: ALICE });
  assert.equal(
    found.json.map((x: { displayName: string }) => x.displayName),
    ['Bob Agent'],
  );
  const bulk = await call(site.jsm, 'GET', `/rest/api/3/user/bulk?accountId=${encodeURIComponent(String(ada?.accountId))}`, { email: ALICE });
  assert.is(bulk.json.total, 1);
  assert.is(bulk.json.isLast, true);
});

issues('assignable user search needs a project (or issue) and a query (or accountId), and finds the agents of that project only', async ({ site }) => {
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/user/assignable/search?query=a', { email: ADA })).status, 400);
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/user/assignable/search?project=SUP', { email: ADA })).status, 400);
  const agents = await call(site.jsm, 'GET', '/rest/api/3/user/assignable/search?project=SUP&query=a', { email: ADA });
  assert.is(agents.status, 200);
  const names = agents.json.map((x: { displayName: string }) => x.displayName);
  assert.ok(names.includes('Alice Agent'));
  assert.not.ok(
    names.some((n: string) => n.startsWith('Carl')),
    'customers are not assignable',
  );
  const bob = site.jsm.users.find((u) => u.displayName === 'Bob Agent');
  const byId = await call(site.jsm, 'GET', `/rest/api/3/user/assignable/search?project=SUP&accountId=${encodeURIComponent(String(bob?.accountId))}`, {
    email: ADA,
  });
  assert.equal(
    byId.json.map((x: { displayName: string }) => x.displayName),
    ['Bob Agent'],
  );
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/user/assignable/search?project=NOPE&query=a', { email: ADA })).status, 404);
});

issues.run();
