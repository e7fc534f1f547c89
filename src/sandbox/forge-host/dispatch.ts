/**
 * Serves what the app's Forge code asks the platform for: product calls to the JSM stand-in
 * (as the app or as the invoking user, scope-checked), kvs, the Stargate mutations behind
 * webTrigger, and Forge Remote calls signed with a FIT.
 */
import type { FitInvoker, FitSigner } from './fit.js';
import type { Installation } from './installation.js';
import type { KvsStore } from './kvs.js';
import { REPORT_ACCOUNTS_PATH, type AccountDirectory } from './privacy.js';
import type { FetchTarget, InvocationDispatcher, InvocationInfo } from './runtime.js';
import { checkScope } from './scopes.js';
import type { JsmLike } from './types.js';

export interface DispatchDeps {
  appId: string;
  appVersion: string;
  jira: JsmLike;
  scopes: ReadonlySet<string>;
  kvs: KvsStore;
  installation: Installation;
  fit: FitSigner;
  /** The host's own base URL (webtrigger URLs live there). */
  hostUrl(): string;
  remoteBaseUrl(key: string): string | undefined;
  webtriggerKeys: ReadonlySet<string>;
  /** Atlassian account states behind the Personal data reporting API (privacy.ts). */
  accounts: AccountDirectory;
}

const KVS_SCOPE = 'storage:app';

/** Headers the platform sets itself; an app cannot smuggle its own. */
const STRIPPED_REQUEST_HEADERS = ['authorization', 'host', 'cookie', 'content-length', 'connection'];

function proxyError(status: number, reason: string, message: string): Response {
  return Response.json({ code: status, message }, { status, headers: { 'forge-proxy-error': reason } });
}

function outgoingHeaders(init: RequestInit | undefined, extra: Record<string, string>): Headers {
  const h = new Headers(init?.headers);
  for (const name of STRIPPED_REQUEST_HEADERS) h.delete(name);
  for (const [k, v] of Object.entries(extra)) h.set(k, v);
  return h;
}

export interface HostDispatcher extends InvocationDispatcher {
  /** Forge Remote for a given invoker (the Custom UI bridge's requestRemote / invokeRemote use it). */
  remote(remoteKey: string | undefined, path: string, init: RequestInit | undefined, invoker: FitInvoker): Promise<Response>;
}

export function createDispatcher(d: DispatchDeps): HostDispatcher {
  async function product(target: FetchTarget, path: string, init: RequestInit | undefined, inv: InvocationInfo): Promise<Response> {
    if (!path.startsWith('/')) return proxyError(400, 'PROXY_ERR', 'product path must start with /');
    const method = (init?.method ?? 'GET').toUpperCase();
    const decision = checkScope(d.scopes, method, path);
    // Jira's own answer to a token without the scope: 401/403 JSON, no proxy header.
    if (!decision.ok) return Response.json({ code: 403, message: decision.message }, { status: 403 });
    let principal: Parameters<JsmLike['hostAuthHeaders']>[0] = { type: 'app' };
    if (target.provider === 'user') {
      const accountId = target.accountId ?? inv.accountId;
      if (!accountId) return proxyError(401, 'NEEDS_AUTHENTICATION_ERR', 'asUser() needs a user-initiated invocation');
      principal = { type: 'user', accountId };
    }
    return fetch(new URL(path, d.jira.url), {
      method,
      headers: outgoingHeaders(init, d.jira.hostAuthHeaders(principal, { appRuntime: true })),
      body: method === 'GET' || method === 'HEAD' ? undefined : (init?.body ?? undefined),
      redirect: 'manual',
    });
  }

  async function stargate(path: string, init: RequestInit | undefined): Promise<Response> {
    if (path !== '/graphql') return proxyError(404, 'PROXY_ERR', `Stargate path ${path} is not served by the local Forge host`);
    let body: { query?: unknown; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(String(init?.body ?? ''));
    } catch {
      return Response.json({ errors: [{ message: 'request body must be JSON' }] }, { status: 400 });
    }
    const query = typeof body.query === 'string' ? body.query : '';
    const vars = body.variables ?? {};
    if (query.includes('createWebTriggerUrl')) {
      const key = (vars['input'] as { triggerKey?: unknown } | undefined)?.triggerKey;
      if (typeof key !== 'string' || !d.webtriggerKeys.has(key)) {
        return Response.json({ data: { createWebTriggerUrl: null }, errors: [{ message: `no webtrigger module "${String(key)}" in manifest.yml` }] });
      }
      return Response.json({ data: { createWebTriggerUrl: { url: `${d.hostUrl()}/x1/${await d.installation.webtriggerId(key)}` } } });
    }
    if (query.includes('webTriggerUrlsByAppContext')) {
      const list = d.installation.webtriggerEntries().map(([triggerKey, id]) => ({ triggerKey, url: `${d.hostUrl()}/x1/${id}` }));
      return Response.json({ data: { webTriggerUrlsByAppContext: list } });
    }
    if (query.includes('deleteWebTriggerUrl')) {
      const ok = await d.installation.deleteWebtriggerId(String(vars['id'] ?? ''));
      return Response.json({ data: { deleteWebTriggerUrl: { success: ok, message: ok ? null : 'unknown web trigger URL' } } });
    }
    return Response.json({ errors: [{ message: 'this GraphQL operation is not served by the local Forge host' }] }, { status: 400 });
  }

  /** A Forge Remote request, signed for whoever invoked (backend function or UI module). */
  async function callRemote(remoteKey: string | undefined, path: string, init: RequestInit | undefined, invoker: FitInvoker): Promise<Response> {
    const base = remoteKey ? d.remoteBaseUrl(remoteKey) : undefined;
    if (!base) return proxyError(400, 'INVALID_REMOTE', `Invalid remote key provided: "${remoteKey}"`);
    if (!path.startsWith('/')) return proxyError(400, 'PROXY_ERR', 'remote path must start with /');
    const fit = await d.fit.sign({
      appId: d.appId,
      appVersion: d.appVersion,
      installationId: d.installation.installationId,
      environmentId: d.installation.environmentId,
      apiBaseUrl: d.jira.url,
      cloudId: d.jira.cloudId,
      invoker,
    });
    const method = (init?.method ?? 'GET').toUpperCase();
    return fetch(base.replace(/\/+$/, '') + path, {
      method,
      headers: outgoingHeaders(init, { authorization: `Bearer ${fit}` }),
      body: method === 'GET' || method === 'HEAD' ? undefined : (init?.body ?? undefined),
      redirect: 'manual',
    });
  }

  return {
    remote: callRemote,
    async fetch(target, path, init, inv) {
      if (target.type === 'kvs') {
        // "Using the @forge/kvs package requires the storage:app scope" (docs silent on the
        // error's shape: strict, 403 like a product call without its scope).
        // https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-basic-api/
        if (!d.scopes.has(KVS_SCOPE))
          return Response.json(
            { code: 'SCOPE_MISSING', message: `Forge storage requires scope "${KVS_SCOPE}", which manifest.yml does not declare.` },
            { status: 403 },
          );
        return d.kvs.handle(path, init);
      }
      if (target.type === 'fpp' && target.remote === 'jira') return product(target, path, init, inv);
      // privacy.reportPersonalData: an app-level call (requestAtlassian as the app), see privacy.ts.
      if (target.type === 'fpp' && target.remote === 'stargate' && path.replace(/\/$/, '') === REPORT_ACCOUNTS_PATH) {
        if (target.provider !== 'app') return proxyError(400, 'PROXY_ERR', 'the personal data reporting API is called as the app');
        return d.accounts.handle((init?.method ?? 'GET').toUpperCase(), init, d.scopes);
      }
      if (target.type === 'fpp' && target.remote === 'stargate') return stargate(path, init);
      // invokeRemote from a backend function: whatever started the function (a user's resolver
      // call included), the token is a backend one, with no context and no principal.
      if (target.type === 'frc') return callRemote(target.remote, path, init, { kind: 'backend', endpointKey: target.remote ?? '' });
      return proxyError(400, 'PROXY_ERR', `the local Forge host does not serve ${target.type}${target.remote ? `/${target.remote}` : ''} calls`);
    },
  };
}
