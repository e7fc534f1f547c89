/** What the host needs from the JSM stand-in (src/sandbox/jsm), kept structural so tests can fake it. */
export interface JsmUser { accountId: string; displayName: string; emailAddress?: string }
export type JsmPrincipal = { type: 'app' } | { type: 'user'; accountId: string };
export interface JsmLike {
  url: string;
  cloudId: string;
  appAccountId: string;
  users: JsmUser[];
  onEvent(listener: (e: { eventType: string; payload: object }) => void): () => void;
  hostAuthHeaders(p: JsmPrincipal): Record<string, string>;
}
