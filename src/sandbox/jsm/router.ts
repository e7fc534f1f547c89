/**
 * A tiny method + path router. Routes say which API dialect they speak so errors
 * come back in that API's body shape.
 */
import type { Dialect } from './errors.js';
import type { Site } from './site.js';
import type { Principal, ProductEvent } from './types.js';

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body (undefined when there was none). */
  readonly body: unknown;
  /** The request's headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** multipart/form-data parts, when the request was one. */
  readonly form?: readonly FormPart[];
  readonly principal: Principal;
  readonly site: Site;
  /** Queue a product event; it is delivered after the response has been written. */
  emit(event: ProductEvent): void;
}

export interface FormPart {
  name: string;
  filename?: string;
  type: string;
  bytes: Buffer;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  /** Bytes instead of JSON (attachment content). */
  raw?: { bytes: Buffer; type: string; filename: string };
}

export type Handler = (req: RouteRequest) => RouteResponse;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path template, e.g. '/rest/api/3/issue/:issueIdOrKey'. */
  path: string;
  pattern: RegExp;
  keys: string[];
  dialect: Dialect;
  handler: Handler;
}

/** '/rest/api/3/issue/:issueIdOrKey' -> a route matching one path segment per key. */
export function route(method: Route['method'], path: string, handler: Handler, dialect: Dialect = 'platform'): Route {
  const keys: string[] = [];
  const src = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z]+)/g, (_m, k: string) => {
    keys.push(k);
    return '([^/]+)';
  });
  return { method, path, pattern: new RegExp(`^${src}/?$`), keys, dialect, handler };
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export type Lookup = { match: Match } | { allowed: string[] } | null;

export function find(routes: readonly Route[], method: string, path: string): Lookup {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => {
      params[k] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { match: { route: r, params } };
  }
  return allowed.length ? { allowed } : null;
}

export function dialectOf(path: string): Dialect {
  return path.startsWith('/rest/servicedeskapi/') ? 'servicedesk' : 'platform';
}
