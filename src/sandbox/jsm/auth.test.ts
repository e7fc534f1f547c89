import * as assert from 'uvu/assert';
import { ADA, call, clients, siteSuite } from './test-support.js';

const auth = siteSuite('auth');

auth('answers 401 with a platform error body when no credentials are sent', async ({ site }) => {
  const r = await call(site.jsm, 'GET', '/rest/api/3/myself');
  assert.is(r.status, 401);
  assert.equal(r.json, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
});

auth('answers 401 in servicedeskapi dialect on the JSM API', async ({ site }) => {
  const r = await call(site.jsm, 'GET', '/rest/servicedeskapi/servicedesk');
  assert.is(r.status, 401);
  assert.type(r.json.errorMessage, 'string');
  assert.type(r.json.i18nErrorMessage.i18nKey, 'string');
});

auth('rejects a wrong API token and an unknown email', async ({ site }) => {
  const wrong = Buffer.from(`${ADA}:nope`).toString('base64');
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/myself', { headers: { authorization: `Basic ${wrong}` } })).status, 401);
  const unknown = Buffer.from('nobody@example.com:sandbox').toString('base64');
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/myself', { headers: { authorization: `Basic ${unknown}` } })).status, 401);
});

auth('jira.js with basic auth reads /myself as the seeded admin', async ({ site }) => {
  const { jira } = await clients(site.jsm, ADA);
  const me = await jira.myself.getCurrentUser();
  assert.is(me.displayName, 'Ada Admin');
  assert.is(me.accountType, 'atlassian');
});

auth('host headers act as the app user "Chat for JSM"', async ({ site }) => {
  const r = await call(site.jsm, 'GET', '/rest/api/3/myself', { headers: site.jsm.hostAuthHeaders({ type: 'app' }) });
  assert.is(r.status, 200);
  assert.is(r.json.accountId, site.jsm.appAccountId);
  assert.is(r.json.accountType, 'app');
  assert.is(r.json.displayName, 'Chat for JSM');
});

auth('host headers act as a named user', async ({ site }) => {
  const alice = site.jsm.users.find((u) => u.displayName === 'Alice Agent');
  assert.ok(alice);
  const r = await call(site.jsm, 'GET', '/rest/api/3/myself', { headers: site.jsm.hostAuthHeaders({ type: 'user', accountId: alice.accountId }) });
  assert.is(r.json.accountId, alice.accountId);
});

auth('a principal header without the host secret is refused', async ({ site }) => {
  const r = await call(site.jsm, 'GET', '/rest/api/3/myself', { headers: { authorization: 'Bearer guessed', 'x-sandbox-principal': 'app' } });
  assert.is(r.status, 401);
});

auth('seeded users are listed with their roles and the shared token', async ({ site }) => {
  const names = site.jsm.users.map((u) => u.displayName).sort();
  assert.equal(names, ['Ada Admin', 'Alice Agent', 'Bob Agent', 'Carl Customer']);
  const bob = site.jsm.users.find((u) => u.displayName === 'Bob Agent');
  assert.equal(bob?.agentOf, ['SUP', 'HR']);
  assert.ok(site.jsm.users.every((u) => u.apiToken === 'sandbox'));
  assert.is(site.jsm.cloudId, 'sandbox-0000-0000-0000-000000000001');
});

auth.run();
