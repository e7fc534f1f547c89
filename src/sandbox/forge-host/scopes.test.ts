import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkScope } from './scopes.js';

const declared = new Set(['read:jira-work', 'write:jira-work', 'read:jira-user', 'write:servicedesk-request', 'manage:servicedesk-customer']);

test('maps the endpoints the app uses to their classic scopes', () => {
  assert.ok(checkScope(declared, 'POST', '/rest/api/3/issue/SUP-1/comment').ok);
  assert.ok(checkScope(declared, 'GET', '/rest/api/3/issue/SUP-1/comment?orderBy=created').ok);
  assert.ok(checkScope(declared, 'PUT', '/rest/api/3/issue/SUP-1/properties/chat.conversation').ok);
  assert.ok(checkScope(declared, 'GET', '/rest/api/3/search/jql?jql=x').ok);
  assert.ok(checkScope(declared, 'GET', '/rest/api/3/user?accountId=a').ok);
  assert.ok(checkScope(declared, 'GET', '/rest/api/3/mypermissions?projectKey=SUP&permissions=BROWSE_PROJECTS').ok);
  assert.ok(checkScope(declared, 'POST', '/rest/servicedeskapi/customer').ok);
  assert.ok(checkScope(declared, 'POST', '/rest/servicedeskapi/request').ok);
});

test('request attachments: attachTemporaryFile and request/{key}/attachment need write:servicedesk-request', () => {
  assert.ok(checkScope(declared, 'POST', '/rest/servicedeskapi/servicedesk/1/attachTemporaryFile').ok);
  assert.ok(checkScope(declared, 'POST', '/rest/servicedeskapi/request/SUP-1/attachment').ok);
  assert.not.ok(checkScope(new Set(['read:jira-work']), 'POST', '/rest/servicedeskapi/servicedesk/1/attachTemporaryFile').ok);
});

test('request feedback: GET needs read:servicedesk-request, POST and DELETE write:servicedesk-request', () => {
  const read = new Set(['read:servicedesk-request']);
  const write = new Set(['write:servicedesk-request']);
  assert.ok(checkScope(read, 'GET', '/rest/servicedeskapi/request/SUP-1/feedback').ok);
  assert.not.ok(checkScope(write, 'GET', '/rest/servicedeskapi/request/SUP-1/feedback').ok);
  for (const m of ['POST', 'DELETE']) {
    assert.ok(checkScope(write, m, '/rest/servicedeskapi/request/SUP-1/feedback').ok, m);
    assert.not.ok(checkScope(read, m, '/rest/servicedeskapi/request/SUP-1/feedback').ok, m);
  }
});

test('refuses an undeclared scope and names it', () => {
  const d = checkScope(new Set(['read:jira-work']), 'POST', '/rest/servicedeskapi/request');
  assert.not.ok(d.ok);
  if (!d.ok) assert.match(d.message, 'write:servicedesk-request');
  assert.not.ok(checkScope(declared, 'GET', '/rest/servicedeskapi/request').ok, 'read:servicedesk-request is not declared here');
});

test('refuses an endpoint it has no scope for, saying where to add it', () => {
  const d = checkScope(declared, 'DELETE', '/rest/api/3/project/SUP');
  assert.not.ok(d.ok);
  if (!d.ok) assert.match(d.message, 'scopes.ts');
});

test.run();
