import * as assert from 'uvu/assert';
import { ADA, ALICE, CARL, adf, call, clients, newRequest, siteSuite } from './test-support.js';

const sd = siteSuite('servicedeskapi');

sd('lists service desks and the seeded request types', async ({ site }) => {
  const { sd: api } = await clients(site.jsm, ADA);
  const desks = await api.servicedesk.getServiceDesks();
  assert.equal(
    desks.values?.map((d) => [d.id, d.projectKey]),
    [
      ['1', 'SUP'],
      ['2', 'HR'],
    ],
  );
  assert.is(desks.isLastPage, true);
  const types = await api.servicedesk.getRequestTypes({ serviceDeskId: '1' });
  assert.equal(
    types.values?.map((t) => [t.id, t.name]),
    [
      ['10', 'Chat'],
      ['11', 'Get IT help'],
    ],
  );
});

sd('creates a customer with accountType "customer" and refuses a duplicate email', async ({ site }) => {
  const { sd: api } = await clients(site.jsm, ADA);
  const c = await api.customer.createCustomer({ email: 'erin@example.com', displayName: 'Erin' });
  assert.match(String(c.accountId), /^qm:/);
  assert.is(c.emailAddress, 'erin@example.com');
  const u = await call(site.jsm, 'GET', `/rest/api/3/user?accountId=${encodeURIComponent(String(c.accountId))}`, { email: ADA });
  assert.is(u.json.accountType, 'customer');
  const dup = await call(site.jsm, 'POST', '/rest/servicedeskapi/customer', { email: ADA, body: { email: 'ERIN@example.com', displayName: 'Erin again' } });
  assert.is(dup.status, 400);
  assert.is(dup.json.errorMessage, 'An account already exists for this email');
  const strict = await call(site.jsm, 'POST', '/rest/servicedeskapi/customer?strictConflictStatusCode=true', {
    email: ADA,
    body: { email: 'erin@example.com' },
  });
  assert.is(strict.status, 409);
});

sd('only administrators and the app create customers', async ({ site }) => {
  const r = await call(site.jsm, 'POST', '/rest/servicedeskapi/customer', { email: ALICE, body: { email: 'x1@example.com' } });
  assert.is(r.status, 403);
  const app = await call(site.jsm, 'POST', '/rest/servicedeskapi/customer', {
    headers: site.jsm.hostAuthHeaders({ type: 'app' }),
    body: { email: 'x2@example.com', displayName: 'X2' },
  });
  assert.is(app.status, 201);
});

sd('the app creates customers only while its user holds Administer Jira (403 otherwise)', async ({ site }) => {
  site.jsm.setAppAdminister(false);
  try {
    const app = site.jsm.hostAuthHeaders({ type: 'app' });
    const r = await call(site.jsm, 'POST', '/rest/servicedeskapi/customer', { headers: app, body: { email: 'x3@example.com', displayName: 'X3' } });
    assert.is(r.status, 403);
    assert.type(r.json.errorMessage, 'string');
    assert.type(r.json.i18nErrorMessage.i18nKey, 'string');
    const perms = await call(site.jsm, 'GET', '/rest/api/3/mypermissions?permissions=ADMINISTER', { headers: app });
    assert.is(perms.json.permissions.ADMINISTER.havePermission, false);
  } finally {
    site.jsm.setAppAdminister(true);
  }
  const again = await call(site.jsm, 'POST', '/rest/servicedeskapi/customer', {
    headers: site.jsm.hostAuthHeaders({ type: 'app' }),
    body: { email: 'x3@example.com', displayName: 'X3' },
  });
  assert.is(again.status, 201);
});

sd('creates a request on behalf of a customer with JSM response fields', async ({ site }) => {
  const { request, customer } = await newRequest(site.jsm, 'Printer is on fire');
  assert.match(String(request.issueKey), /^SUP-\d+$/);
  assert.is(request.serviceDeskId, '1');
  assert.is(request.requestTypeId, '10');
  assert.is(request.reporter?.accountId, customer.accountId);
  assert.is(request.currentStatus?.status, 'Waiting for support');
  assert.ok(request._links?.web);
  const summary = request.requestFieldValues?.find((f) => f.fieldId === 'summary');
  assert.is(summary?.value, 'Printer is on fire');
});

sd('rejects a request without summary or with a foreign request type', async ({ site }) => {
  const noSummary = await call(site.jsm, 'POST', '/rest/servicedeskapi/request', {
    email: ADA,
    body: { serviceDeskId: '1', requestTypeId: '10', requestFieldValues: {} },
  });
  assert.is(noSummary.status, 400);
  assert.type(noSummary.json.errorMessage, 'string');
  const foreign = await call(site.jsm, 'POST', '/rest/servicedeskapi/request', {
    email: ADA,
    body: { serviceDeskId: '1', requestTypeId: '20', requestFieldValues: { summary: 'x' } },
  });
  assert.is(foreign.status, 400);
  const bad = await call(site.jsm, 'POST', '/rest/servicedeskapi/request', { email: ADA, rawBody: '{"serviceDeskId": ' });
  assert.is(bad.status, 400);
  assert.type(bad.json.errorMessage, 'string');
});

sd('internal comments carry sd.public.comment and are hidden from the customer', async ({ site }) => {
  const { key, email } = await newRequest(site.jsm, 'Need help');
  const { sd: agent, jira } = await clients(site.jsm, ALICE);
  await agent.request.createRequestComment({ issueIdOrKey: key, body: 'Public answer', public: true });
  const internal = await agent.request.createRequestComment({ issueIdOrKey: key, body: 'Internal note', public: false });
  assert.is(internal.public, false);
  const prop = await jira.issueCommentProperties.getCommentProperty({ commentId: String(internal.id), propertyKey: 'sd.public.comment' });
  assert.equal(prop.value, { internal: true });
  // Platform-created internal note, the way the app writes one.
  await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('Another note'), properties: [{ key: 'sd.public.comment', value: { internal: true } }] });

  const agentView = await agent.request.getRequestComments({ issueIdOrKey: key });
  assert.is(agentView.size, 3);
  const { sd: cust } = await clients(site.jsm, email);
  const custView = await cust.request.getRequestComments({ issueIdOrKey: key });
  assert.equal(
    custView.values?.map((c) => c.body),
    ['Public answer'],
  );
  const hidden = await call(site.jsm, 'GET', `/rest/servicedeskapi/request/${key}/comment/${String(internal.id)}`, { email });
  assert.is(hidden.status, 404);
});

sd('a customer comments publicly on their own request but may not post internal notes', async ({ site }) => {
  const { key, email } = await newRequest(site.jsm, 'Customer talks');
  const { sd: cust } = await clients(site.jsm, email);
  const c = await cust.request.createRequestComment({ issueIdOrKey: key, body: 'Hello?', public: true });
  assert.is(c.public, true);
  const r = await call(site.jsm, 'POST', `/rest/servicedeskapi/request/${key}/comment`, { email, body: { body: 'sneaky', public: false } });
  assert.is(r.status, 403);
});

sd("a customer cannot read another customer's request", async ({ site }) => {
  const first = await newRequest(site.jsm, 'Mine');
  const second = await newRequest(site.jsm, 'Theirs');
  const { sd: cust } = await clients(site.jsm, first.email);
  const own = await cust.request.getCustomerRequestByIdOrKey({ issueIdOrKey: first.key });
  assert.is(own.issueKey, first.key);
  const other = await call(site.jsm, 'GET', `/rest/servicedeskapi/request/${second.key}`, { email: first.email });
  assert.is(other.status, 404);
  assert.type(other.json.errorMessage, 'string');
  const comments = await call(site.jsm, 'GET', `/rest/servicedeskapi/request/${second.key}/comment`, { email: first.email });
  assert.is(comments.status, 404);
});

sd('customers get 404 from platform issue endpoints, as on real Jira', async ({ site }) => {
  const { key, email } = await newRequest(site.jsm, 'Platform is for agents');
  for (const path of [`/rest/api/3/issue/${key}`, `/rest/api/3/issue/${key}/comment`, `/rest/api/3/issue/${key}/properties`]) {
    const r = await call(site.jsm, 'GET', path, { email });
    assert.is(r.status, 404, path);
    assert.equal(r.json.errorMessages, ['Issue does not exist or you do not have permission to see it.']);
  }
  const carl = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}`, { email: CARL });
  assert.is(carl.status, 404);
});

sd('a customer raises a request for themselves in a desk they belong to', async ({ site }) => {
  const { sd: carl } = await clients(site.jsm, CARL);
  const r = await carl.request.createCustomerRequest({ serviceDeskId: '1', requestTypeId: '11', requestFieldValues: { summary: 'VPN down' } });
  assert.is(r.reporter?.displayName, 'Carl Customer');
  const hr = await call(site.jsm, 'POST', '/rest/servicedeskapi/request', {
    email: CARL,
    body: { serviceDeskId: '2', requestTypeId: '20', requestFieldValues: { summary: 'x' } },
  });
  assert.is(hr.status, 404);
  const onBehalf = await call(site.jsm, 'POST', '/rest/servicedeskapi/request', {
    email: CARL,
    body: { serviceDeskId: '1', requestTypeId: '10', requestFieldValues: { summary: 'x' }, raiseOnBehalfOf: 'ada@sandbox.example' },
  });
  assert.is(onBehalf.status, 403);
});

sd('agents list and add customers of their desk', async ({ site }) => {
  const { sd: admin } = await clients(site.jsm, ADA);
  const c = await admin.customer.createCustomer({ email: 'fay@example.com', displayName: 'Fay' });
  await admin.servicedesk.addCustomers({ serviceDeskId: '1', accountIds: [String(c.accountId)] });
  const list = await call(site.jsm, 'GET', '/rest/servicedeskapi/servicedesk/1/customer?query=fay', { email: ALICE });
  assert.is(list.status, 200);
  assert.equal(
    list.json.values.map((u: { displayName: string }) => u.displayName),
    ['Fay'],
  );
  const notAgent = await call(site.jsm, 'GET', '/rest/servicedeskapi/servicedesk/1/customer', { email: CARL });
  assert.is(notAgent.status, 403);
});

sd.run();
