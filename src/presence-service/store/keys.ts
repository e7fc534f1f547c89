/**
 * Every key and bus channel the presence service uses, in one place. Site data is always
 * scoped `site:<installationId>:` first, so one installation can never read or overwrite
 * another's, and `kv.keys(tenantPrefix(installationId))` finds all of a site's data (uninstall).
 *
 * D = durable (KeyValueStore, survives restarts), E = ephemeral (EphemeralStore, TTL),
 * M = ephemeral member set (EphemeralStore.touchMember/members), C = bus channel.
 *
 * Parts with a fixed shape (installationId, project key, widget id, hashes) are validated;
 * free-form parts (accountIds, which may contain ':', IPs, socket ids) are escaped, so no
 * part can forge a ':' boundary and reach into a neighbouring key.
 */
import { INSTALLATION_ID_PATTERN, PROJECT_KEY_PATTERN, WIDGET_ID_PATTERN } from '../../protocol/ids.js';

const MAX_PART_LENGTH = 200;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const SLUG = /^[a-z][a-z0-9-]{0,39}$/;

export class KeyPartError extends Error {
  readonly code = 'invalid_key_part';
  constructor(
    readonly part: string,
    reason: string,
  ) {
    super(`invalid ${part} for a store key: ${reason}`);
    this.name = 'KeyPartError';
  }
}

function checked(label: string, value: string, ok: (v: string) => boolean, reason: string): string {
  if (typeof value !== 'string' || !ok(value)) throw new KeyPartError(label, reason);
  return value;
}
// The patterns, not the zod schemas: every customer message builds two channel names.
const tenant = (v: string) => checked('installationId', v, (x) => INSTALLATION_ID_PATTERN.test(x), 'expected [A-Za-z0-9-]{1,64}');
const project = (v: string) => checked('projectKey', v, (x) => PROJECT_KEY_PATTERN.test(x), 'expected a Jira project key');
const widget = (v: string) => checked('widgetId', v, (x) => WIDGET_ID_PATTERN.test(x), 'expected a widget id');
const sha256 = (label: string, v: string) => checked(label, v, (x) => SHA256_HEX.test(x), 'expected 64 lowercase hex characters (a SHA-256)');
const slug = (label: string, v: string) => checked(label, v, (x) => SLUG.test(x), 'expected a lowercase slug');

/** Escapes '%' and ':' reversibly; rejects empty, overlong and control characters. */
export function escapePart(label: string, value: string): string {
  checked(label, value, (x) => x.length > 0 && x.length <= MAX_PART_LENGTH, `expected 1..${MAX_PART_LENGTH} characters`);
  checked(label, value, (x) => !/[\u0000-\u001f\u007f]/.test(x), 'control characters are not allowed');
  return /[%:]/.test(value) ? value.replace(/%/g, '%25').replace(/:/g, '%3A') : value;
}
export function unescapePart(part: string): string {
  return part.replace(/%3A/g, ':').replace(/%25/g, '%');
}

/** Prefix of everything stored for one site; ends with ':' so 'abc' never matches 'abcd'. */
export function tenantPrefix(installationId: string): string {
  return `tenant:${tenant(installationId)}:`;
}
const projectPrefix = (c: string, p: string) => `${tenantPrefix(c)}project:${project(p)}:`;
const account = (a: string) => escapePart('accountId', a);

export const keys = {
  /** D → {installationId, projectKey}: resolves a public widget id before anything site-scoped is known. */
  widget: (widgetId: string) => `widget:${widget(widgetId)}`,
  /** E → {installationId, accountId, ...}: single-use agent ticket, keyed by the ticket's SHA-256 (never the ticket). */
  agentTicket: (ticketSha256: string) => `agent-ticket:${sha256('ticketSha256', ticketSha256)}`,

  /** D: installation link (Forge app ids, webtrigger URL, shared secret). */
  link: (installationId: string) => `${tenantPrefix(installationId)}link`,
  /** D → customer accountId, keyed by the SHA-256 of the visitor's identity token. */
  identity: (installationId: string, tokenSha256: string) => `${tenantPrefix(installationId)}identity:${sha256('tokenSha256', tokenSha256)}`,
  /** D: WhatsApp Business credentials, encrypted at rest by the caller. */
  whatsapp: (installationId: string) => `${tenantPrefix(installationId)}whatsapp`,
  /** E: WhatsApp message ids already handled (webhooks retry; deduplicate). */
  whatsappSeen: (installationId: string, messageId: string) => `${tenantPrefix(installationId)}whatsapp-seen:${escapePart('messageId', messageId)}`,
  /** E counter: per-site rate limit, e.g. ('messages', accountId). */
  rate: (installationId: string, scope: string, subject: string) =>
    `${tenantPrefix(installationId)}rate:${slug('scope', scope)}:${escapePart('subject', subject)}`,
  /** M: open customer sockets of one customer (member = socket id, data = {instanceId, lastSeen}). */
  customerSockets: (installationId: string, accountId: string) => `${tenantPrefix(installationId)}customer-sockets:${account(accountId)}`,
  /** M: open agent sockets of one agent. */
  agentSockets: (installationId: string, accountId: string) => `${tenantPrefix(installationId)}agent-sockets:${account(accountId)}`,

  /** D: ProjectChatConfig. */
  projectConfig: (installationId: string, projectKey: string) => `${projectPrefix(installationId, projectKey)}config`,
  /** D: the project's identity-verification secret (encrypted by the caller; never sent out). */
  identitySecret: (installationId: string, projectKey: string) => `${projectPrefix(installationId, projectKey)}identity-secret`,
  /** D: an agent's own online schedule (Schedule). */
  agentSchedule: (installationId: string, projectKey: string, accountId: string) =>
    `${projectPrefix(installationId, projectKey)}agent:${account(accountId)}:schedule`,
  /** D: true while an admin has forced the agent offline. */
  agentForcedOffline: (installationId: string, projectKey: string, accountId: string) =>
    `${projectPrefix(installationId, projectKey)}agent:${account(accountId)}:forced-offline`,
  /** M: agents online in a project (member = accountId, data = {status, lastSeen}). */
  projectAgents: (installationId: string, projectKey: string) => `${projectPrefix(installationId, projectKey)}agents`,
} as const;

export const channels = {
  /** C: frames for one customer's sockets, on whichever instance holds them. */
  customer: (installationId: string, accountId: string) => `${tenantPrefix(installationId)}customer:${account(accountId)}`,
  /** C: events for every agent watching a project (presence changes, new conversations). */
  projectAgents: (installationId: string, projectKey: string) => `${projectPrefix(installationId, projectKey)}agents`,
  /** C: frames for one conversation's live viewers (agents with the issue open). */
  conversation: (installationId: string, issueKey: string) => `${tenantPrefix(installationId)}conversation:${escapePart('issueKey', issueKey)}`,
} as const;
