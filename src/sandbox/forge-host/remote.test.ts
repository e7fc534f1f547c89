import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FitClaims } from '../../protocol/remote.js';
import { withHostSite } from './fixtures/host-site.js';

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
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

test('invokeRemote sends a FIT that verifies against the served JWKS and carries the Forge claims', async () => {
  const remote = await startRemote();
  try {
    await withHostSite({ cloudId: 'cloud-fit', remotes: { backend: 'http://127.0.0.1:1' } }, async ({ jira, host }) => {
      host.setRemoteBaseUrl('backend', remote.url);
      const r = (await host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'callRemote', payload: { x: 1 }, accountId: 'agent-1', extension: { issue: { key: 'SUP-1' } } })) as { status: number; body: unknown };
      assert.is(r.status, 200);
      assert.equal(r.body, { echoed: true });
      const call = remote.seen[0];
      assert.is(call?.path, '/forge/v1/echo');
      assert.is(call?.body, '{"x":1}');
      const token = call?.auth.replace(/^Bearer /, '') ?? '';
      const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(host.jwksUrl)), {
        issuer: 'forge/invocation-token',
        audience: `ari:cloud:ecosystem::app/${APP_ID}`,
        algorithms: ['RS256'],
      });
      assert.ok(protectedHeader.kid);
      const claims = FitClaims.parse(payload);
      assert.is(host.appId, APP_ID);
      assert.is(claims.app.id, `ari:cloud:ecosystem::app/${APP_ID}`);
      assert.is(claims.app.installationId, `ari:cloud:ecosystem::installation/${host.installationId}`);
      assert.is(claims.app.apiBaseUrl, jira.url);
      assert.is(claims.app.environment?.type, 'DEVELOPMENT');
      assert.equal(claims.app.module, { type: 'jira:issueContext', key: 'test-panel' });
      assert.is(claims.context.cloudId, 'cloud-fit');
      assert.is(claims.context.accountId, 'agent-1');
      assert.is(claims.principal, 'agent-1');
      assert.ok(claims.exp - Math.floor(Date.now() / 1000) <= 25 && claims.exp > Date.now() / 1000);
    });
  } finally {
    await remote.close();
  }
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
