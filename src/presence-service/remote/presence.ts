/** Agents' tickets, presence and schedules; customers' presence. */
import { issueTicket } from '../auth/tickets.js';
import { ServiceError } from '../errors.js';
import type { ForgeCaller } from '../auth/fit.js';
import type { RemoteHandlers } from './types.js';
import type { Ctx } from '../context.js';
import { verifyAgentGrant } from '../../protocol/agent-grant.js';

/** The user of a frontend invocation (FIT principal); backend tokens never name one. */
function actingUser(caller: ForgeCaller): string {
  if (caller.invokedFrom !== 'frontend' || !caller.accountId) {
    throw new ServiceError(
      'unauthenticated',
      'this call speaks for a user: make it from an agent page (requestRemote), whose Forge Invocation Token names the user as principal',
    );
  }
  return caller.accountId;
}

/** The projects the app's grant gives the acting user (agent-grant.ts). */
async function grantedProjects(ctx: Ctx, caller: ForgeCaller, grant: string): Promise<{ accountId: string; projects: string[] }> {
  const accountId = actingUser(caller);
  let link = await ctx.links.get(caller.installationId);
  if (!link) throw new ServiceError('forbidden', 'this installation is not linked yet');
  let check = verifyAgentGrant([link.secret], grant, ctx.clock());
  if (!check.ok) {
    // Relinked on another instance: the grant is signed with a secret our cached link predates.
    link = await ctx.links.get(caller.installationId, { fresh: true });
    if (link) check = verifyAgentGrant([link.secret], grant, ctx.clock());
  }
  if (!check.ok) throw new ServiceError('forbidden', `agent grant refused (${check.reason}); ask the app for a fresh one`);
  if (check.claims.sub !== accountId) throw new ServiceError('forbidden', 'agent grant was made for another user');
  return { accountId, projects: [...new Set(check.claims.projects)] };
}

export const presenceHandlers: RemoteHandlers<
  'agent-ticket' | 'presence.get' | 'presence.set' | 'agent-schedule.get' | 'agent-schedule.put' | 'customer-presence'
> = {
  async 'agent-ticket'(ctx, caller, body) {
    const { accountId, projects } = await grantedProjects(ctx, caller, body.grant);
    const { ticket, expiresAt } = await issueTicket(ctx.store.ephemeral, { installationId: caller.installationId, accountId, projects }, ctx.clock());
    const url = ctx.config.publicUrl.replace(/^http/, 'ws') + '/ws/agent';
    return { ticket, url, expiresAt };
  },
  async 'presence.get'(ctx, caller, body) {
    const agents = await ctx.agents.list(caller.installationId, body.projectKey);
    const config = await ctx.projects.get(caller.installationId, body.projectKey);
    const availability = config
      ? await ctx.availability.forProject(caller.installationId, config)
      : { state: 'offline' as const, visible: false, nextOpenAt: null };
    return { agents, availability };
  },
  async 'presence.set'(ctx, caller, body) {
    if (body.accountId !== undefined) {
      // Naming another account is the app's admin action (checked in the resolver), never a page's.
      if (caller.invokedFrom !== 'backend') throw new ServiceError('forbidden', "a page may set only its own user's status");
      return { agent: await ctx.agents.setStatus(caller.installationId, body.projectKey, body.accountId, body.status, body.forced) };
    }
    if (!body.grant) throw new ServiceError('invalid', "grant: the app's agent grant is required to set your own status");
    const { accountId, projects } = await grantedProjects(ctx, caller, body.grant);
    if (!projects.includes(body.projectKey)) throw new ServiceError('forbidden', `you are not an agent of ${body.projectKey}`);
    return { agent: await ctx.agents.setStatus(caller.installationId, body.projectKey, accountId, body.status, false) };
  },
  async 'agent-schedule.get'(ctx, caller, body) {
    return { schedule: await ctx.agents.schedule(caller.installationId, body.projectKey, body.accountId) };
  },
  async 'agent-schedule.put'(ctx, caller, body) {
    await ctx.agents.putSchedule(caller.installationId, body.projectKey, body.accountId, body.schedule);
    return { schedule: body.schedule };
  },
  async 'customer-presence'(ctx, caller, body) {
    const presence: Record<string, { online: boolean; lastSeen: string | null }> = {};
    for (const id of new Set(body.conversationIds)) presence[id] = await ctx.customers.get(caller.installationId, id);
    return { presence };
  },
};
