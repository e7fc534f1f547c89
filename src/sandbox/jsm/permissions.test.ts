import * as assert from 'uvu/assert';
import { ADA, ALICE, BOB, CARL, call, clients, siteSuite, type TestSite } from './test-support.js';

const perms = siteSuite<{ hrKey: string }>('permissions');

const KEYS = 'BROWSE_PROJECTS,ADMINISTER_PROJECTS,ADMINISTER,ADD_COMMENTS,ASSIGN_ISSUES,SERVICEDESK_AGENT';

perms.before(async (ctx) => {
  const { sd } = await clients(ctx.site.jsm, ADA);
  const customer = await sd.customer.createCustomer({ email: 'hr-asker@example.com', displayName: 'Asker' });
  const r = await sd.request.createCustomerRequest({
    serviceDeskId: '2',
    requestTypeId: '20',
    requestFieldValues: { summary: 'Payroll question' },
    raiseOnBehalfOf: customer.accountId,
  });
  ctx.hrKey = String(r.issueKey);
});

async function mine(site: TestSite, email: string, project: string): Promise<Record<string, boolean>> {
  const { jira } = await clients(site.jsm, email);
  const r = await jira.permissions.getMyPermissions({ projectKey: project, permissions: KEYS });
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(r.permissions ?? {})) out[k] = (v as { havePermission: boolean }).havePermission;
  return out;
}

perms('the admin holds every permission on both projects', async ({ site }) => {
  for (const p of ['SUP', 'HR']) {
    const m = await mine(site, ADA, p);
    assert.ok(Object.values(m).every(Boolean), `${p}: ${JSON.stringify(m)}`);
  }
});

perms('an agent works in SUP but neither administers it nor Jira', async ({ site }) => {
  assert.equal(await mine(site, ALICE, 'SUP'), {
    BROWSE_PROJECTS: true,
    ADMINISTER_PROJECTS: false,
    ADMINISTER: false,
    ADD_COMMENTS: true,
    ASSIGN_ISSUES: true,
    SERVICEDESK_AGENT: true,
  });
});

perms('an agent of SUP only has no permission in HR', async ({ site }) => {
  const m = await mine(site, ALICE, 'HR');
  assert.ok(
    Object.values(m).every((v) => !v),
    JSON.stringify(m),
  );
  const bob = await mine(site, BOB, 'HR');
  assert.is(bob.SERVICEDESK_AGENT, true);
});

perms('a customer holds no project permission', async ({ site }) => {
  const m = await mine(site, CARL, 'SUP');
  assert.ok(
    Object.values(m).every((v) => !v),
    JSON.stringify(m),
  );
});

perms('the app may do anything', async ({ site }) => {
  const r = await call(site.jsm, 'GET', `/rest/api/3/mypermissions?projectKey=HR&permissions=${KEYS}`, { headers: site.jsm.hostAuthHeaders({ type: 'app' }) });
  assert.ok(Object.values(r.json.permissions as Record<string, { havePermission: boolean }>).every((p) => p.havePermission));
});

perms('mypermissions answers 400 without or with unknown keys and 404 for an unknown project', async ({ site }) => {
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/mypermissions?projectKey=SUP', { email: ALICE })).status, 400);
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/mypermissions?projectKey=SUP&permissions=FLY', { email: ALICE })).status, 400);
  const r = await call(site.jsm, 'GET', '/rest/api/3/mypermissions?projectKey=NOPE&permissions=BROWSE_PROJECTS', { email: ALICE });
  assert.is(r.status, 404);
  assert.equal(r.json.errorMessages, ["No project could be found with key 'NOPE'."]);
});

perms('an agent of SUP gets 404 for an HR issue and does not find it by JQL', async ({ site, hrKey }) => {
  assert.is((await call(site.jsm, 'GET', `/rest/api/3/issue/${hrKey}`, { email: ALICE })).status, 404);
  assert.is((await call(site.jsm, 'GET', `/rest/servicedeskapi/request/${hrKey}`, { email: ALICE })).status, 404);
  const { jira: alice } = await clients(site.jsm, ALICE);
  const found = await alice.issueSearch.searchAndReconsileIssuesUsingJql({ jql: `key = ${hrKey}` });
  assert.equal(found.issues, []);
  const { jira: bob } = await clients(site.jsm, BOB);
  const seen = await bob.issueSearch.searchAndReconsileIssuesUsingJql({ jql: `key = ${hrKey}`, fields: ['summary'] });
  assert.is(seen.issues?.length, 1);
});

perms('an agent of SUP may not comment on HR issues even by id', async ({ site, hrKey }) => {
  const r = await call(site.jsm, 'POST', `/rest/api/3/issue/${hrKey}/comment`, {
    email: ALICE,
    body: { body: { type: 'doc', version: 1, content: [] } },
  });
  assert.is(r.status, 404);
});

perms.run();
