/**
 * The local Forge host: runs the app's unmodified Forge code (manifest.yml + src/) against
 * the JSM stand-in, with kvs, webtriggers, event triggers, Forge Remote (FIT + JWKS), Custom UI
 * frames with a bridge, and Jira-like pages for a person acting as an agent.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CustomUi } from './custom-ui.js';
import { createDispatcher } from './dispatch.js';
import { describeError, ForgeHostError } from './errors.js';
import { eventDelayMs } from './event-delay.js';
import { EventDelivery } from './events.js';
import { openFitSigner } from './fit.js';
import { FrameIds } from './frame-ids.js';
import { HandlerLoader } from './handlers.js';
import { sendJiraError, sendJson } from './http.js';
import { Installation } from './installation.js';
import { KvsStore } from './kvs.js';
import { loadManifest, type UiModuleDef } from './manifest.js';
import { Pages } from './pages.js';
import { AccountDirectory } from './privacy.js';
import { runScheduled, type ScheduledOutcome } from './scheduled.js';
import { runInvocation, type InvocationInfo, type RuntimeIdentity } from './runtime.js';
import { THEME_CSS } from './theme.js';
import type { JsmLike } from './types.js';
import { buildContext, buildExtension } from './ui-context.js';
import { serveWebtrigger } from './webtrigger.js';

export interface ForgeHostOptions {
  /** Folder with manifest.yml and src/ (the repo root). */
  appDir: string;
  jira: JsmLike;
  /** kvs, secrets, the FIT signing key and the "installed" flag persist here. */
  dataDir: string;
  port?: number;
  host?: string;
  /** Remote key -> base URL (the manifest's baseUrl is a placeholder). */
  remotes?: Record<string, string>;
  /** Default: the manifest's app.id (either the ARI or its uuid). */
  appId?: string;
  /** Where host log lines go (default: console.error with a prefix). */
  log?: (line: string) => void;
  /** Backoff base of the platform's retries after a function timeout (default EVENT_RETRY_BASE_MS). */
  eventRetryBaseMs?: number;
  /**
   * How long every product/lifecycle event waits before delivery. Default: the environment
   * variable FORGE_EVENT_DELAY_MS, else EVENT_DELAY_DEFAULT_MS (events are late on Forge too).
   */
  eventDelayMs?: number;
  /** Atlassian account states for personal data reporting (share one between sites). */
  accounts?: AccountDirectory;
}

export interface ForgeHost {
  url: string;
  jwksUrl: string;
  /** The app's uuid; FIT `aud` is `ari:cloud:ecosystem::app/<appId>`. */
  appId: string;
  /** The installation's uuid; FITs carry it as `ari:cloud:ecosystem::installation/<installationId>`. */
  installationId: string;
  cloudId: string;
  webtriggerUrl(moduleKey: string): Promise<string>;
  setRemoteBaseUrl(remoteKey: string, baseUrl: string): void;
  invokeResolver(o: { moduleKey: string; functionKey: string; payload: unknown; accountId: string; extension?: object }): Promise<unknown>;
  fireInstalled(): Promise<void>;
  /** Runs a `scheduledTrigger` module now, as the platform would when it is due. */
  fireScheduledTrigger(moduleKey: string): Promise<ScheduledOutcome>;
  /** Close or update Atlassian accounts; read what the app reported (privacy.ts). */
  accounts: AccountDirectory;
  idle(): Promise<void>;
  close(): Promise<void>;
}

const APP_VERSION = '1.0.0-local';

export async function startForgeHost(opts: ForgeHostOptions): Promise<ForgeHost> {
  const log = opts.log ?? ((line: string) => console.error(`[forge-host] ${line}`));
  const manifest = await loadManifest(opts.appDir);
  const appId = (opts.appId ?? manifest.appId).replace(/^ari:cloud:ecosystem::app\//, '');
  await mkdir(opts.dataDir, { recursive: true });
  const installation = await Installation.open(opts.dataDir);
  const kvs = await KvsStore.open(path.join(opts.dataDir, 'kvs', `${installation.installationId}.json`));
  const fit = await openFitSigner(opts.dataDir);
  const frameIds = await FrameIds.open(opts.dataDir);
  const handlers = new HandlerLoader(manifest.functions);
  const remoteOverrides = new Map<string, string>(Object.entries(opts.remotes ?? {}));
  const { jira } = opts;
  // Deploying and installing the app makes Jira index the properties the manifest declares.
  jira.installApp?.({ entityProperties: [...manifest.entityProperties] });
  const accounts = opts.accounts ?? new AccountDirectory();
  let url = '';

  const identity: RuntimeIdentity = {
    appId,
    environmentId: installation.environmentId,
    installationId: installation.installationId,
    cloudId: jira.cloudId,
    appVersion: APP_VERSION,
    scopes: [...manifest.scopes],
  };
  const installContext = `ari:cloud:jira::site/${jira.cloudId}`;

  const dispatcher = createDispatcher({
    appId,
    appVersion: APP_VERSION,
    jira,
    scopes: manifest.scopes,
    kvs,
    installation,
    fit,
    hostUrl: () => url,
    remoteBaseUrl: (key) => (manifest.remotes.has(key) ? (remoteOverrides.get(key) ?? manifest.remotes.get(key)) : undefined),
    webtriggerKeys: new Set(manifest.webtriggers.keys()),
    accounts,
  });

  async function run(info: InvocationInfo, args: unknown[]): Promise<unknown> {
    const fn = await handlers.get(info.functionKey);
    return runInvocation(dispatcher, identity, info, async () => fn(...args));
  }

  function uiModule(moduleKey: string): UiModuleDef {
    const mod = manifest.uiModules.get(moduleKey);
    if (!mod?.resolverFunction) throw new ForgeHostError('UNKNOWN_MODULE', `no UI module "${moduleKey}" with a resolver in manifest.yml`);
    return mod;
  }

  function runResolver(
    mod: UiModuleDef,
    accountId: string | undefined,
    context: Record<string, unknown>,
    functionKey: string,
    payload: unknown,
  ): Promise<unknown> {
    const fk = uiModule(mod.key).resolverFunction as string;
    const { accountId: _drop, ...ctx } = context;
    return run(
      { functionKey: fk, moduleType: mod.type, moduleKey: mod.key, accountId, extension: context['extension'] as Record<string, unknown> | undefined },
      [
        { call: { functionKey, payload }, context: ctx },
        { principal: accountId ? { accountId } : undefined, installContext },
      ],
    );
  }

  const ids = () => ({ appId, environmentId: installation.environmentId, cloudId: jira.cloudId, siteUrl: jira.url });

  const events = new EventDelivery(
    manifest.triggers,
    // The handler's return value matters: a returned InvocationError asks for a retry.
    (trigger, event) =>
      run({ functionKey: trigger.functionKey, moduleType: 'core:trigger', moduleKey: trigger.key }, [event, { installContext, principal: undefined }]),
    { delayMs: eventDelayMs(opts.eventDelayMs), appAccountId: jira.appAccountId, retryBaseMs: opts.eventRetryBaseMs, log },
  );
  const unsubscribe = jira.onEvent((e) => {
    events.publish(e.eventType, e.payload);
  });

  const ui = new CustomUi({
    manifest,
    jira,
    ids,
    runResolver,
    remoteFromFrame: (remoteKey, path, init, invoker) => dispatcher.remote(remoteKey, path, init, invoker),
    productAsUser: (accountId, restPath, init) =>
      dispatcher.fetch({ type: 'fpp', provider: 'user', remote: 'jira', accountId }, restPath, init, {
        functionKey: 'ui',
        moduleType: 'ui',
        moduleKey: 'ui',
        accountId,
      }),
    frameIds,
    log,
  });
  const pages = new Pages({ jira, manifest });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let u: URL;
    try {
      u = new URL(req.url ?? '/', 'http://host.invalid');
    } catch {
      return sendJiraError(res, 400, 'Malformed request URL.');
    }
    const p = u.pathname;
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;
    if (p.startsWith('/x1/'))
      return serveWebtrigger(req, res, u, {
        cloudId: jira.cloudId,
        log,
        resolve: (id) => {
          const moduleKey = installation.moduleKeyOfWebtriggerId(id);
          const functionKey = moduleKey ? manifest.webtriggers.get(moduleKey) : undefined;
          return moduleKey && functionKey ? { moduleKey, functionKey } : undefined;
        },
        run: (functionKey, moduleKey, request) => run({ functionKey, moduleType: 'webtrigger', moduleKey }, [request, { installContext }]),
      });
    if (method === 'GET' && p === '/.well-known/jwks.json') return sendJson(res, 200, fit.jwks, { 'cache-control': 'max-age=60' });
    if (method === 'GET' && p === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (method === 'GET' && p === '/ui-theme.css') {
      res.writeHead(200, { 'content-type': 'text/css;charset=UTF-8' });
      res.end(THEME_CSS);
      return;
    }
    if (method === 'GET' && (m = /^\/ui\/([A-Za-z0-9_-]+)\/(.*)$/.exec(p))) return ui.servePage(res, u, m[1] as string, m[2] as string);
    if (method === 'GET' && (m = /^\/ui\/([A-Za-z0-9_-]+)$/.exec(p))) {
      res.writeHead(301, { location: `${p}/${u.search}` });
      res.end();
      return;
    }
    if (method === 'POST' && (m = /^\/bridge\/([A-Za-z0-9_-]+)\/([A-Za-z]+)$/.exec(p))) return ui.serveBridge(req, res, m[1] as string, m[2] as string);
    if (method === 'GET' && p === '/') return pages.index(req, res, u);
    if (method === 'GET' && (m = /^\/jira\/browse\/([^/]+)$/.exec(p))) return pages.browse(req, res, u, m[1] as string);
    if (method === 'GET' && (m = /^\/jira\/browse\/([^/]+)\/comments$/.exec(p))) return pages.commentsFragment(res, u, m[1] as string);
    if (method === 'POST' && (m = /^\/jira\/browse\/([^/]+)\/comment$/.exec(p))) return pages.addComment(req, res, u, m[1] as string);
    if (method === 'GET' && (m = /^\/jira\/projects\/([^/]+)\/queue$/.exec(p))) return pages.queue(req, res, u, m[1] as string);
    if (method === 'GET' && (m = /^\/jira\/projects\/([^/]+)\/chats$/.exec(p)))
      return pages.modulePage(req, res, u, 'jira:projectPage', 'Chats', m[1] as string);
    if (method === 'GET' && (m = /^\/jira\/projects\/([^/]+)\/settings\/chat$/.exec(p)))
      return pages.modulePage(req, res, u, 'jira:projectSettingsPage', 'Chat settings', m[1] as string);
    if (method === 'GET' && p === '/jira/admin/chat') return pages.modulePage(req, res, u, 'jira:adminPage', 'Chat administration');
    sendJiraError(res, 404, 'Not found.');
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      log(`request ${req.method} ${req.url?.split('?')[0]} failed: ${describeError(err)}`);
      if (!res.headersSent) sendJson(res, 500, { errorMessages: ['Internal server error'], errors: {} });
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json\r\n\r\n{"errorMessages":["Malformed request."],"errors":{}}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;

  let installing: Promise<void> | undefined;

  return {
    url,
    jwksUrl: `${url}/.well-known/jwks.json`,
    appId,
    installationId: installation.installationId,
    cloudId: jira.cloudId,
    async webtriggerUrl(moduleKey) {
      if (!manifest.webtriggers.has(moduleKey)) throw new ForgeHostError('UNKNOWN_MODULE', `no webtrigger "${moduleKey}" in manifest.yml`);
      return `${url}/x1/${await installation.webtriggerId(moduleKey)}`;
    },
    setRemoteBaseUrl(remoteKey, baseUrl) {
      if (!manifest.remotes.has(remoteKey)) throw new ForgeHostError('UNKNOWN_REMOTE', `no remote "${remoteKey}" in manifest.yml`);
      remoteOverrides.set(remoteKey, baseUrl);
    },
    async invokeResolver(o) {
      const mod = uiModule(o.moduleKey);
      const extension = o.extension
        ? { type: mod.type, ...(o.extension as Record<string, unknown>) }
        : await buildExtension(jira, mod, { accountId: o.accountId });
      return runResolver(mod, o.accountId, buildContext(ids(), mod, o.accountId, extension), o.functionKey, o.payload);
    },
    fireInstalled() {
      installing ??= (async () => {
        if (installation.installedFired) return;
        events.publish('avi:forge:installed:app', {
          id: installation.installationId,
          installerAccountId: jira.users[0]?.accountId ?? jira.appAccountId,
          app: { id: appId, version: APP_VERSION },
          environment: { id: installation.environmentId },
          installationId: installation.installationId,
          context: { cloudId: jira.cloudId },
          contextAri: installContext,
        });
        await installation.markInstalledFired();
      })();
      return installing;
    },
    fireScheduledTrigger(moduleKey) {
      const t = manifest.scheduledTriggers.get(moduleKey);
      if (!t) throw new ForgeHostError('UNKNOWN_MODULE', `no scheduledTrigger "${moduleKey}" in manifest.yml`);
      // No user: principal undefined, and no accountId for the runtime or a FIT.
      return runScheduled({ cloudId: jira.cloudId, moduleKey, log }, (request) =>
        run({ functionKey: t.functionKey, moduleType: 'core:scheduledTrigger', moduleKey }, [request, { installContext, principal: undefined }]),
      );
    },
    accounts,
    idle: () => events.idle(),
    async close() {
      unsubscribe();
      events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([kvs.flush(), installation.flush()]);
    },
  };
}
