/**
 * Forge Invocation Tokens: what Forge sends as `Authorization: Bearer` on Forge Remote calls.
 * One RS256 key per host, generated on first start and kept in dataDir so tokens stay
 * verifiable across restarts; its public half is served as a JWKS.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { JsonFileWriter, readJsonFile } from './json-file.js';
import { FIT_LIFETIME_S } from './limits.js';

export const FIT_ISSUER = 'forge/invocation-token';
const KEY_FILE = 'fit-signing-key.json';

/** Who made the Forge Remote call: a backend function, or a UI module in a user's browser. */
export type FitInvoker =
  { kind: 'backend'; endpointKey: string } | { kind: 'frontend'; moduleType: string; moduleKey: string; accountId: string; context: Record<string, unknown> };

export interface FitInput {
  appId: string;
  appVersion: string;
  installationId: string;
  environmentId: string;
  /** The product's API base URL (on real Forge `https://api.atlassian.com/ex/jira/<cloudId>`; here the stand-in). */
  apiBaseUrl: string;
  cloudId: string;
  invoker: FitInvoker;
}

export interface FitSigner {
  readonly jwks: { keys: JWK[] };
  sign(input: FitInput): Promise<string>;
}

export async function openFitSigner(dataDir: string): Promise<FitSigner> {
  const file = path.join(dataDir, KEY_FILE);
  let jwk = await readJsonFile<JWK>(file);
  if (!jwk) {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
    const toWrite = jwk;
    await new JsonFileWriter(file).write(() => toWrite);
  }
  const kid = jwk.kid ?? 'forge-host';
  const key = await importJWK(jwk, 'RS256');
  const { n, e, kty } = jwk;
  const jwks = Object.freeze({ keys: [Object.freeze({ kty, n, e, kid, alg: 'RS256', use: 'sig' }) as JWK] });

  return {
    jwks,
    async sign(i) {
      const appAri = `ari:cloud:ecosystem::app/${i.appId}`;
      const installationAri = `ari:cloud:ecosystem::installation/${i.installationId}`;
      const inv = i.invoker;
      // Shaped as the claim table of "Forge Remote essentials" documents it: `context` only for
      // frontend invocations ("When invoked from a backend function, no context is currently
      // provided"), `principal` for UI modules only, module type `core:endpoint` otherwise.
      return new SignJWT({
        app: {
          id: appAri,
          version: '1',
          appVersion: i.appVersion,
          installationId: installationAri,
          apiBaseUrl: i.apiBaseUrl,
          environment: { type: 'DEVELOPMENT', id: `ari:cloud:ecosystem::environment/${i.appId}/${i.environmentId}` },
          module: inv.kind === 'backend' ? { type: 'core:endpoint', key: inv.endpointKey } : { type: inv.moduleType, key: inv.moduleKey },
          installation: { id: installationAri, contexts: [{ name: `ari:cloud:jira::site/${i.cloudId}`, apiBaseUrl: i.apiBaseUrl }] },
        },
        ...(inv.kind === 'frontend' ? { context: inv.context, principal: inv.accountId } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(FIT_ISSUER)
        .setAudience(appAri)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(`${FIT_LIFETIME_S}s`)
        .setJti(randomUUID())
        .sign(key);
    },
  };
}
