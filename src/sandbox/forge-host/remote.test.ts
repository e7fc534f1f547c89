import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FitClaims } from '../../protocol/remote.js';
import { withHostSite } from './fixtures/host-site.js';
import type { ForgeHost } from './index.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const APP_ID = '11111111-2222-4333-8444-555555555555';

async function startRemote() {
  const seen: { auth: string; path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ auth: String(req.headers.authorization ?? ''), path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echoed: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function verified(host: ForgeHost, auth: string | undefined) {
  const { payload, protectedHeader } = await jwtVerify((auth ?? '').replace(/^Bearer /, ''), createRemoteJWKSet(new URL(host.jwksUrl)), {
    issuer: 'forge/invocation-token',
    audience: `ari:cloud:ecosystem::app/${APP_ID}`,
    algorithms: ['RS256'],
  });
  assert.ok(protectedHeader.kid);
  return { raw: payload as Record<string, unknown>, claims: FitClaims.parse(payload) };
}

test('invokeRemote from a backend function (even one a user started) sends the documented backend FIT: app and installation claims, no context, no principal', async () => {
  const remote = await startRemote();
  try {
    await withHostSite({ cloudId: 'cloud-fit', remotes: { backend: 'http://127.0.0.1:1' } }, async ({ jira, host }) => {
      host.setRemoteBaseUrl('backend', remote.url);
      const r = (await host.invokeResolver({
        moduleKey: 'test-panel',
        functionKey: 'callRemote',
        payload: { x: 1 },
        accountId: 'agent-1',
        extension: { issue: { key: 'SUP-1' } },
      })) as { status: number; body: unknown };
      assert.is(r.status, 200);
      assert.equal(r.body, { echoed: true });
      const call = remote.seen[0];
      assert.is(call?.path, '/forge/v1/echo');
      assert.is(call?.body, '{"x":1}');
      const { raw, claims } = await verified(host, call?.auth);
      const installationAri = `ari:cloud:ecosystem::installation/${host.installationId}`;
      assert.is(host.appId, APP_ID);
      assert.is(claims.app.id, `ari:cloud:ecosystem::app/${APP_ID}`);
      assert.is(claims.app.installationId, installationAri);
      assert.is(claims.app.apiBaseUrl, jira.url);
      assert.is(claims.app.environment.type, 'DEVELOPMENT');
      assert.equal(claims.app.module, { type: 'core:endpoint', key: 'backend' });
      assert.equal(claims.app.installation, { id: installationAri, contexts: [{ name: 'ari:cloud:jira::site/cloud-fit', apiBaseUrl: jira.url }] });
      assert.is(raw['context'], undefined, 'no context from a backend function');
      assert.is(raw['principal'], undefined, 'principal is for UI modules only');
      assert.ok(claims.exp - Math.floor(Date.now() / 1000) <= 25 && claims.exp > Date.now() / 1000);
    });
  } finally {
    await remote.close();
  }
});

/** Opens the fixture panel as `as` and returns the frame id the host gave it. */
async function openFrame(host: ForgeHost, as: string): Promise<string> {
  const html = await (await fetch(`${host.url}/ui/test-panel/?as=${as}&issueKey=SUP-7`)).text();
  const m = /"frameId":"([A-Za-z0-9_-]+)"/.exec(html);
  assert.ok(m, 'the page boots the bridge with a frame id');
  return m![1]!;
}

const writeIndex = async (app: { appDir: string }) => {
  const dir = path.join(app.appDir, 'static', 'panel', 'build');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><html><head></head><body>panel</body></html>');
};

test('requestRemote from a Custom UI sends a frontend FIT: the UI module, its context and the user as principal', async () => {
  const remote = await startRemote();
  try {
    await withHostSite({ cloudId: 'cloud-front', prepare: writeIndex }, async ({ host }) => {
      host.setRemoteBaseUrl('backend', remote.url);
      const frameId = await openFrame(host, 'agent-2');
      // exactly what @forge/bridge 7.2.0 requestRemote hands to callBridge('fetchRemote', ...)
      const res = await fetch(`${host.url}/bridge/${frameId}/fetchRemote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          remoteKey: 'backend',
          fetchRequestInit: { path: '/forge/v1/echo', method: 'POST', body: '{"y":2}', headers: [['content-type', 'application/json']] },
          isMultipartFormData: false,
        }),
      });
      assert.is(res.status, 200);
      const answer = (await res.json()) as { status: number; body: string };
      assert.equal([answer.status, JSON.parse(answer.body)], [200, { echoed: true }]);
      const { claims } = await verified(host, remote.seen[0]?.auth);
      assert.equal(claims.app.module, { type: 'jira:issueContext', key: 'test-panel' });
      assert.is(claims.principal, 'agent-2');
      assert.is(claims.context?.cloudId, 'cloud-front');
      assert.is(claims.context?.moduleKey, 'test-panel');
      assert.is((claims.context?.['extension'] as { issue: { key: string } }).issue.key, 'SUP-7');
      assert.is(claims.app.installation.id, `ari:cloud:ecosystem::installation/${host.installationId}`);
    });
  } finally {
    await remote.close();
  }
});

test('a Custom UI may not reach a remote outside permissions.external.fetch.client, nor invokeRemote without resolver.endpoint', async () => {
  await withHostSite({ prepare: writeIndex }, async ({ host }) => {
    const frameId = await openFrame(host, 'agent-2');
    const post = (op: string, body: unknown) =>
      fetch(`${host.url}/bridge/${frameId}/${op}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const denied = await post('fetchRemote', { remoteKey: 'server-only', fetchRequestInit: { path: '/x', method: 'GET' } });
    assert.is(denied.status, 403);
    assert.match(((await denied.json()) as { message: string }).message, 'permissions.external.fetch.client');
    const unknown = await post('fetchRemote', { remoteKey: 'nope', fetchRequestInit: { path: '/x', method: 'GET' } });
    assert.is(unknown.status, 400);
    const invokeRemote = await post('invoke', { invokeType: 'ui-remote-fetch', path: '/x', method: 'GET' });
    assert.is(invokeRemote.status, 400);
    assert.match(((await invokeRemote.json()) as { message: string }).message, 'resolver.endpoint');
  });
});

test('the FIT signing key survives a restart, so earlier tokens still verify', async () => {
  await withHostSite({}, async (site) => {
    let host = site.host;
    const first = (await (await fetch(host.jwksUrl)).json()) as { keys: { kid: string; d?: string }[] };
    assert.is(first.keys.length, 1);
    assert.is(first.keys[0]?.d, undefined, 'only the public half is published');
    host = await site.restart();
    const second = (await (await fetch(host.jwksUrl)).json()) as { keys: { kid: string }[] };
    assert.is(second.keys[0]?.kid, first.keys[0]?.kid);
  });
});

test.run();
