import * as assert from 'uvu/assert';
import { ADA, call, newRequest, siteSuite } from './test-support.js';

const robust = siteSuite<{ key: string }>('bad input');

robust.before(async (ctx) => {
  ctx.key = (await newRequest(ctx.site.jsm, 'Target')).key;
});

const BODIES = [
  '',
  'null',
  '[]',
  '"text"',
  '42',
  '{"body":',
  '{"fields":{"summary":7}}',
  '{"transition":{}}',
  '{"accountId":5}',
  '{"serviceDeskId":1}',
  '{"email":"not-an-email"}',
];

robust('every mutation answers 4xx with a JSON error body for malformed input, never 5xx', async ({ site, key }) => {
  const targets: [string, string][] = [
    ['PUT', `/rest/api/3/issue/${key}`],
    ['POST', '/rest/api/3/issue'],
    ['PUT', `/rest/api/3/issue/${key}/assignee`],
    ['POST', `/rest/api/3/issue/${key}/transitions`],
    ['POST', `/rest/api/3/issue/${key}/comment`],
    ['POST', '/rest/api/3/search/jql'],
    ['POST', '/rest/servicedeskapi/customer'],
    ['POST', '/rest/servicedeskapi/request'],
    ['POST', '/rest/servicedeskapi/servicedesk/1/customer'],
    ['POST', `/rest/servicedeskapi/request/${key}/comment`],
  ];
  // An edit body with none of fields/update/properties is a valid no-op edit.
  const validNoOp = (method: string, path: string, body: string) =>
    method === 'PUT' && path.endsWith(key) && /^\{"(transition|accountId|serviceDeskId|email)"/.test(body);
  for (const [method, path] of targets) {
    for (const rawBody of BODIES) {
      if (validNoOp(method, path, rawBody)) continue;
      const r = await call(site.jsm, method, path, { email: ADA, rawBody, headers: { 'content-type': 'application/json' } });
      assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} ${rawBody} -> ${r.status}`);
      assert.type(r.json, 'object', `${method} ${path} ${rawBody}`);
      const dialectOk = path.includes('servicedeskapi') ? typeof r.json.errorMessage === 'string' : Array.isArray(r.json.errorMessages);
      assert.ok(dialectOk, `${method} ${path} ${rawBody}: ${JSON.stringify(r.json)}`);
    }
  }
});

robust('bad paging parameters answer 400', async ({ site, key }) => {
  const r = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/comment?startAt=abc`, { email: ADA });
  assert.is(r.status, 400);
  const s = await call(site.jsm, 'GET', '/rest/servicedeskapi/servicedesk?limit=x', { email: ADA });
  assert.is(s.status, 400);
  assert.type(s.json.errorMessage, 'string');
});

robust('a body over 1 MiB is refused with 413', async ({ site, key }) => {
  const r = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/huge`, { email: ADA, rawBody: JSON.stringify({ x: 'y'.repeat(1024 * 1024) }) });
  assert.is(r.status, 413);
});

robust('a wrong method answers 405 and an unknown path 404, both with Jira bodies', async ({ site }) => {
  const m = await call(site.jsm, 'DELETE', '/rest/api/3/myself', { email: ADA });
  assert.is(m.status, 405);
  assert.is(m.json.errorMessages.length, 1);
  const sd = await call(site.jsm, 'GET', '/rest/servicedeskapi/nothing', { email: ADA });
  assert.is(sd.status, 404);
  assert.type(sd.json.errorMessage, 'string');
});

robust('the server still answers after all of that', async ({ site }) => {
  assert.is((await call(site.jsm, 'GET', '/rest/api/3/serverInfo', { email: ADA })).status, 200);
});

robust.run();
