import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startJsmStandin } from './server.js';
import { ALICE, adf, clients, newRequest, removeDir, startTestSite, tickingClock } from './test-support.js';

test('a restart on the same folder keeps issues, comments, properties and customers', async () => {
  const first = await startTestSite();
  let key = '';
  let email = '';
  let lastComment = 0;
  try {
    ({ key, email } = await newRequest(first.jsm, 'Survives restart'));
    const { jira } = await clients(first.jsm, ALICE);
    const c = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('kept') });
    lastComment = Number(c.id);
    await jira.issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: 'chat.conversation', body: { v: 1 } });
  } finally {
    await first.stop();
  }
  assert.ok(existsSync(join(first.dir, 'jsm.json')));
  assert.equal(readdirSync(first.dir), ['jsm.json'], 'no temp file is left behind');

  const again = await startJsmStandin({ dataDir: first.dir, clock: tickingClock('2026-02-01T00:00:00.000Z') });
  try {
    const { jira } = await clients(again, ALICE);
    const comments = await jira.issueComments.getComments({ issueIdOrKey: key });
    assert.is(comments.total, 1);
    const prop = await jira.issueProperties.getIssueProperty({ issueIdOrKey: key, propertyKey: 'chat.conversation' });
    assert.equal(prop.value, { v: 1 });
    const { sd } = await clients(again, email);
    const mine = await sd.request.getCustomerRequestByIdOrKey({ issueIdOrKey: key });
    assert.is(mine.summary, 'Survives restart');
    const next = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('after restart') });
    assert.is(Number(next.id), lastComment + 1, 'ids continue after a restart');
    const second = await newRequest(again, 'Second');
    assert.is(second.key, 'SUP-2');
  } finally {
    await again.close();
    removeDir(first.dir);
  }
});

test('a data folder belongs to the site that seeded it: its cloudId survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-standin-'));
  const a = await startJsmStandin({ dataDir: dir, cloudId: 'site-b-0001' });
  const { jira } = await clients(a, ALICE);
  const r = await fetch(`${a.url}/_edge/tenant_info`, { headers: { authorization: `Basic ${Buffer.from(`${ALICE}:sandbox`).toString('base64')}` } });
  assert.equal(await r.json(), { cloudId: 'site-b-0001' });
  assert.is((await jira.myself.getCurrentUser()).displayName, 'Alice Agent');
  await a.close();
  const b = await startJsmStandin({ dataDir: dir, cloudId: 'something-else' });
  try {
    assert.is(b.cloudId, 'site-b-0001');
  } finally {
    await b.close();
    removeDir(dir);
  }
});

test.run();
