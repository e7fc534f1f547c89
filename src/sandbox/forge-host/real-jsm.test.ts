import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startJsmStandin } from '../jsm/index.js';
import { tempApp } from './fixtures/app-dir.js';
import { startForgeHost } from './index.js';

test('against the real JSM stand-in: user calls, app calls, a comment posted from the Jira-like page reaches the trigger, one the app posted does not (ignoreSelf)', async () => {
  const jsmDir = await mkdtemp(path.join(tmpdir(), 'forge-host-jsm-'));
  const jsm = await startJsmStandin({ dataDir: jsmDir, port: 0, host: '127.0.0.1' });
  const app = await tempApp();
  const host = await startForgeHost({ appDir: app.appDir, dataDir: app.dataDir, jira: jsm, log: () => {}, eventRetryBaseMs: 10 });
  try {
    const alice = jsm.users.find((u) => u.displayName === 'Alice Agent');
    const carl = jsm.users.find((u) => u.displayName === 'Carl Customer');
    assert.ok(alice && carl);
    const created = await fetch(`${jsm.url}/rest/servicedeskapi/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...jsm.hostAuthHeaders({ type: 'app' }) },
      body: JSON.stringify({
        serviceDeskId: '1',
        requestTypeId: '10',
        requestFieldValues: { summary: 'Chat with Carl', description: 'hi' },
        raiseOnBehalfOf: carl.accountId,
      }),
    });
    assert.is(created.status, 201);
    const { issueKey } = (await created.json()) as { issueKey: string };

    const call = (functionKey: string, payload: unknown = {}) =>
      host.invokeResolver({ moduleKey: 'test-panel', functionKey, payload, accountId: alice.accountId, extension: {} });
    const me = (await call('whoami')) as { status: number; body: { accountId: string } };
    assert.is(me.status, 200);
    assert.is(me.body.accountId, alice.accountId);
    const issue = (await call('issueAsApp', { key: issueKey })) as { status: number; body: { key: string } };
    assert.is(issue.status, 200);
    assert.is(issue.body.key, issueKey);

    const queue = await (await fetch(`${host.url}/jira/projects/SUP/queue?as=${alice.accountId}`)).text();
    assert.match(queue, issueKey);
    const posted = await fetch(`${host.url}/jira/browse/${issueKey}/comment?as=${alice.accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ body: 'Hello Carl', kind: 'public' }),
      redirect: 'manual',
    });
    assert.is(posted.status, 303);
    assert.not.match(posted.headers.get('location') ?? '', 'error=');
    await host.idle();
    const comments = await (await fetch(`${host.url}/jira/browse/${issueKey}/comments?as=${alice.accountId}`)).text();
    assert.match(comments, 'Hello Carl');
    const delivered = await call('kvsPrefix', { prefix: 'delivered-' });
    assert.is((delivered as string[]).length, 1);

    // The stand-in names the app's own account as the event's atlassianId: ignoreSelf drops it.
    const byApp = await fetch(`${jsm.url}/rest/api/3/issue/${issueKey}/comment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...jsm.hostAuthHeaders({ type: 'app' }) },
      body: JSON.stringify({ body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'from the app' }] }] } }),
    });
    assert.is(byApp.status, 201);
    await host.idle();
    assert.is(((await call('kvsPrefix', { prefix: 'attempts-' })) as string[]).length, 1, 'only the user-written comment reached the trigger');
  } finally {
    await host.close();
    await jsm.close();
    await app.cleanup();
    await rm(jsmDir, { recursive: true, force: true });
  }
});

test('installing the app tells Jira its jira:entityProperty indexes: property JQL works only for what the manifest declares', async () => {
  const jsmDir = await mkdtemp(path.join(tmpdir(), 'forge-host-jsm-'));
  const jsm = await startJsmStandin({ dataDir: jsmDir, port: 0, host: '127.0.0.1' });
  const search = async (jql: string) =>
    (
      await fetch(`${jsm.url}/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`, {
        headers: { accept: 'application/json', ...jsm.hostAuthHeaders({ type: 'app' }) },
      })
    ).status;
  const jql = 'project = SUP AND issue.property[chat.conversation].status = open';
  const fixture = await tempApp();
  const repoDir = path.resolve(import.meta.dirname, '../../..');
  const repoData = await mkdtemp(path.join(tmpdir(), 'forge-host-repo-'));
  try {
    const bare = await startForgeHost({ appDir: fixture.appDir, dataDir: fixture.dataDir, jira: jsm, log: () => {} });
    await bare.close();
    assert.is(await search(jql), 400, 'the fixture app declares no index');
    const real = await startForgeHost({ appDir: repoDir, dataDir: repoData, jira: jsm, log: () => {} });
    await real.close();
    assert.is(await search(jql), 200, "this repository's manifest declares chat.conversation.status");
    assert.is(await search('project = SUP AND chatStatus = open'), 200, 'and its searchAlias');
    assert.is(await search('project = SUP AND issue.property[chat.conversation].channel = web'), 400, 'but nothing else');
  } finally {
    await jsm.close();
    await fixture.cleanup();
    await rm(jsmDir, { recursive: true, force: true });
    await rm(repoData, { recursive: true, force: true });
  }
});

test.run();
