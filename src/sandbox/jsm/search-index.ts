/**
 * The search index behind /rest/api/3/search/jql, which Jira keeps eventually
 * consistent: "after a write operation is performed, subsequent search operations ...
 * may return stale or outdated data instead of the most recent updates for some time".
 * A write becomes searchable `delayMs` after it happened; until then search sees the
 * issue as it was before (a just-created issue not at all). `reconcileIssues` (up to 50
 * issue ids, POST only) asks for the current state of those issues.
 * @see https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile/
 */
import type { IssueRecord } from './types.js';

export const MAX_RECONCILE_ISSUES = 50;

interface Version {
  /** When this state was written (ms since the epoch, real time). */
  at: number;
  json: string;
  issue: IssueRecord;
}

export class SearchIndex {
  private versions = new Map<string, Version[]>();

  constructor(
    readonly delayMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes note of the issues as they are now (after a write). Issues present when the
   * index starts count as indexed long ago.
   */
  observe(issues: readonly IssueRecord[], initial = false): void {
    if (this.delayMs <= 0) return;
    const at = initial ? 0 : this.now();
    for (const issue of issues) {
      const json = JSON.stringify(issue);
      const list = this.versions.get(issue.id) ?? [];
      if (list[list.length - 1]?.json === json) continue;
      list.push({ at, json, issue: JSON.parse(json) as IssueRecord });
      this.versions.set(issue.id, list);
    }
  }

  /**
   * The issues as search sees them now: each at its newest state older than the delay,
   * or missing when it is younger than that; `reconcile` ids at their current state.
   */
  searchable(current: readonly IssueRecord[], reconcile: ReadonlySet<string> = new Set()): IssueRecord[] {
    if (this.delayMs <= 0) return [...current];
    const cutoff = this.now() - this.delayMs;
    const out: IssueRecord[] = [];
    for (const issue of current) {
      if (reconcile.has(issue.id)) {
        out.push(issue);
        continue;
      }
      const list = this.versions.get(issue.id);
      if (!list) {
        out.push(issue);
        continue;
      }
      let seen: Version | undefined;
      for (const v of list) if (v.at <= cutoff) seen = v;
      // Older versions than the one search sees are never needed again.
      if (seen) {
        const i = list.indexOf(seen);
        if (i > 0) list.splice(0, i);
        out.push(seen.issue);
      }
    }
    return out;
  }
}
