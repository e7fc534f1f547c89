/**
 * The only door from a Custom UI to the app: @forge/bridge. Typed by the resolver
 * contract (src/protocol/resolvers.ts) so a renamed resolver or a changed payload fails
 * at compile time instead of in Jira.
 */
import { invoke, router, showFlag, view } from '@forge/bridge';
import type { ResolverName, ResolverRequest, ResolverResponse } from '../../src/protocol/resolvers.js';

export function call<N extends ResolverName>(name: N, payload: ResolverRequest<N>): Promise<ResolverResponse<N>> {
  return invoke(name, payload as Record<string, unknown>) as Promise<ResolverResponse<N>>;
}

/** The parts of the Forge context our pages read (issue panel, project pages). */
export interface PageContext {
  accountId?: string;
  locale?: string;
  issueKey?: string;
  projectKey?: string;
}

export async function pageContext(): Promise<PageContext> {
  const ctx = (await view.getContext()) as {
    accountId?: string;
    locale?: string;
    extension?: { issue?: { key?: string }; project?: { key?: string } };
  };
  return { accountId: ctx.accountId, locale: ctx.locale, issueKey: ctx.extension?.issue?.key, projectKey: ctx.extension?.project?.key };
}

/** Ask the host for design tokens and the user's colour mode; pages work without them. */
export function enableTheme(): void {
  view.theme.enable().catch(() => undefined);
}

export function openIssue(issueKey: string): Promise<void> {
  return router.open(`/browse/${encodeURIComponent(issueKey)}`);
}

/** Goes to an issue in this tab (after an action whose point is to work on it, e.g. taking a chat). */
export function goToIssue(issueKey: string): Promise<void> {
  return router.navigate(`/browse/${encodeURIComponent(issueKey)}`);
}

/**
 * Opens a URL (a file link) in a new tab. Custom UI iframes are sandboxed without
 * allow-popups, so window.open and target=_blank fail there; router.open asks Jira to open
 * it (after the user confirms an external site; a "no" rejects).
 * https://developer.atlassian.com/platform/forge/custom-ui-bridge/router/
 */
export function openUrl(url: string): Promise<void> {
  return router.open(url);
}

/** A Jira flag where the host supports it; callers show the error inline as well. */
/** 'error' flags stay until dismissed; 'warning' ones go by themselves (for errors also shown inline). */
export function flag(id: string, title: string, type: 'error' | 'warning' | 'success' | 'info' = 'info', description?: string): void {
  try {
    showFlag({ id, title, type, description, isAutoDismiss: type !== 'error' });
  } catch {
    // not every host renders flags: the inline message carries the same information
  }
}

/** Resolver rejections arrive as Error objects with the resolver's message. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  if (typeof e === 'string') return e;
  return 'Something went wrong';
}
