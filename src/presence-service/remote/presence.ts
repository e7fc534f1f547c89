/** Agents' tickets, presence and schedules; customers' presence. */
import { issueTicket } from '../auth/tickets.js';
import { ServiceError } from '../errors.js';
import type { ForgeCaller } from '../auth/fit.js';
import type { RemoteHandlers } from './types.js';

function actingUser(caller: ForgeCaller): string {
  if (!caller.accountId) throw new ServiceError('unauthenticated', 'this call needs an acting user (principal)');
  return caller.accountId;
}

export const presenceHandlers: RemoteHandlers<'agent-ticket' | 'presence.get' | 'presence.set' | 'agent-schedule.get' | 'agent-schedule.put' | 'customer-presence'> = {
  async 'agent-ticket'(ctx, caller, body) {
    const accountId = actingUser(caller);
    const { ticket, expiresAt } = await issueTicket(ctx.store.ephemeral, { cloudId: caller.cloudId, accountId, projects: [...new Set(body.projects)] }, ctx.clock());
    const url = ctx.config.publicUrl.replace(/^http/, 'ws') + '/ws/agent';
    return { ticket, url, expiresAt };
  },
  async 'presence.get'(ctx, caller, body) {
    const agents = await ctx.agents.list(caller.cloudId, body.projectKey);
    const config = await ctx.projects.get(caller.cloudId, body.projectKey);
    const availability = config ? await ctx.availability.forProject(caller.cloudId, config) : { state: 'offline' as const, visible: false, nextOpenAt: null };
    return { agents, availability };
  },
  async 'presence.set'(ctx, caller, body) {
    const accountId = body.accountId ?? actingUser(caller);
    const forced = body.forced && accountId !== caller.accountId;
    return { agent: await ctx.agents.setStatus(caller.cloudId, body.projectKey, accountId, body.status, forced) };
  },
  async 'agent-schedule.get'(ctx, caller, body) {
    return { schedule: await ctx.agents.schedule(caller.cloudId, body.projectKey, body.accountId) };
  },
  async 'agent-schedule.put'(ctx, caller, body) {
    await ctx.agents.putSchedule(caller.cloudId, body.projectKey, body.accountId, body.schedule);
    return { schedule: body.schedule };
  },
  async 'customer-presence'(ctx, caller, body) {
    const presence: Record<string, { online: boolean; lastSeen: string | null }> = {};
    for (const id of new Set(body.conversationIds)) presence[id] = await ctx.customers.get(caller.cloudId, id);
    return { presence };
  },
};
