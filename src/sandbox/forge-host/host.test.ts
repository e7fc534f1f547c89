import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withHostSite } from './fixtures/host-site.js';
import type { ForgeHost } from './index.js';

test('product calls reach the stand-in as the app or as the invoking user', async () => {
  await withHostSite({}, async ({ jira, host }) => {
    const me = (await host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'whoami', payload: {}, accountId: 'agent-1', extension: {} })) as {
      status: number;
      body: { principal: string };
      accountId: string;
    };
    assert.is(me.status, 200);
    assert.is(me.body.principal, 'user:agent-1');
    assert.is(me.accountId, 'agent-1');
    const issue = (await host.invokeResolver({
      moduleKey: 'test-panel',
      functionKey: 'issueAsApp',
      payload: { key: 'SUP-1' },
      accountId: 'agent-2',
      extension: {},
    })) as { status: number };
    assert.is(issue.status, 200);
    const last = jira.requests.at(-1);
    assert.is(last?.path, '/rest/api/3/issue/SUP-1');
    assert.is(last?.principal, 'app');
  });
});

test('refuses a product call whose scope the manifest does not declare, without reaching Jira', async () => {
  await withHostSite({}, async ({ jira, host }) => {
    const r = (await host.invokeResolver({
      moduleKey: 'test-panel',
      functionKey: 'commentAsUser',
      payload: { key: 'SUP-1' },
      accountId: 'agent-1',
      extension: {},
    })) as { status: number; body: { message: string } };
    assert.is(r.status, 403);
    assert.match(r.body.message, 'write:jira-work');
    assert.not.ok(jira.requests.some((q) => q.method === 'POST'));
  });
});

test('refuses Forge storage when the manifest does not declare storage:app', async () => {
  const withoutStorageScope = async (app: { appDir: string }) => {
    const file = join(app.appDir, 'manifest.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^\s+- storage:app\n/m, ''));
  };
  await withHostSite({ prepare: withoutStorageScope }, async ({ host }) => {
    const err = await host
      .invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsPut', payload: { key: 'k', value: 1 }, accountId: 'agent-1', extension: {} })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.instance(err, Error);
    assert.match(String((err as Error).message), 'storage:app');
  });
});

test('kvs values, prefix queries and secrets persist across a host restart', async () => {
  const call = (h: ForgeHost, functionKey: string, payload: unknown = {}) =>
    h.invokeResolver({ moduleKey: 'test-panel', functionKey, payload, accountId: 'agent-1', extension: {} });
  await withHostSite({}, async (site) => {
    let host = site.host;
    await call(host, 'kvsPut', { key: 'conv:1', value: { n: 1 } });
    await call(host, 'kvsPut', { key: 'conv:2', value: { n: 2 } });
    await call(host, 'kvsPut', { key: 'other', value: 'x' });
    await call(host, 'secretPut', { value: 's3cret' });
    assert.equal(await call(host, 'kvsGet', { key: 'missing' }), null);
    const installationId = host.installationId;
    host = await site.restart();
    assert.is(host.installationId, installationId);
    assert.equal(await call(host, 'kvsGet', { key: 'conv:2' }), { n: 2 });
    assert.equal(await call(host, 'kvsPrefix', { prefix: 'conv:' }), ['conv:1', 'conv:2']);
    assert.is(await call(host, 'secretGet'), 's3cret');
    assert.equal(await call(host, 'kvsGet', { key: 'secret' }), null, 'secrets live apart from plain keys');
  });
});

test('webtrigger round trip: Forge request shape in, {statusCode, headers, body} out; URL stable across restart', async () => {
  await withHostSite({}, async (site) => {
    let host = site.host;
    const fromApp = (await host.invokeResolver({
      moduleKey: 'test-panel',
      functionKey: 'webtriggerUrl',
      payload: {},
      accountId: 'agent-1',
      extension: {},
    })) as string;
    const fromHost = await host.webtriggerUrl('hook');
    assert.is(fromApp, fromHost);
    assert.match(fromHost, new RegExp(`^${host.url}/x1/[A-Za-z0-9_-]{20,}$`));
    const r = await fetch(`${fromHost}?a=1&a=2`, {
      method: 'POST',
      headers: { 'X-Test': 'yes', 'content-type': 'application/json' },
      body: '{"hello":"world"}',
    });
    assert.is(r.status, 201);
    assert.is(r.headers.get('x-echo'), 'yes');
    const body = (await r.json()) as { method: string; query: Record<string, string[]>; raw: string };
    assert.is(body.method, 'POST');
    assert.equal(body.query, { a: ['1', '2'] });
    assert.is(body.raw, '{"hello":"world"}');

    const path = new URL(fromHost).pathname;
    host = await site.restart();
    assert.is(new URL(await host.webtriggerUrl('hook')).pathname, path);
  });
});

test('a throwing or malformed webtrigger answers 500 with the platform error, and the host keeps serving', async () => {
  const lines: string[] = [];
  await withHostSite({ log: (l) => lines.push(l) }, async ({ host }) => {
    const url = await host.webtriggerUrl('hook');
    const thrown = await fetch(url, { method: 'POST', body: '{"throw":true}' });
    assert.is(thrown.status, 500);
    assert.equal(await thrown.json(), { code: 500, message: 'Internal Server Error', error: 'FUNCTION_ERR' });
    const bad = await fetch(url, { method: 'POST', body: '{"bad":true}' });
    assert.is(bad.status, 500);
    const ok = await fetch(url, { method: 'POST', body: '{}' });
    assert.is(ok.status, 201);
    assert.not.ok(lines.join('\n').includes('on purpose'), 'error messages stay out of the log');
    assert.is((await fetch(`${host.url}/x1/unknownid`, { method: 'POST' })).status, 404);
  });
});

test('malformed requests get Jira-style 400s; a missing Custom UI build gets a page saying what to run', async () => {
  await withHostSite({}, async ({ host }) => {
    const badKey = await fetch(`${host.url}/jira/browse/not-a-key?as=agent-1`);
    assert.is(badKey.status, 400);
    assert.ok(Array.isArray(((await badKey.json()) as { errorMessages: unknown }).errorMessages));
    assert.is((await fetch(`${host.url}/jira/browse/SUP-1?as=nobody`)).status, 400);
    const noBuild = await fetch(`${host.url}/ui/test-admin/?as=agent-1`);
    assert.is(noBuild.status, 404);
    assert.match(await noBuild.text(), 'npm run build');
    const bridge = await fetch(`${host.url}/bridge/unknownframe/invoke`, { method: 'POST', body: 'x' });
    assert.is(bridge.status, 410);
    assert.is((await fetch(`${host.url}/.well-known/jwks.json`)).status, 200, 'still alive');
  });
});

test.run();
