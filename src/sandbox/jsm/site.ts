/** Everything a route handler needs about the running site. */
import type { EntityIndex } from './entity-index.js';
import type { SearchIndex } from './search-index.js';
import type { Store } from './store.js';

export interface Site {
  readonly store: Store;
  readonly baseUrl: string;
  readonly cloudId: string;
  readonly siteName: string;
  readonly clock: () => Date;
  /** Issue-property paths the installed app declared for JQL (`jira:entityProperty`). */
  readonly entityIndex: EntityIndex;
  /** What /search/jql sees (eventually consistent). */
  readonly searchIndex: SearchIndex;
}

/** Jira's timestamp format: "2021-01-20T15:58:12.797+0000". */
export function jiraTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export function nowOf(site: Site): string {
  return jiraTime(site.clock());
}
