/** Small reads several resolver groups share. */
import { route } from '@forge/api';
import type { AgentStatus } from '../../protocol/model.js';
import { jira } from '../lib/jira.js';
import { avatarOf, type JiraUser } from '../lib/messages.js';
import { remoteOr } from '../lib/remote.js';

export interface Person {
  accountId: string;
  name: string;
  avatarUrl?: string;
}

export function personOf(u: JiraUser, fallbackName = 'Unknown'): Person {
  const avatarUrl = avatarOf(u);
  return { accountId: u.accountId ?? '', name: u.displayName ?? fallbackName, ...(avatarUrl ? { avatarUrl } : {}) };
}

export async function myself(): Promise<Person> {
  return personOf(await jira<JiraUser>('user', route`/rest/api/3/myself`));
}

/** The caller with their chat status in a project (offline when the service cannot say). */
export async function me(projectKey: string, accountId: string): Promise<Person & { status: AgentStatus }> {
  const [person, presence] = await Promise.all([myself(), remoteOr('presence.get', { projectKey }, null)]);
  const status = presence?.agents.find((a) => a.accountId === accountId)?.status ?? 'offline';
  return { ...person, status };
}

const MAX_BULK_USERS = 90;

/** Display names for accountIds (one bulk call); unknown ids keep the id as the name. */
export async function displayNames(accountIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [...new Set(accountIds)].slice(0, MAX_BULK_USERS);
  if (ids.length === 0) return names;
  const params = new URLSearchParams();
  for (const id of ids) params.append('accountId', id);
  params.set('maxResults', String(ids.length));
  try {
    const res = await jira<{ values?: JiraUser[] }>('user', route`/rest/api/3/user/bulk?${params}`);
    for (const u of res.values ?? []) if (u.accountId && u.displayName) names.set(u.accountId, u.displayName);
  } catch {
    // Names are cosmetic: fall back to ids.
  }
  return names;
}

type ServiceDesk = { id: string; projectId: string; projectKey: string; projectName: string };

/** All service desks the app can see (servicedeskapi pages by 50). */
export async function serviceDesks(): Promise<ServiceDesk[]> {
  const out: ServiceDesk[] = [];
  for (let start = 0, i = 0; i < 20; i++) {
    const page = await jira<{ values: ServiceDesk[]; isLastPage?: boolean; size?: number }>(
      'app',
      route`/rest/servicedeskapi/servicedesk?start=${start}&limit=${50}`,
    );
    out.push(...page.values.map((d) => ({ ...d, id: String(d.id), projectId: String(d.projectId) })));
    if (page.isLastPage !== false || page.values.length === 0) break;
    start += page.values.length;
  }
  return out;
}

export async function serviceDeskOf(projectKey: string): Promise<ServiceDesk | undefined> {
  return (await serviceDesks()).find((d) => d.projectKey === projectKey);
}
