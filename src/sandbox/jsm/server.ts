/**
 * The HTTP side: authenticate, parse the body, dispatch, render errors in the called
 * API's dialect, and deliver product events only after the response has been written.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_RUNTIME_HEADER, authenticate, hostHeaders } from './auth.js';
import { EntityIndex } from './entity-index.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { SearchIndex } from './search-index.js';
import { avatarSvg } from './avatar.js';
import { JiraError, errorBody, type Dialect } from './errors.js';
import { MAX_BODY_BYTES, MAX_MULTIPART_BYTES } from './limits.js';
import { attachmentRoutes } from './routes/attachments.js';
import { dialectOf, find, type FormPart, type Route, type RouteRequest } from './router.js';
import { commentRoutes } from './routes/comments.js';
import { issueRoutes } from './routes/issues.js';
import { miscRoutes } from './routes/platform-misc.js';
import { propertyRoutes } from './routes/properties.js';
import { searchRoutes } from './routes/search.js';
import { serviceDeskRoutes } from './routes/servicedesk.js';
import { APP_ACCOUNT_ID, seedUsersOf } from './seed.js';
import type { Principal } from './types.js';
import type { Site } from './site.js';
import { Store } from './store.js';
import type { JsmStandin, JsmStandinOptions, ProductEvent } from './types.js';

export const ROUTES: readonly Route[] = [
  ...miscRoutes,
  ...searchRoutes,
  ...propertyRoutes,
  ...commentRoutes,
  ...issueRoutes,
  ...serviceDeskRoutes,
  ...attachmentRoutes,
];

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  cloudId: 'sandbox-0000-0000-0000-000000000001',
  siteName: 'sandbox',
});

function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new JiraError(413, 'TOO_LARGE', `The request body exceeds ${max} bytes.`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** multipart/form-data as browsers and FormData send it (parsed by the platform's own parser). */
async function parseMultipart(bytes: Buffer, contentType: string): Promise<FormPart[]> {
  let data: FormData;
  try {
    data = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new JiraError(400, 'BAD_REQUEST', 'The multipart body could not be read.');
  }
  const parts: FormPart[] = [];
  for (const [name, v] of data.entries()) {
    if (typeof v === 'string') parts.push({ name, type: 'text/plain', bytes: Buffer.from(v) });
    else parts.push({ name, filename: v.name, type: v.type, bytes: Buffer.from(await v.arrayBuffer()) });
  }
  return parts;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

/** Options win over the environment; the environment over the defaults (all off). */
export function optionsFromEnv(opts: JsmStandinOptions): { searchDelayMs: number; rateLimit: RateLimitOptions | undefined; appAdminister: boolean } {
  const every = envNumber('JSM_RATE_LIMIT_EVERY');
  const retry = envNumber('JSM_RATE_LIMIT_RETRY_AFTER_S');
  const admin = process.env.JSM_APP_ADMINISTER;
  return {
    searchDelayMs: opts.searchDelayMs ?? envNumber('JSM_SEARCH_DELAY_MS') ?? 0,
    rateLimit: opts.rateLimit ?? (every ? { everyNth: every, ...(retry !== undefined ? { retryAfterSeconds: retry } : {}) } : undefined),
    appAdminister: opts.appAdminister ?? (admin === undefined || admin === '' ? true : !['0', 'false', 'no'].includes(admin.toLowerCase())),
  };
}

/** Forge asApp() calls spend the App budget, asUser() ones the App + user budget. */
function budgetOf(p: Principal): string {
  return p.type === 'app' ? 'app' : `app+user:${p.user.accountId}`;
}

export async function startJsmStandin(opts: JsmStandinOptions): Promise<JsmStandin> {
  const cloudId = opts.cloudId ?? DEFAULTS.cloudId;
  const store = Store.open(opts.dataDir, cloudId);
  const hostSecret = randomBytes(32).toString('base64url');
  const listeners = new Set<(e: ProductEvent) => void>();
  const settings = optionsFromEnv(opts);
  const searchIndex = new SearchIndex(settings.searchDelayMs);
  searchIndex.observe(store.db.issues, true);
  const limiter = new RateLimiter(settings.rateLimit);
  const setAppAdminister = (on: boolean) => {
    const app = store.user(APP_ACCOUNT_ID);
    if (app && app.siteAdmin !== on) {
      app.siteAdmin = on;
      store.save();
    }
  };
  setAppAdminister(settings.appAdminister);
  const site: { -readonly [K in keyof Site]: Site[K] } = {
    store,
    baseUrl: '',
    cloudId: store.db.cloudId,
    siteName: opts.siteName ?? DEFAULTS.siteName,
    clock: opts.clock ?? (() => new Date()),
    entityIndex: new EntityIndex(),
    searchIndex,
  };

  const deliver = (events: ProductEvent[]) => {
    for (const e of events) {
      for (const l of listeners) {
        try {
          l(e);
        } catch (err) {
          // A failing listener must not stop the others nor the server.
          console.error('[jsm-standin] event listener threw', err);
        }
      }
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    let dialect: Dialect = dialectOf(path);
    const events: ProductEvent[] = [];
    try {
      const method = req.method ?? 'GET';
      if (path === '/secure/viewavatar' && method === 'GET') {
        const id = url.searchParams.get('id') ?? '';
        const name = store.user(id)?.displayName ?? id;
        const svg = avatarSvg(name, id, Number(url.searchParams.get('size')));
        res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' }).end(svg);
        return;
      }
      const principal = authenticate(req.headers, store, hostSecret);
      if (req.headers[APP_RUNTIME_HEADER] === '1') {
        const limited = limiter.check(budgetOf(principal));
        if (limited) {
          req.resume();
          send(res, 429, errorBody(new JiraError(429, 'RATE_LIMITED', 'Rate limit exceeded.'), dialect), limited.headers);
          return;
        }
      }
      const found = find(ROUTES, method, path);
      if (!found) throw new JiraError(404, 'NOT_FOUND', `No resource found for ${method} ${path}.`);
      if ('allowed' in found) throw new JiraError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed here; use ${found.allowed.join(', ')}.`);
      dialect = found.match.route.dialect;
      const multipart = /^multipart\/form-data\b/i.test(String(req.headers['content-type'] ?? ''));
      const bytes = method === 'GET' || method === 'DELETE' ? Buffer.alloc(0) : await readBody(req, multipart ? MAX_MULTIPART_BYTES : MAX_BODY_BYTES);
      const form = multipart ? await parseMultipart(bytes, String(req.headers['content-type'])) : undefined;
      const raw = multipart ? '' : bytes.toString('utf8');
      let body: unknown;
      if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch (err) {
          throw new JiraError(400, 'BAD_JSON', `Unexpected character in the request body: ${(err as Error).message}`);
        }
      }
      const rr: RouteRequest = {
        method,
        path,
        params: found.match.params,
        query: url.searchParams,
        body,
        principal,
        site,
        headers: req.headers,
        ...(form ? { form } : {}),
        emit: (e) => events.push(e),
      };
      const out = found.match.route.handler(rr);
      if (method !== 'GET') searchIndex.observe(store.db.issues);
      if (events.length) res.once('finish', () => setImmediate(deliver, events));
      if (out.raw) {
        res.writeHead(out.status, {
          'content-type': out.raw.type,
          'content-length': out.raw.bytes.length,
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(out.raw.filename)}`,
          'x-content-type-options': 'nosniff',
        });
        res.end(out.raw.bytes);
      } else send(res, out.status, out.body);
    } catch (err) {
      const e = err instanceof JiraError ? err : new JiraError(500, 'INTERNAL', 'Internal server error.');
      if (!(err instanceof JiraError)) console.error('[jsm-standin] unexpected error', err);
      if (!res.headersSent) send(res, e.status, errorBody(e, dialect));
      else res.end();
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULTS.port, opts.host ?? DEFAULTS.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  site.baseUrl = `http://${host}:${addr.port}`;

  return {
    url: site.baseUrl,
    cloudId: store.db.cloudId,
    appAccountId: APP_ACCOUNT_ID,
    users: seedUsersOf(store.db),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    hostAuthHeaders: (p, o) => hostHeaders(hostSecret, p, o),
    installApp(app) {
      site.entityIndex.install(app.entityProperties);
    },
    setAppAdminister,
    stats: () => ({ rateLimited: limiter.rejected }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
