/** What the host needs from the JSM stand-in (src/sandbox/jsm), kept structural so tests can fake it. */
export interface JsmUser {
  accountId: string;
  displayName: string;
  emailAddress?: string;
}
export type JsmPrincipal = { type: 'app' } | { type: 'user'; accountId: string };
export interface JsmLike {
  url: string;
  cloudId: string;
  appAccountId: string;
  users: JsmUser[];
  onEvent(listener: (e: { eventType: string; payload: object }) => void): () => void;
  /** `appRuntime`: the app's own product call (Jira rate-limits those). */
  hostAuthHeaders(p: JsmPrincipal, o?: { appRuntime?: boolean }): Record<string, string>;
  /** Installing the app tells Jira what it declares for Jira to act on (entity-property indexes). */
  installApp?(app: { entityProperties: EntityPropertyModule[] }): void;
}

/** A `jira:entityProperty` module: the property paths Jira indexes for JQL. */
export interface EntityPropertyModule {
  propertyKey: string;
  entityType?: 'issue' | 'project' | 'user';
  values: { path: string; type: 'number' | 'string' | 'text' | 'user' | 'date'; searchAlias?: string }[];
}
