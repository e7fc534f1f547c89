/**
 * Agent tickets: the app asks for one over Forge Remote (FIT-verified, projects checked
 * by the app) and the agent UI presents it as the first frame of /ws/agent. Single use
 * (ephemeral.take) and short-lived; stored under the ticket's SHA-256 only.
 */
import { AGENT_TICKET_TTL_MS } from '../../protocol/limits.js';
import type { EphemeralStore } from '../store/ports.js';
import { keys } from '../store/keys.js';
import { randomToken, sha256Hex } from '../crypto.js';

export const TICKET_BYTES = 32;

export interface TicketGrant {
  installationId: string;
  accountId: string;
  projects: string[];
}

export async function issueTicket(
  ephemeral: EphemeralStore,
  grant: TicketGrant,
  nowMs: number,
  ttlMs = AGENT_TICKET_TTL_MS,
): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = randomToken(TICKET_BYTES);
  await ephemeral.set(keys.agentTicket(sha256Hex(ticket)), { ...grant, projects: [...grant.projects] }, ttlMs);
  return { ticket, expiresAt: new Date(nowMs + ttlMs).toISOString() };
}

export async function redeemTicket(ephemeral: EphemeralStore, ticket: string): Promise<TicketGrant | null> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(ticket)) return null;
  const g = await ephemeral.take<{ installationId: string; accountId: string; projects: string[] }>(keys.agentTicket(sha256Hex(ticket)));
  return g ? { installationId: g.installationId, accountId: g.accountId, projects: g.projects } : null;
}
