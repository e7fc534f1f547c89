/**
 * Forge Invocation Token (FIT) verification for Forge Remote calls: RS256 against the
 * configured JWKS, iss = forge/invocation-token, aud = ari:cloud:ecosystem::app/<appId>.
 * The site (cloudId) and acting user come from the token, never from the body.
 * @see https://developer.atlassian.com/platform/forge/remote/essentials/#the-forge-invocation-token--fit-
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { FitClaims } from '../../protocol/remote.js';
import { CloudId } from '../../protocol/ids.js';

export const FIT_ISSUER = 'forge/invocation-token';
/** Forge signs tokens that live about 25 s; allow small clock drift. */
export const FIT_CLOCK_TOLERANCE_SEC = 10;

export interface ForgeCaller {
  cloudId: string;
  /** The acting user (principal), null for app-initiated calls (triggers). */
  accountId: string | null;
  appId: string;
  claims: FitClaims;
}

export class FitError extends Error {
  readonly code = 'unauthenticated';
  constructor(message: string) {
    super(message);
    this.name = 'FitError';
  }
}

export type FitVerifier = (authorization: string | undefined) => Promise<ForgeCaller>;

export function appAudience(appId: string): string {
  return `ari:cloud:ecosystem::app/${appId}`;
}

export function createFitVerifier(opts: { jwksUrl: string; appIds: readonly string[]; clock?: () => number }): FitVerifier {
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl));
  const audience = opts.appIds.map(appAudience);
  const now = opts.clock ?? Date.now;
  return async (authorization) => {
    const m = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    if (!m?.[1]) throw new FitError('missing Forge Invocation Token');
    if (audience.length === 0) throw new FitError('no Forge app id is configured (FORGE_APP_IDS)');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(m[1], jwks, {
        algorithms: ['RS256'],
        issuer: FIT_ISSUER,
        audience,
        currentDate: new Date(now()),
        clockTolerance: FIT_CLOCK_TOLERANCE_SEC,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw new FitError(`invalid Forge Invocation Token (${(err as { code?: string }).code ?? 'unverifiable'})`);
    }
    const claims = FitClaims.safeParse(payload);
    if (!claims.success || !CloudId.safeParse(claims.data.context.cloudId).success) throw new FitError('Forge Invocation Token lacks app or context claims');
    const c = claims.data;
    return { cloudId: c.context.cloudId, accountId: c.principal ?? c.context.accountId ?? null, appId: c.app.id, claims: c };
  };
}
