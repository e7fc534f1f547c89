/**
 * Verified visitors: the customer's own site signs a short-lived HS256 JWT with the
 * project's identity secret (from the project settings page) carrying email and name.
 * @see https://datatracker.ietf.org/doc/html/rfc7519
 */
import { jwtVerify, errors } from 'jose';
import { MAX_IDENTITY_JWT_TTL_SEC } from '../../protocol/limits.js';

export interface VerifiedIdentity {
  email: string;
  name: string | null;
}

export type IdentityResult = { ok: true; identity: VerifiedIdentity } | { ok: false; reason: 'expired' | 'too_long_lived' | 'bad_signature' | 'malformed' };

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

export async function verifyIdentityJwt(jwt: string, secret: string, nowMs: number): Promise<IdentityResult> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
      requiredClaims: ['exp', 'iat'],
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
    return { ok: false, reason: 'malformed' };
  }
  const { exp, iat, email, name } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') return { ok: false, reason: 'malformed' };
  if (exp - iat > MAX_IDENTITY_JWT_TTL_SEC) return { ok: false, reason: 'too_long_lived' };
  if (typeof email !== 'string' || !EMAIL_RE.test(email)) return { ok: false, reason: 'malformed' };
  return { ok: true, identity: { email: email.toLowerCase(), name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 255) : null } };
}
