import * as assert from 'uvu/assert';
import { ALICE, call, clients, newRequest, siteSuite } from './test-support.js';

const props = siteSuite<{ key: string }>('issue properties');

props.before(async (ctx) => {
  ctx.key = (await newRequest(ctx.site.jsm, 'Props')).key;
});

props('answers 201 on create and 200 on update, then reads the value back', async ({ site, key }) => {
  const first = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/chat.conversation`, { email: ALICE, body: { v: 1, status: 'open' } });
  assert.is(first.status, 201);
  const second = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/chat.conversation`, { email: ALICE, body: { v: 1, status: 'closed' } });
  assert.is(second.status, 200);
  const { jira } = await clients(site.jsm, ALICE);
  const p = await jira.issueProperties.getIssueProperty({ issueIdOrKey: key, propertyKey: 'chat.conversation' });
  assert.equal(p, { key: 'chat.conversation', value: { v: 1, status: 'closed' } });
});

props('lists keys and deletes a property', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  await jira.issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: 'chat.whatsapp', body: { name: 'Ann', phone: '+100' } });
  const keys = await jira.issueProperties.getIssuePropertyKeys({ issueIdOrKey: key });
  assert.ok(keys.keys?.some((k) => k.key === 'chat.whatsapp'));
  await jira.issueProperties.deleteIssueProperty({ issueIdOrKey: key, propertyKey: 'chat.whatsapp' });
  const r = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/properties/chat.whatsapp`, { email: ALICE });
  assert.is(r.status, 404);
});

props('rejects a value over 32 KB with 400 and keeps the old value', async ({ site, key }) => {
  const big = { blob: 'x'.repeat(32768) };
  const r = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/chat.big`, { email: ALICE, body: big });
  assert.is(r.status, 400);
  assert.is(r.json.errorMessages.length, 1);
  const fits = { blob: 'x'.repeat(32768 - 20) };
  assert.is((await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/chat.big`, { email: ALICE, body: fits })).status, 201);
});

props('rejects malformed JSON with a 400 body, never a crash', async ({ site, key }) => {
  const r = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/chat.bad`, { email: ALICE, rawBody: '{not json' });
  assert.is(r.status, 400);
  assert.is(r.json.errorMessages.length, 1);
  const still = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/properties`, { email: ALICE });
  assert.is(still.status, 200);
});

props.run();
