/**
 * What this service holds about Jira accounts, per site, for Atlassian's personal data
 * reporting cycle (https://developer.atlassian.com/platform/forge/user-privacy-guidelines/):
 * list the account ids, erase an account reported `closed`, refresh one reported `updated`.
 *
 * Where account ids live (store/keys.ts, service-keys.ts), all under `tenant:<installationId>:`:
 *   D identity:<tokenHash>                       → {accountId, verified, ...} (customers; no name or email)
 *   D project:<P>:agent:<acc>:schedule | :forced-offline                        (agents)
 *   E agent-status:<P>:<acc>, M project:<P>:agents (member = acc)               (agents)
 *   M agent-sockets:<acc>, customer-sockets:<acc>  (members = socket ids)
 *   automatic assignment's slots, records and per-agent capacities (assignment-data.ts)
 * Not site-scoped but short-lived and keyed by a hash (not enumerable): agent tickets
 * (AGENT_TICKET_TTL_MS) and agents' HTTP tokens (2 x reapAfterMs); they expire by themselves
 * within minutes, so erasure does not chase them.
 *
 * Only one site is ever touched: every key read or written is built from `installationId`, so
 * one site's report can never erase or refresh another site's data about the same account.
 */
import { keys, tenantPrefix, unescapePart } from '../store/keys.js';
import { serviceKeys } from '../service-keys.js';
import type { Json, Store } from '../store/ports.js';
import type { PersonalDataAccount } from '../../protocol/personal-data.js';
import { assignmentAccounts, eraseAssignmentAccounts } from './assignment-data.js';

interface IdentityRecord {
  accountId?: string | null;
  /** Only in records written before the service stopped caching them (auth/visitor-token.ts drops them on use). */
  name?: string | null;
  email?: string | null;
  createdAt?: string;
  /** Set when cached details were dropped after an `updated` report. */
  refreshedAt?: string;
}

/** Whether a record still holds a cached profile detail (an older record). */
const hasCachedProfile = (r: IdentityRecord): boolean => r.name != null || r.email != null;

const AGENT_KEY = /^project:([^:]+):agent:([^:]+):(schedule|forced-offline)$/;
const PROJECT_KEY = /^project:([^:]+):/;

export interface ApplyResult {
  erased: number;
  refreshed: number;
}

export class PersonalDataStore {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    /** Tells a project's agents and customers that its agent list changed. */
    private readonly announce: (installationId: string, projectKey: string) => Promise<void>,
  ) {}

  /**
   * Every account id held for the site, with the time its data was last stored or refreshed.
   * For data that is only the id (agents), that is now: an id cannot go stale, only closed.
   * Identity records hold only the id too (no name or email), so they count as now; an older
   * record that still caches a name or email reports when it was cached (refreshedAt or createdAt).
   */
  async accounts(installationId: string): Promise<PersonalDataAccount[]> {
    const nowIso = new Date(this.now()).toISOString();
    const at = new Map<string, string>();
    const note = (accountId: string, updatedAt: string) => {
      const prev = at.get(accountId);
      // The earliest time wins: Atlassian then reports any change since the oldest cached detail.
      if (!prev || Date.parse(updatedAt) < Date.parse(prev)) at.set(accountId, updatedAt);
    };
    for (const { record } of await this.identities(installationId)) {
      if (!record.accountId) continue;
      const when = hasCachedProfile(record) ? (record.refreshedAt ?? record.createdAt) : undefined;
      note(record.accountId, when && !Number.isNaN(Date.parse(when)) ? new Date(when).toISOString() : nowIso);
    }
    const { projects, agents } = await this.projectScan(installationId);
    for (const a of agents) note(a, nowIso);
    for (const p of projects) {
      for (const m of await this.store.ephemeral.members(keys.projectAgents(installationId, p))) note(m.member, nowIso);
    }
    for (const a of await assignmentAccounts(this.store, installationId, projects)) note(a, nowIso);
    return [...at]
      .map(([accountId, updatedAt]) => ({ accountId, updatedAt }))
      .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  }

  /** Erases `closed` accounts and drops cached details of `updated` ones, for this site only. */
  async apply(installationId: string, closed: readonly string[], updated: readonly string[]): Promise<ApplyResult> {
    const closedSet = new Set(closed);
    const updatedSet = new Set(updated.filter((a) => !closedSet.has(a)));
    if (closedSet.size === 0 && updatedSet.size === 0) return { erased: 0, refreshed: 0 };
    const erased = new Set<string>();
    const refreshed = new Set<string>();
    const kv = this.store.kv;
    const e = this.store.ephemeral;

    // Customers: the identity map (and what hangs off each visitor token).
    for (const { key, hash, record } of await this.identities(installationId)) {
      const acc = record.accountId;
      if (!acc) continue;
      if (closedSet.has(acc)) {
        await kv.delete(key);
        const site = await kv.get<{ installationId?: string }>(serviceKeys.visitorSite(hash));
        if (site?.installationId === installationId) await kv.delete(serviceKeys.visitorSite(hash));
        await this.emptySet(serviceKeys.visitorSockets(installationId, hash));
        erased.add(acc);
      } else if (updatedSet.has(acc) && hasCachedProfile(record)) {
        // An older record still caching a name or email: drop them (the service caches no
        // profile any more; Jira and the widget hold names and emails). The id mapping stays.
        const { name: _name, email: _email, ...rest } = record;
        await kv.set(key, { ...rest, refreshedAt: new Date(this.now()).toISOString() } as Json);
        refreshed.add(acc);
      }
      // `updated` with nothing cached: nothing to refresh (not counted); the id mapping stays,
      // because an account id does not change when its profile does.
    }

    // Agents: schedules, forced-offline flags, chosen status and presence in every project.
    if (closedSet.size > 0) {
      const { projects } = await this.projectScan(installationId);
      for (const p of projects) {
        let changed = false;
        for (const acc of closedSet) {
          const k = [keys.agentSchedule(installationId, p, acc), keys.agentForcedOffline(installationId, p, acc)];
          for (const key of k) {
            if ((await kv.get(key)) !== null) {
              await kv.delete(key);
              changed = true;
              erased.add(acc);
            }
          }
          const status = serviceKeys.agentStatus(installationId, p, acc);
          if ((await e.get(status)) !== null) {
            await e.delete(status);
            erased.add(acc);
          }
        }
        const members = await e.members(keys.projectAgents(installationId, p));
        for (const m of members) {
          if (!closedSet.has(m.member)) continue;
          await e.removeMember(keys.projectAgents(installationId, p), m.member);
          changed = true;
          erased.add(m.member);
        }
        if (changed) await this.announce(installationId, p);
      }
      for (const acc of await eraseAssignmentAccounts(this.store, installationId, projects, closedSet)) erased.add(acc);
      for (const acc of closedSet) {
        if (await this.emptySet(keys.agentSockets(installationId, acc))) erased.add(acc);
        if (await this.emptySet(keys.customerSockets(installationId, acc))) erased.add(acc);
      }
    }
    // Agents' ids are all this service keeps about them: an `updated` agent needs nothing.
    return { erased: erased.size, refreshed: refreshed.size };
  }

  private async identities(installationId: string): Promise<{ key: string; hash: string; record: IdentityRecord }[]> {
    const prefix = `${tenantPrefix(installationId)}identity:`;
    const out: { key: string; hash: string; record: IdentityRecord }[] = [];
    for (const key of await this.store.kv.keys(prefix)) {
      const record = await this.store.kv.get(key);
      if (record && typeof record === 'object' && !Array.isArray(record)) out.push({ key, hash: key.slice(prefix.length), record: record as IdentityRecord });
    }
    return out;
  }

  /** The site's project keys (from any durable project key) and agents with durable data. */
  private async projectScan(installationId: string): Promise<{ projects: string[]; agents: string[] }> {
    const prefix = tenantPrefix(installationId);
    const projects = new Set<string>();
    const agents = new Set<string>();
    for (const key of await this.store.kv.keys(`${prefix}project:`)) {
      const rest = key.slice(prefix.length);
      const p = PROJECT_KEY.exec(rest);
      if (p?.[1]) projects.add(p[1]);
      const a = AGENT_KEY.exec(rest);
      if (a?.[2]) agents.add(unescapePart(a[2]));
    }
    return { projects: [...projects].sort(), agents: [...agents] };
  }

  /** Removes every member of a member set; true when it had any. */
  private async emptySet(setKey: string): Promise<boolean> {
    const members = await this.store.ephemeral.members(setKey);
    for (const m of members) await this.store.ephemeral.removeMember(setKey, m.member);
    return members.length > 0;
  }
}
