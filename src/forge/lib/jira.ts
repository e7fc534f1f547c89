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
  constructor(
    readonly jiraStatus: number,
    readonly path: string,
    readonly detail: string,
  ) {
    super(codeOf(jiraStatus), `Jira answered ${jiraStatus} for ${path}${detail ? `: ${detail}` : ''}`);
  }
}

/** A rate limit that outlasted our backoff is "busy": the caller (or the presence service) retries later. */
function codeOf(status: number) {
  if (status === 404) return 'not_found' as const;
  if (status === 401 || status === 403) return 'forbidden' as const;
  if (status === 429) return 'busy' as const;
  return 'jira_error' as const;
}

/**
 * How the app backs off when Jira rate-limits it. Jira answers 429 (and some 503s) with
 * `Retry-After` in seconds: "If you reissue the request before the retry period expires,
 * the request will fail and return the same or longer Retry-After period." Without the
 * header, back off exponentially with jitter. The total wait is capped well inside a Forge
 * invocation's 25 s, after which the call fails with a clear error instead.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
export const RATE_LIMIT_BACKOFF = Object.freeze({
  maxAttempts: 4,
  maxTotalWaitMs: 10_000,
  baseDelayMs: 500,
  /** Spread of the random part added to each wait, so parallel invocations do not retry in step. */
  jitterMs: 250,
});

function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function isRetryable(status: number, headers: { get(name: string): string | null }): boolean {
  return status === 429 || (status === 503 && headers.get('retry-after') !== null);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
  /** A ready-made non-JSON body (multipart for attachTemporaryFile); its Content-Type goes in `headers`. */
  raw?: ArrayBuffer;
  headers?: Record<string, string>;
}

/**
 * Every Jira call of the app goes through here: one place honours rate limits.
 * Answers any status but a rate limit; a rate limit that outlasts RATE_LIMIT_BACKOFF
 * throws JiraError 429 (code `busy`).
 */
export async function jiraRaw(as: Actor, path: Route, init: JiraInit = {}): Promise<{ status: number; text: string }> {
  const client = as === 'app' ? api.asApp() : api.asUser();
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  if (init.body !== undefined && !init.raw) headers['Content-Type'] = 'application/json';
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    const res = await client.requestJira(path, { method: init.method ?? 'GET', headers, body });
    const text = await res.text();
    if (!isRetryable(res.status, res.headers)) return { status: res.status, text };
    const asked = retryAfterMs(res.headers.get('retry-after'));
    const delay = (asked ?? RATE_LIMIT_BACKOFF.baseDelayMs * 2 ** (attempt - 1)) + Math.floor(Math.random() * RATE_LIMIT_BACKOFF.jitterMs);
    if (attempt >= RATE_LIMIT_BACKOFF.maxAttempts || waited + delay > RATE_LIMIT_BACKOFF.maxTotalWaitMs) {
      const where = path.value.split('?')[0] ?? '';
      throw new JiraError(
        res.status,
        where,
        `Jira is rate-limiting the app; gave up after ${attempt} attempts and ${Math.round(waited / 1000)} s of waiting${asked !== undefined ? ` (Retry-After ${Math.round(asked / 1000)} s)` : ''}`,
      );
    }
    await sleep(delay);
    waited += delay;
  }
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
