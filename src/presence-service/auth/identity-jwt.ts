/**
 * Verified visitors: the customer's own site signs a short-lived HS256 JWT with the
 * project's identity secret (from the project settings page). docs/deployment.md
 * ("Verified visitors") is the contract, and a test runs its example:
 *   - `email` (required), `name` (optional), `iat` and `exp` (required, NumericDate);
 *   - `iat` no later than now + IDENTITY_JWT_CLOCK_SKEW_SEC (a token "issued" in the future
 *     would otherwise stretch the one-hour promise by however far ahead it claims to be);
 *   - `exp - iat` and `now - iat` at most MAX_IDENTITY_JWT_TTL_SEC, and `exp` after now.
 * @see https://datatracker.ietf.org/doc/html/rfc7519#section-4.1
 */
import { jwtVerify, errors } from 'jose';
import { IDENTITY_JWT_CLOCK_SKEW_SEC, MAX_IDENTITY_JWT_TTL_SEC } from '../../protocol/limits.js';

export interface VerifiedIdentity {
  email: string;
  name: string | null;
}

export type IdentityRejection = 'expired' | 'too_long_lived' | 'issued_in_future' | 'too_old' | 'missing_claim' | 'bad_signature' | 'malformed';
export type IdentityResult = { ok: true; identity: VerifiedIdentity } | { ok: false; reason: IdentityRejection };

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/;
/** The claims docs/deployment.md tells integrators to sign; `name` is optional. */
export const REQUIRED_IDENTITY_CLAIMS = ['email', 'iat', 'exp'] as const;

export async function verifyIdentityJwt(jwt: string, secret: string, nowMs: number): Promise<IdentityResult> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
      requiredClaims: [...REQUIRED_IDENTITY_CLAIMS],
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
    if (err instanceof errors.JWTClaimValidationFailed && err.reason === 'missing') return { ok: false, reason: 'missing_claim' };
    return { ok: false, reason: 'malformed' };
  }
  const { exp, iat, email, name } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number' || exp <= iat) return { ok: false, reason: 'malformed' };
  const now = nowMs / 1000;
  if (iat > now + IDENTITY_JWT_CLOCK_SKEW_SEC) return { ok: false, reason: 'issued_in_future' };
  if (exp - iat > MAX_IDENTITY_JWT_TTL_SEC) return { ok: false, reason: 'too_long_lived' };
  if (now - iat > MAX_IDENTITY_JWT_TTL_SEC) return { ok: false, reason: 'too_old' };
  if (typeof email !== 'string' || !EMAIL_RE.test(email)) return { ok: false, reason: 'malformed' };
  return { ok: true, identity: { email: email.toLowerCase(), name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 255) : null } };
}
