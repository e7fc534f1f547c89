/**
 * Calls to the app's webtrigger (presence service -> Forge): signed JSON POSTs to the
 * URL stored at link time. Errors are mapped to what a client can act on: the app or
 * Jira being away is `unavailable` (retry), a refusal is `invalid`/`forbidden`/`not_found`.
 * Bodies carry message text, so they are never logged.
 *
 * Every customer message is one of these calls, so the path is kept short: one keep-alive
 * agent per process (connections reused, the timeout set once on the agent rather than a
 * timer per call), the link read from LinkStore's memory, the body signed once and the
 * answer validated once (its zod schema) — nothing else re-checks it on the way.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { InboundCall, InboundResponse, WebtriggerError, type InboundCallType, type InboundResponseOf } from '../protocol/webtrigger.js';
import { signedHeaders } from '../protocol/signature.js';
import type { z } from 'zod';
import { ServiceError } from './errors.js';
import type { Logger } from './log.js';
import type { LinkStore } from './links.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * The signed headers plus the id of the work that caused this call (request-id.ts), so the
 * app's logs can be matched to ours. One fresh object per call, which the POST completes
 * with the content length (no copy per step).
 */
function callHeaders(secret: string | KeyObject, raw: string, nowMs: number, requestId: string | undefined): Record<string, string> {
  const headers = signedHeaders(secret, raw, nowMs);
  if (requestId) headers[REQUEST_ID_HEADER] = requestId;
  return headers;
}

export const APP_TIMEOUT_MS = 15_000;
/** Concurrent connections to one webtrigger host; more calls queue on the agent. */
export const APP_MAX_SOCKETS = 256;
/** An answer larger than this is not the app's (history pages are far smaller). */
export const APP_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export type AppCallInput = z.input<typeof InboundCall>;

export interface AppClient {
  /** `requestId`: the work that caused the call (request-id.ts), sent as X-Request-Id and logged with the outcome. */
  call<T extends InboundCallType>(installationId: string, call: Extract<AppCallInput, { type: T }>, requestId?: string): Promise<InboundResponseOf<T>>;
  /** Closes idle keep-alive connections (shutdown). */
  close(): void;
}

interface Answer {
  status: number;
  json: unknown;
}

type Post = (url: string, headers: Record<string, string>, body: string) => Promise<Answer>;

export interface AppClientDeps {
  links: LinkStore;
  /** Test seam: use this fetch instead of the keep-alive agent. */
  fetch?: typeof fetch;
  log: Logger;
  timeoutMs?: number;
  maxSockets?: number;
  clock?: () => number;
  /**
   * Told when each call starts and ends (server.ts: the drain's count and the latency
   * histogram), from inside the call rather than as a wrapper: a wrapper's `then` is one more
   * promise and two closures per customer message.
   */
  track?: CallTracker;
}

export interface CallTracker {
  started(): void;
  finished(call: InboundCallType, ok: boolean, seconds: number): void;
}

/** What every POST to one webtrigger URL shares, worked out once per URL. */
interface Target {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly path: string;
  /** The Host header Node would write for this hostname and port (the URL's host: the port only when not the scheme's default). */
  readonly host: string;
  readonly agent: http.Agent | undefined;
  readonly mod: typeof http | typeof https;
}

/** Timeout handler shared by every request (no closure per call). */
function onTimeout(this: http.ClientRequest): void {
  this.destroy(Object.assign(new Error('app call timed out'), { name: 'TimeoutError' }));
}

/**
 * POST over keep-alive agents; a reused connection the server had just closed is retried once
 * on a new one. The headers go to Node as a list with the Host header in it, written as they
 * are (Node checks each name and value as before), rather than set one by one into a header
 * map first: the same request on the wire, less work per customer message.
 */
function agentPost(timeoutMs: number, maxSockets: number): { post: Post; close: () => void } {
  const opts = { keepAlive: true, timeout: timeoutMs, maxSockets, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(opts), 'https:': new https.Agent(opts) };
  const targets = new Map<string, Target>();
  const target = (url: string): Target => {
    let t = targets.get(url);
    if (!t) {
      if (targets.size >= 1_000) targets.clear();
      const u = new URL(url);
      t = {
        protocol: u.protocol,
        hostname: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        host: u.host,
        agent: agents[u.protocol as 'http:' | 'https:'],
        mod: u.protocol === 'https:' ? https : http,
      };
      targets.set(url, t);
    }
    return t;
  };
  const once = (t: Target, headers: Record<string, string>, body: string, retry: boolean): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const list: string[] = [];
      for (const name in headers) list.push(name, headers[name]!);
      list.push('content-length', String(Buffer.byteLength(body)), 'Host', t.host);
      const req = t.mod.request(
        { protocol: t.protocol, hostname: t.hostname, port: t.port, path: t.path, method: 'POST', agent: t.agent, headers: list },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > APP_MAX_RESPONSE_BYTES) req.destroy(new Error('response too large'));
            else chunks.push(c);
          });
          res.on('end', () => {
            let json: unknown = null;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              // not JSON: treated like an answer without a body
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', onTimeout);
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (retry && req.reusedSocket && err.code === 'ECONNRESET') resolve(once(t, headers, body, false));
        else reject(err);
      });
      req.end(body);
    });
  return {
    post: (url, headers, body) => {
      const t = target(url);
      if (t.protocol !== 'http:' && t.protocol !== 'https:') return Promise.reject(new Error('webtrigger URL is not http(s)'));
      return once(t, headers, body, true);
    },
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function fetchPost(doFetch: typeof fetch, timeoutMs: number): Post {
  return async (url, headers, body) => {
    const res = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
}

export function createAppClient(deps: AppClientDeps): AppClient {
  /** Each link's secret as a KeyObject, made once: from a string, every HMAC would copy the key into a new buffer first. */
  const keys = new Map<string, KeyObject>();
  const keyOf = (secret: string): KeyObject => {
    let k = keys.get(secret);
    if (!k) {
      if (keys.size >= 1_000) keys.clear();
      keys.set(secret, (k = createSecretKey(Buffer.from(secret, 'utf8'))));
    }
    return k;
  };
  const timeoutMs = deps.timeoutMs ?? APP_TIMEOUT_MS;
  const now = deps.clock ?? Date.now;
  const viaAgent = deps.fetch ? null : agentPost(timeoutMs, deps.maxSockets ?? APP_MAX_SOCKETS);
  const post: Post = viaAgent ? viaAgent.post : fetchPost(deps.fetch!, timeoutMs);

  /** The app's answer as the caller's result, or the ServiceError a client can act on. */
  function interpret(installationId: string, type: InboundCallType, { status, json }: Answer, requestId: string | undefined): unknown {
    if (status >= 200 && status < 300) {
      const parsed = (InboundResponse[type] as z.ZodTypeAny).safeParse(json);
      if (parsed.success) return parsed.data;
      deps.log.warn('app.bad_response', { installationId, call: type, requestId });
      throw new ServiceError('unavailable', 'the Jira app answered in an unexpected shape', true);
    }
    const err = WebtriggerError.safeParse(json);
    const code = err.success ? err.data.error.code : null;
    deps.log.info('app.refused', { installationId, call: type, status, code, requestId });
    // The app's reason is ours to show (it names no data: e.g. "this message id belongs to another conversation").
    if (code === 'forbidden' || status === 403)
      throw new ServiceError('forbidden', err.success ? err.data.error.message.slice(0, 200) : 'not allowed for this customer', false);
    if (code === 'not_found' || status === 404) throw new ServiceError('not_found', 'no such conversation', false);
    if (code === 'invalid' || status === 400 || status === 422)
      throw new ServiceError('invalid', err.success ? err.data.error.message : 'the app refused the request', false);
    throw new ServiceError('unavailable', 'Jira or the app is unavailable; try again shortly', true);
  }

  return {
    // One async function per call (link, POST, answer): each layer would be one more promise per customer message.
    async call<T extends InboundCallType>(installationId: string, call: Extract<AppCallInput, { type: T }>, requestId?: string): Promise<InboundResponseOf<T>> {
      const t0 = performance.now();
      deps.track?.started();
      let ok = false;
      try {
        const raw = JSON.stringify(call);
        // The cached link without a promise hop (the usual case); the store only on a miss.
        let link = deps.links.cached(installationId) ?? (await deps.links.get(installationId));
        if (!link) throw new ServiceError('unavailable', 'this site is not linked to the app yet', true);
        const started = now();
        let answer: Answer;
        try {
          answer = await post(link.webtriggerUrl, callHeaders(keyOf(link.secret), raw, started, requestId), raw);
          if (answer.status === 401) {
            // Relinked on another instance since we cached the link: sign again with the new secret.
            const fresh = await deps.links.get(installationId, { fresh: true });
            if (fresh && (fresh.secret !== link.secret || fresh.webtriggerUrl !== link.webtriggerUrl)) {
              link = fresh;
              answer = await post(link.webtriggerUrl, callHeaders(keyOf(link.secret), raw, now(), requestId), raw);
            }
          }
        } catch (err) {
          deps.log.warn('app.unreachable', { installationId, call: call.type, err: (err as Error).name, requestId });
          throw new ServiceError('unavailable', 'the Jira app cannot be reached; try again shortly', true);
        }
        deps.log.debug('app.call', { installationId, call: call.type, status: answer.status, ms: now() - started, requestId });
        const result = interpret(installationId, call.type, answer, requestId) as InboundResponseOf<T>;
        ok = true;
        return result;
      } finally {
        deps.track?.finished(call.type, ok, (performance.now() - t0) / 1000);
      }
    },
    close: () => viaAgent?.close(),
  };
}
