/**
 * Keys this service needs beyond the shared builders in store/keys.ts, built the same
 * way: site-scoped first, free-form parts escaped. Kept here (not in store/) because
 * only the socket and remote layers use them.
 */
import { escapePart, keys, tenantPrefix } from './store/keys.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
function hashPart(label: string, v: string): string {
  if (!SHA256_HEX.test(v)) throw new Error(`${label} must be 64 hex characters`);
  return v;
}

export { keys };

export const serviceKeys = {
  /** E → {status, at}: an agent's chosen status in a project, kept while they work. */
  agentStatus: (installationId: string, projectKey: string, accountId: string) =>
    `${tenantPrefix(installationId)}agent-status:${escapePart('projectKey', projectKey)}:${escapePart('accountId', accountId)}`,
  /** M: customer sockets looking at one conversation (member = socket id, data = {lastSeen}). */
  conversationCustomers: (installationId: string, issueKey: string) =>
    `${tenantPrefix(installationId)}conversation-customers:${escapePart('issueKey', issueKey)}`,
  /** E → ISO time: when a customer last had the conversation open (for "last seen"). */
  conversationLastSeen: (installationId: string, issueKey: string) =>
    `${tenantPrefix(installationId)}conversation-last-seen:${escapePart('issueKey', issueKey)}`,
  /** M: sockets of one visitor token (member = socket id): caps sockets per visitor. */
  visitorSockets: (installationId: string, tokenHash: string) => `${tenantPrefix(installationId)}visitor-sockets:${hashPart('tokenHash', tokenHash)}`,
  /** D → {analytics}: global settings of a site. */
  settings: (installationId: string) => `${tenantPrefix(installationId)}settings`,
  /** E → {installationId, accountId, projects}: an agent socket's HTTP bearer token (hashed). */
  agentHttpToken: (tokenHash: string) => `agent-http:${hashPart('tokenHash', tokenHash)}`,
  /**
   * D → {installationId}: which site a visitor token belongs to, for HTTP calls (uploads) that
   * carry only the Bearer token; like keys.widget it resolves a site before one is known.
   */
  visitorSite: (tokenHash: string) => `visitor-site:${hashPart('tokenHash', tokenHash)}`,
  /**
   * D → conversationId: slot `slot` of an agent's automatic-assignment capacity (issue 15). A
   * slot is taken with setIfAbsent, so two instances can never fill one slot twice: an agent
   * never gets more chats than slots. Ids only, nothing of the conversation.
   */
  assignSlot: (installationId: string, projectKey: string, accountId: string, slot: number) =>
    `${tenantPrefix(installationId)}assign-slot:${escapePart('projectKey', projectKey)}:${escapePart('accountId', accountId)}:${slot}`,
  assignSlots: (installationId: string, projectKey: string, accountId: string) =>
    `${tenantPrefix(installationId)}assign-slot:${escapePart('projectKey', projectKey)}:${escapePart('accountId', accountId)}:`,
  /** D → {projectKey, accountId, slot}: which slot an auto-assigned chat holds, deleted when it closes. */
  assignedTo: (installationId: string, issueKey: string) => `${tenantPrefix(installationId)}assigned-to:${escapePart('issueKey', issueKey)}`,
  /** D → {at}: a chat waiting for a free agent (one key per chat; the prefix lists the queue). */
  assignQueued: (installationId: string, projectKey: string, issueKey: string) =>
    `${tenantPrefix(installationId)}assign-queue:${escapePart('projectKey', projectKey)}:${escapePart('issueKey', issueKey)}`,
  assignQueue: (installationId: string, projectKey: string) => `${tenantPrefix(installationId)}assign-queue:${escapePart('projectKey', projectKey)}:`,
  /** E counter: one instance at a time assigns a given chat (1 = this caller holds it). */
  assignLock: (installationId: string, issueKey: string) => `${tenantPrefix(installationId)}assign-lock:${escapePart('issueKey', issueKey)}`,
  /** E counter: the round-robin turn of a project. */
  assignTurn: (installationId: string, projectKey: string) => `${tenantPrefix(installationId)}assign-turn:${escapePart('projectKey', projectKey)}`,
} as const;

export const serviceChannels = {
  /** C: signals for every customer socket of a project (availability changed). */
  projectCustomers: (installationId: string, projectKey: string) => `${tenantPrefix(installationId)}project-customers:${escapePart('projectKey', projectKey)}`,
} as const;
