/**
 * Atlassian's "search and reconcile" pattern: search/jql lags writes (seconds, at times
 * minutes), and `reconcileIssues` (up to 50 issue ids) makes a search answer those issues
 * in their current state. The app notes each chat whose `chat.conversation` it just wrote
 * (a start, a close) for a few minutes, and the dashboard passes them along, so a chat
 * started a moment ago is listed and one closed a moment ago is not.
 * Ids and times only (no text), per project, expiring on their own.
 * @see https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile/
 */
import { kvs, WhereConditions } from '@forge/kvs';

/** "reconcileIssues": at most 50 issue ids per search. */
export const MAX_RECONCILE_ISSUES = 50;
/** Longer than search usually lags; a few minutes covers the slow cases. */
const RECENT_TTL = { value: 10, unit: 'MINUTES' } as const;

const prefix = (projectKey: string) => `recent-chat:${projectKey}:`;

export async function noteRecentChange(projectKey: string, issueId: string): Promise<void> {
  if (!/^\d+$/.test(issueId)) return;
  await kvs.set(`${prefix(projectKey)}${issueId}`, { at: Date.now() }, { ttl: RECENT_TTL });
}

/** The newest noted issue ids of a project (at most MAX_RECONCILE_ISSUES). */
export async function recentChanges(projectKey: string): Promise<number[]> {
  const page = await kvs
    .query()
    .where('key', WhereConditions.beginsWith(prefix(projectKey)))
    .limit(100)
    .getMany<{ at: number }>();
  return page.results
    .sort((a, b) => b.value.at - a.value.at)
    .slice(0, MAX_RECONCILE_ISSUES)
    .map((r) => Number(r.key.slice(prefix(projectKey).length)))
    .filter((n) => Number.isSafeInteger(n));
}
