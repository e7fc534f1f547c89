/** A local stand-in for Atlassian's FIT signing: an RSA key, a JWKS server, and signed calls. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export interface LocalForge {
  jwksUrl: string;
  appId: string;
  /**
   * A FIT shaped as "Forge Remote essentials" documents it. Without accountId: a backend
   * token (module `core:endpoint`, no context, no principal). With accountId: a frontend one
   * (a UI module, its context, the user as principal). `claims` overrides top-level claims
   * (e.g. a principal on a backend token).
   */
  sign(o: {
    installationId: string;
    accountId?: string | null;
    aud?: string;
    expSec?: number;
    key?: 'right' | 'wrong';
    iss?: string;
    claims?: Record<string, unknown>;
    app?: Record<string, unknown>;
  }): Promise<string>;
  close(): Promise<void>;
}

export async function localForge(appId = 'app-1111', clock: () => number = Date.now): Promise<LocalForge> {
  const right = await generateKeyPair('RS256');
  const wrong = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(right.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    appId,
    async sign(c) {
      const key: CryptoKey = c.key === 'wrong' ? wrong.privateKey : right.privateKey;
      const now = Math.floor(clock() / 1000);
      const installation = `ari:cloud:ecosystem::installation/${c.installationId}`;
      const frontend = typeof c.accountId === 'string';
      return new SignJWT({
        app: {
          id: `ari:cloud:ecosystem::app/${appId}`,
          version: '1',
          appVersion: '1.0.0',
          installationId: installation,
          apiBaseUrl: 'https://api.atlassian.com/ex/jira/site-cloud-id',
          environment: { type: 'DEVELOPMENT', id: `ari:cloud:ecosystem::environment/${appId}/env-1` },
          module: frontend ? { type: 'jira:issueContext', key: 'chat-panel' } : { type: 'core:endpoint', key: 'presence' },
          installation: {
            id: installation,
            contexts: [{ name: 'ari:cloud:jira::site/site-cloud-id', apiBaseUrl: 'https://api.atlassian.com/ex/jira/site-cloud-id' }],
          },
          ...c.app,
        },
        ...(frontend
          ? {
              context: { cloudId: 'site-cloud-id', moduleKey: 'chat-panel', siteUrl: 'https://site.atlassian.net', extension: { type: 'jira:issueContext' } },
              principal: c.accountId,
            }
          : {}),
        ...c.claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(c.iss ?? 'forge/invocation-token')
        .setAudience(c.aud ?? `ari:cloud:ecosystem::app/${appId}`)
        .setIssuedAt(now - 1)
        .setExpirationTime(now + (c.expSec ?? 25))
        .sign(key);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
