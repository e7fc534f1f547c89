/**
 * Who an HTTP request speaks for (attachments' authenticate/mayAccess): a visitor by
 * their token, or an agent by their socket's httpToken.
 */
import type { IncomingMessage } from 'node:http';
import { projectKeyOf } from '../../protocol/ids.js';
import type { Ctx } from '../context.js';
import type { Principal } from '../attachments-port.js';
import { ServiceError } from '../errors.js';
import { agentByHttpToken } from '../ws/agent.js';

/** Bearer visitor token or an agent socket's httpToken (attachments' `authenticate`). */
export async function authenticate(ctx: Ctx, req: IncomingMessage): Promise<Principal | null> {
  const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return null;
  const token = m[1];
  const agent = await agentByHttpToken(ctx, token);
  if (agent) return { kind: 'agent', installationId: agent.installationId, accountId: agent.accountId, projects: agent.projects } as AgentPrincipal;
  const v = await ctx.visitors.loadAnySite(token);
  // A visitor becomes a customer (with an accountId) when their first conversation starts.
  return v?.record.accountId ? { kind: 'customer', installationId: v.installationId, accountId: v.record.accountId } : null;
}

/** Agents: conversations of their ticket's projects. Customers: the app says whether it is theirs. */
export async function mayAccess(ctx: Ctx, p: Principal, conversationId: string, requestId?: string): Promise<boolean> {
  if (p.kind === 'agent') return (p as AgentPrincipal).projects?.includes(projectKeyOf(conversationId)) ?? false;
  try {
    await ctx.app.call(p.installationId, { type: 'history', conversationId, customerAccountId: p.accountId, limit: 1 }, requestId);
    return true;
  } catch (err) {
    if (err instanceof ServiceError && (err.code === 'forbidden' || err.code === 'not_found')) return false;
    throw err;
  }
}

/** authenticate() hands agents out with their ticket's projects, so mayAccess needs no second lookup. */
type AgentPrincipal = Principal & { projects?: readonly string[] };
