/**
 * Admitting a customer socket's `auth` frame: the widget names the project, the Origin
 * must be on its allowlist, the identity JWT is checked per the project's verification
 * mode, and the visitor token is reused or a new one issued (only its HMAC is stored).
 */
import type { ErrorCode } from '../../protocol/customer-ws.js';
import type { CustomerAuth } from '../../protocol/customer-ws.js';
import type { ProjectChatConfig } from '../../protocol/model.js';
import type { z } from 'zod';
import type { Ctx } from '../context.js';
import type { VisitorRecord } from '../auth/visitor-token.js';
import { verifyIdentityJwt, type VerifiedIdentity } from '../auth/identity-jwt.js';
import { originAllowed } from './origin.js';

export interface CustomerSession {
  installationId: string;
  config: ProjectChatConfig;
  tokenHash: string;
  record: VisitorRecord;
  /** What the app binds this visitor's message ids to (VisitorTokens.callerKey): derived at the first message, then kept. */
  callerKey?: string;
  /**
   * Name and email for this socket's lifetime only (memory, never stored): from the site's
   * signed identity, or what the visitor typed into this session's pre-chat form.
   */
  name: string | null;
  email: string | null;
  timeZone: string | undefined;
}

export type Admission = { ok: true; session: CustomerSession; issued?: string } | { ok: false; code: ErrorCode; message: string };

const refuse = (code: ErrorCode, message: string): Admission => ({ ok: false, code, message });

export async function admitCustomer(ctx: Ctx, origin: string | undefined, f: z.infer<typeof CustomerAuth>): Promise<Admission> {
  const ref = await ctx.projects.widget(f.widgetId);
  const config = ref ? await ctx.projects.get(ref.installationId, ref.projectKey) : null;
  if (!ref || !config || !config.enabled) return refuse('not_found', 'unknown or disabled widget');
  if (!originAllowed(origin, config.allowedOrigins)) return refuse('origin_not_allowed', 'this website may not use this widget');
  const { installationId } = ref;
  const verified = await verifyIdentity(ctx, installationId, config, f.jwt);
  if (verified && 'refused' in verified) return refuse('verification_required', verified.refused);

  let tokenHash: string;
  let record: VisitorRecord;
  let issued: string | undefined;
  const existing = f.token ? await ctx.visitors.load(installationId, f.token) : null;
  const subject = verified ? ctx.visitors.subject(verified.email) : undefined;
  // A verified visitor keeps their token only while it belongs to the same person.
  if (existing && (!verified || (existing.record.verified && existing.record.verifiedSubject === subject))) {
    ({ hash: tokenHash, record } = existing);
  } else {
    const t = ctx.visitors.issue(installationId);
    tokenHash = t.hash;
    issued = t.token;
    record = { accountId: null, verified: Boolean(verified), ...(subject ? { verifiedSubject: subject } : {}), createdAt: new Date(ctx.clock()).toISOString() };
    await ctx.visitors.save(installationId, tokenHash, record);
  }

  // Counted per instance in memory (the key is the hash the session keeps anyway): no store entry per socket.
  if (!ctx.visitorSockets.tryAdd(tokenHash, ctx.limits.socketsPerVisitor)) return refuse('rate_limited', 'too many open chat windows');
  return {
    ok: true,
    session: { installationId, config, tokenHash, record, name: verified?.name ?? null, email: verified?.email ?? null, timeZone: f.timeZone },
    ...(issued ? { issued } : {}),
  };
}

/** null = anonymous; an identity = verified; { refused } = required mode said no. */
async function verifyIdentity(
  ctx: Ctx,
  installationId: string,
  config: ProjectChatConfig,
  jwt: string | undefined,
): Promise<VerifiedIdentity | null | { refused: string }> {
  if (config.verification === 'off') return null;
  const required = config.verification === 'required';
  const secret = await ctx.projects.identitySecret(installationId, config.projectKey);
  if (!jwt || !secret) {
    if (!required) return null;
    return { refused: jwt ? 'identity verification is not set up for this project' : 'this chat requires a signed identity (jwt)' };
  }
  const r = await verifyIdentityJwt(jwt, secret, ctx.clock());
  if (r.ok) return r.identity;
  ctx.log.info('customer.identity_rejected', { installationId, projectKey: config.projectKey, reason: r.reason });
  return required ? { refused: `identity token rejected: ${r.reason}` } : null;
}
