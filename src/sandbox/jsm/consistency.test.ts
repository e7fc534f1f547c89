/**
 * Search is eventually consistent (search/jql), writes are not: a just-created issue and
 * just-set properties stay invisible to JQL for the configured delay, while GET by key
 * sees them at once; reconcileIssues asks for the current state of up to 50 issues.
 * @see https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile/
 */
import * as assert from 'uvu/assert';
import { ALICE, CHAT_INDEX, call, newRequest, siteSuite } from './test-support.js';

const DELAY_MS = 400;
const s = siteSuite('search/jql is eventually consistent', { searchDelayMs: DELAY_MS });

const search = (site: { jsm: Parameters<typeof call>[0] }, jql: string, body: Record<string, unknown> = {}) =>
  call(site.jsm, 'POST', '/rest/api/3/search/jql', { email: ALICE, body: { jql, fields: ['summary'], properties: ['chat.conversation'], ...body } });

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.unreachable('condition not met in time');
}

s('a just-created issue is missing from search until the delay has passed, but readable by key at once', async ({ site }) => {
  site.jsm.installApp({ entityProperties: CHAT_INDEX });
  const t0 = Date.now();
  const { key, request } = await newRequest(site.jsm, 'Fresh chat');
  const now = await search(site, `key = ${key}`);
  assert.is(now.status, 200);
  assert.equal(now.json.issues, []);
  const byKey = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}`, { email: ALICE });
  assert.is(byKey.status, 200);
  const reconciled = await search(site, `key = ${key}`, { reconcileIssues: [Number(request.issueId)] });
  assert.equal(
    reconciled.json.issues.map((i: { key: string }) => i.key),
    [key],
  );
  await until(async () => (await search(site, `key = ${key}`)).json.issues.length === 1, DELAY_MS * 5);
  assert.ok(Date.now() - t0 >= DELAY_MS - 50, 'visible only after the delay');
});

s('a property change reaches JQL only after the delay; search shows the old value meanwhile', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Property chat');
  await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/chat.conversation`, { email: ALICE, body: { v: 1, status: 'open' } });
  await until(async () => (await search(site, `key = ${key} AND chatStatus = open`)).json.issues.length === 1, DELAY_MS * 5);
  await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/properties/chat.conversation`, { email: ALICE, body: { v: 1, status: 'closed' } });
  const stale = await search(site, `key = ${key}`);
  assert.equal(stale.json.issues[0].properties['chat.conversation'].status, 'open');
  assert.is((await search(site, `key = ${key} AND chatStatus = open`)).json.issues.length, 1);
  await until(async () => (await search(site, `key = ${key} AND chatStatus = closed`)).json.issues.length === 1, DELAY_MS * 5);
});

s('reconcileIssues takes at most 50 ids', async ({ site }) => {
  const r = await search(site, 'project = SUP', { reconcileIssues: Array.from({ length: 51 }, (_, i) => 10000 + i) });
  assert.is(r.status, 400);
  assert.is(r.json.errorMessages.length, 1);
});

s.run();
