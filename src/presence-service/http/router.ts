/**
 * The HTTP side's one router (find-my-way) and its one error boundary. Modules hand it
 * their routes; what they throw is answered here: a ServiceError with its own status and
 * `{ error: { code, message } }`, anything else as 500 `internal` with no detail (the
 * detail goes to the log). A path that is not valid percent-encoding is 400 `bad_url`
 * whatever the route; an unknown path 404; a known path with another method 405 + Allow.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { ServiceError, toServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import { discardBody, sendError } from './body.js';

export type Params = { readonly [name: string]: string | undefined };
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: Params) => Promise<void> | void;

export interface Route {
  method: HTTPMethod | readonly HTTPMethod[];
  /** find-my-way syntax: `/v1/files/:id`, `/widget/*`. Parameters arrive percent-decoded. */
  path: string;
  handler: RouteHandler;
}

/** Ids, names and installation ids are far shorter; a longer segment is no route of ours (404). */
export const MAX_PARAM_CHARS = 1024;

/** The methods any route may use, asked in turn to build a 405's Allow header. */
const METHODS: readonly HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export interface Router {
  add(routes: readonly Route[]): void;
  /** Answers the request; never rejects (the boundary answers every error). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const BAD_URL = Symbol('bad url');

export function createRouter(log: Logger): Router {
  const fmw = FindMyWay({
    maxParamLength: MAX_PARAM_CHARS,
    // find-my-way calls this (through the handle it returns) for a path decodeURI refuses.
    onBadUrl: () => {
      throw new ServiceError('bad_url', 'the path is not valid percent-encoding (UTF-8)');
    },
  });

  /** The route for this method and path; BAD_URL for a malformed path; null for none. */
  function match(method: string, url: string): { route: Route; params: Params } | typeof BAD_URL | null {
    const found = fmw.find(method as HTTPMethod, url);
    if (!found) return null;
    // Our routes carry themselves as the store; the bad-URL handle has none.
    if (found.store === null) return BAD_URL;
    return { route: found.store as Route, params: found.params };
  }

  function allowed(url: string): string[] {
    const out: string[] = [];
    for (const m of METHODS) {
      const r = match(m, url);
      if (r === BAD_URL) throw new ServiceError('bad_url', 'the path is not valid percent-encoding (UTF-8)');
      if (r) out.push(m);
    }
    return out;
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const m = match(req.method ?? 'GET', url);
    if (m === BAD_URL) throw new ServiceError('bad_url', 'the path is not valid percent-encoding (UTF-8)');
    if (m) return m.route.handler(req, res, m.params);
    const allow = allowed(url);
    if (allow.length === 0) throw new ServiceError('not_found', 'no such route');
    res.setHeader('Allow', allow.join(', '));
    throw new ServiceError('method_not_allowed', `use ${allow.join(' or ')}`);
  }

  return {
    add(routes) {
      for (const r of routes) {
        const methods: readonly HTTPMethod[] = typeof r.method === 'string' ? [r.method] : r.method;
        // A method outside METHODS would be routed but missing from 405s' Allow.
        for (const m of methods) if (!METHODS.includes(m)) throw new RangeError(`${m} ${r.path}: add ${m} to the router's METHODS`);
        fmw.on(methods as HTTPMethod[], r.path, () => {}, r);
      }
    },
    async handle(req, res) {
      try {
        await dispatch(req, res);
      } catch (err) {
        // A ServiceError was meant for the client (and logged where it was made, if at all).
        if (!(err instanceof ServiceError)) log.error('http.failed', { path: (req.url ?? '').split('?')[0], err });
        const e = toServiceError(err);
        // A refusal before the body was read: hang up after the answer, reading a bounded
        // rest so the client sees the answer rather than a reset mid-upload.
        const unread = !req.complete;
        sendError(res, e, { ...e.headers, ...(unread ? { Connection: 'close' } : {}) });
        if (unread) discardBody(req);
      }
    },
  };
}
