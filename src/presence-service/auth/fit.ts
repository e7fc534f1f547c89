/**
 * Forge Invocation Token (FIT) verification for Forge Remote calls: RS256 against the
 * configured JWKS, iss = forge/invocation-token, aud = ari:cloud:ecosystem::app/<appId>.
 * The site (installationId) and acting user come from the token, never from the body.
 * @see https://developer.atlassian.com/platform/forge/remote/essentials/#the-forge-invocation-token--fit-
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { FIT_BACKEND_MODULE_TYPE, FitClaims, INSTALLATION_ARI_PREFIX } from '../../protocol/remote.js';
import { AccountId, InstallationId } from '../../protocol/ids.js';
import { ServiceError } from '../errors.js';

export const FIT_ISSUER = 'forge/invocation-token';
/** Forge signs tokens that live about 25 s; allow small clock drift. */
export const FIT_CLOCK_TOLERANCE_SEC = 10;

export interface ForgeCaller {
  /**
   * The tenant key: the UUID of `app.installation.id` ("the value that any remote storage
   * should be keyed against"). It changes on a reinstall, so a reinstalled app links anew.
   */
  installationId: string;
  appId: string;
  /** Where the app is installed (`app.installation.contexts`): context ARI and API base URL. */
  contexts: { name: string; apiBaseUrl: string }[];
  /** 'frontend' when a UI module invoked (`app.module.type` is the module's type), else 'backend'. */
  invokedFrom: 'frontend' | 'backend';
  /** The acting user (`principal`), only ever from a frontend invocation; null otherwise. */
  accountId: string | null;
  claims: FitClaims;
}

/** A refused Forge Invocation Token: answered 401 `unauthenticated` like any ServiceError. */
export class FitError extends ServiceError {
  constructor(message: string) {
    super('unauthenticated', message);
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
    if (!claims.success) {
      const issue = claims.error.issues[0];
      throw new FitError(`Forge Invocation Token lacks documented claims (${issue?.path.join('.') || 'token'}: ${issue?.message ?? 'invalid'})`);
    }
    const c = claims.data;
    const installationId = c.app.installation.id.slice(INSTALLATION_ARI_PREFIX.length);
    if (!InstallationId.safeParse(installationId).success) throw new FitError('Forge Invocation Token names an unusable installation id');
    const invokedFrom = c.app.module.type === FIT_BACKEND_MODULE_TYPE ? 'backend' : 'frontend';
    // A principal is documented for UI modules only: a backend token never speaks for a user.
    const accountId = invokedFrom === 'frontend' && c.principal && AccountId.safeParse(c.principal).success ? c.principal : null;
    const contexts = c.app.installation.contexts.map((x) => ({ name: x.name, apiBaseUrl: x.apiBaseUrl }));
    return { installationId, appId: c.app.id, contexts, invokedFrom, accountId, claims: c };
  };
}
