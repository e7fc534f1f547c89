/**
 * Agent grants: the app's signed statement "account X is an agent of projects P", made by a
 * resolver after Jira confirmed it as that user (mypermissions, as the user). The agent's
 * page hands the grant to the presence service in a frontend Forge Remote call
 * (`requestRemote`), whose Forge Invocation Token names the acting user as `principal`; the
 * service accepts the grant only when its subject is that principal.
 *
 * Why both: a backend call's FIT carries no user at all ("principal: UI modules only"), and
 * a frontend call's FIT says who the user is but not what Jira lets them do. Identity comes
 * from Forge, the project list from the app; neither a page nor a body alone can claim
 * another person's rights. Signed with the installation's link secret (HMAC-SHA256).
 * @see https://developer.atlassian.com/platform/forge/remote/essentials/#the-forge-invocation-token--fit-
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AccountId, ProjectKey } from './ids.js';
import { AGENT_GRANT_TTL_SEC, MAX_GRANT_PROJECTS } from './limits.js';

const VERSION = 'g1';

export const AgentGrantClaims = z.object({
  sub: AccountId,
  projects: z.array(ProjectKey).min(1).max(MAX_GRANT_PROJECTS),
  exp: z.number().int().positive(),
});
export type AgentGrantClaims = z.infer<typeof AgentGrantClaims>;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`agent-grant.${VERSION}.${payload}`).digest('base64url');
}

export function signAgentGrant(secret: string, g: { sub: string; projects: readonly string[] }, nowMs = Date.now()): { grant: string; expiresAt: string } {
  const exp = Math.floor(nowMs / 1000) + AGENT_GRANT_TTL_SEC;
  const payload = Buffer.from(JSON.stringify({ sub: g.sub, projects: [...g.projects], exp })).toString('base64url');
  return { grant: `${VERSION}.${payload}.${mac(secret, payload)}`, expiresAt: new Date(exp * 1000).toISOString() };
}

export type GrantCheck = { ok: true; claims: AgentGrantClaims } | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' };

/** Tries each secret (the current one and, during a relink, the previous). */
export function verifyAgentGrant(secrets: readonly string[], grant: string, nowMs = Date.now()): GrantCheck {
  const parts = grant.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  const [, payload, given] = parts as [string, string, string];
  const givenBuf = Buffer.from(given);
  const signed = secrets.some((s) => {
    const want = Buffer.from(mac(s, payload));
    return want.length === givenBuf.length && timingSafeEqual(want, givenBuf);
  });
  if (!signed) return { ok: false, reason: 'mismatch' };
  let claims: AgentGrantClaims;
  try {
    const parsed = AgentGrantClaims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    claims = parsed.data;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  return claims.exp * 1000 > nowMs ? { ok: true, claims } : { ok: false, reason: 'expired' };
}
