/** Everything a route handler needs about the running site. */
import type { Store } from './store.js';

export interface Site {
  readonly store: Store;
  readonly baseUrl: string;
  readonly cloudId: string;
  readonly siteName: string;
  readonly clock: () => Date;
}

/** Jira's timestamp format: "2021-01-20T15:58:12.797+0000". */
export function jiraTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export function nowOf(site: Site): string {
  return jiraTime(site.clock());
}
