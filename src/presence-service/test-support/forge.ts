/** A local stand-in for Atlassian's FIT signing: an RSA key, a JWKS server, and signed calls. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export interface LocalForge {
  jwksUrl: string;
  appId: string;
  sign(claims: { cloudId: string; accountId?: string | null; aud?: string; expSec?: number; key?: 'right' | 'wrong'; iss?: string }): Promise<string>;
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
      return new SignJWT({
        app: { id: appId, installationId: 'inst-1', apiBaseUrl: 'https://api.example' },
        context: { cloudId: c.cloudId, ...(c.accountId ? { accountId: c.accountId } : {}) },
        ...(c.accountId ? { principal: c.accountId } : {}),
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
