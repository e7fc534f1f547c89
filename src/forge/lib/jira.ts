/**
 * Typed helpers around requestJira. Paths are always built with the `route` tag (the
 * only form requestJira accepts), so every interpolated value is escaped by @forge/api.
 * `as` says whose rights the call uses: 'user' for anything that must respect the
 * caller's own Jira permissions, 'app' for writes the app makes after its own checks.
 */
import api, { type Route } from '@forge/api';
import { AppError } from './errors.js';

export type Actor = 'app' | 'user';

export class JiraError extends AppError {
  constructor(readonly jiraStatus: number, readonly path: string, readonly detail: string) {
    super(jiraStatus === 404 ? 'not_found' : jiraStatus === 403 || jiraStatus === 401 ? 'forbidden' : 'jira_error', `Jira answered ${jiraStatus} for ${path}${detail ? `: ${detail}` : ''}`);
  }
}

/** Jira's error bodies: {errorMessages:[], errors:{}} (platform) or {errorMessage} (servicedeskapi). */
function errorDetail(text: string): string {
  try {
    const j = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string>; errorMessage?: string };
    const parts = [...(j.errorMessages ?? []), ...Object.values(j.errors ?? {}), ...(j.errorMessage ? [j.errorMessage] : [])];
    return parts.join('; ').slice(0, 300);
  } catch {
    return '';
  }
}

export interface JiraInit {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
}

export async function jiraRaw(as: Actor, path: Route, init: JiraInit = {}): Promise<{ status: number; text: string }> {
  const client = as === 'app' ? api.asApp() : api.asUser();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await client.requestJira(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, text: await res.text() };
}

/** JSON body of a 2xx answer (undefined for 204); anything else throws JiraError. */
export async function jira<T = unknown>(as: Actor, path: Route, init: JiraInit = {}): Promise<T> {
  const { status, text } = await jiraRaw(as, path, init);
  if (status < 200 || status >= 300) throw new JiraError(status, path.value.split('?')[0] ?? '', errorDetail(text));
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Like `jira` but a 404 answers undefined (missing issue property, unknown comment). */
export async function jiraOptional<T = unknown>(as: Actor, path: Route, init: JiraInit = {}): Promise<T | undefined> {
  try {
    return await jira<T>(as, path, init);
  } catch (e) {
    if (e instanceof JiraError && e.jiraStatus === 404) return undefined;
    throw e;
  }
}
