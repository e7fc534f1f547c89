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

export interface FitInput {
  appId: string;
  installationId: string;
  environmentId: string;
  apiBaseUrl: string;
  cloudId: string;
  moduleType: string;
  moduleKey: string;
  /** The acting user, only for user-initiated invocations. */
  accountId?: string;
  extension?: Record<string, unknown>;
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
      return new SignJWT({
        app: {
          id: appAri,
          installationId: `ari:cloud:ecosystem::installation/${i.installationId}`,
          apiBaseUrl: i.apiBaseUrl,
          environment: { type: 'DEVELOPMENT', id: `ari:cloud:ecosystem::environment/${i.appId}/${i.environmentId}` },
          module: { type: i.moduleType, key: i.moduleKey },
        },
        context: {
          cloudId: i.cloudId,
          moduleKey: i.moduleKey,
          ...(i.accountId ? { accountId: i.accountId } : {}),
          ...(i.extension ? { extension: i.extension } : {}),
        },
        ...(i.accountId ? { principal: i.accountId } : {}),
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
