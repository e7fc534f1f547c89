/**
 * Runs a built Custom UI the way Jira would, without Jira: the build folder served over
 * HTTP, a headless Chromium page, and a fake `window.__bridge` (the object @forge/bridge
 * calls) whose `invoke` answers come from canned resolvers in the test. Requests and
 * answers are both checked against src/protocol/resolvers.ts, so a test with a payload
 * or a canned answer that breaks the contract fails.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/testing/chromium.js';
import type { Test } from 'uvu';
import { BUILT, requireBuilt } from '../../../scripts/testing/built.js';
import { Resolvers, type ResolverName, type ResolverRequest, type ResolverResponse } from '../../../src/protocol/resolvers.js';
import { REMOTE_KEY, REMOTE_PREFIX, RemoteCalls, type RemoteCallName, type RemoteRequest, type RemoteResponse } from '../../../src/protocol/remote.js';
import { startFakeAgentServer, type FakeAgentServer } from './fake-agent-server.js';
import { waitUntil } from './wait.js';

const root = resolve(import.meta.dirname, '../../..');
const SHOTS = join(root, 'test-results', 'screenshots');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

export type Handlers = { [N in ResolverName]?: (payload: ResolverRequest<N>) => ResolverResponse<N> | Promise<ResolverResponse<N>> };

/** Canned answers of the presence service to the page's own requestRemote calls (user-scoped). */
export type RemoteHandlers = { [N in 'agent-ticket' | 'presence.set']?: (body: RemoteRequest<N>) => RemoteResponse<N> | Promise<RemoteResponse<N>> };

export interface BridgeCall {
  name: string;
  args: unknown;
}

export interface UiSession {
  page: Page;
  agent: FakeAgentServer;
  /** Every callBridge call, in order. */
  calls: BridgeCall[];
  /** Bodies of the page's requestRemote calls to the presence service, by call name. */
  remoteCalled(name: string): Record<string, unknown>[];
  /** Payloads of invoke(name) calls. */
  invoked<N extends ResolverName>(name: N): ResolverRequest<N>[];
  waitForInvoke<N extends ResolverName>(name: N, count?: number): Promise<ResolverRequest<N>>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface UiOptions {
  context: Record<string, unknown>;
  handlers: Handlers;
  /** requestRemote answers (defaults: a ticket for the fake agent server; presence.set echoes). */
  remote?: RemoteHandlers;
  theme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Extra page script run before the UI (e.g. stubs for Notification). */
  initScript?: string;
  /** The fake service holds its answers to `watch` from the start (see FakeAgentServer.holdAnswers). */
  holdWatchAnswers?: boolean;
}

/** What Jira's host does for enableTheming: colour-mode attributes on <html> (tokens then follow them). */
const FAKE_BRIDGE = `(() => {
  const theme = __THEME__;
  window.__bridge = {
    callBridge(name, args) {
      if (name === 'enableTheming') {
        document.documentElement.setAttribute('data-color-mode', theme);
        document.documentElement.setAttribute('data-theme', theme + ':' + theme);
      }
      return window.__fakeBridge(name, args);
    },
  };
})();`;

async function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function openUi(browser: Browser, ui: string, opts: UiOptions): Promise<UiSession> {
  // Served from the build `npm test` made first; scripts/build.ts replaces files by rename, so
  // a concurrent `npm start` rebuilding them never serves a half-written one.
  requireBuilt(...BUILT.customUi(ui));
  const { server, origin } = await serve(join(root, 'static', ui, 'build'));
  const agent = await startFakeAgentServer(String(opts.context.accountId ?? 'agent-1'));
  agent.holdAnswers = opts.holdWatchAnswers === true;
  const calls: BridgeCall[] = [];
  const handlers: Handlers = {
    'presence.grant': (p) => ({
      grant: `g1.test-grant-${p.projectKey ?? 'all'}.sig`,
      projects: [p.projectKey ?? 'SUP'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    }),
    ...opts.handlers,
  };
  const remote: RemoteHandlers = {
    'agent-ticket': () => ({ ticket: agent.issueTicket(), url: agent.url, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    'presence.set': (b) => ({
      agent: {
        accountId: String(opts.context.accountId ?? 'agent-1'),
        status: b.status,
        available: b.status === 'online',
        lastSeen: null,
        forcedOffline: false,
      },
    }),
    ...opts.remote,
  };

  const stopServer = () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 420, height: 760 }, colorScheme: opts.theme ?? 'light' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${ui} page error]`, e.message));
  // @forge/bridge requestRemote -> callBridge('fetchRemote', {remoteKey, fetchRequestInit:{path, body, ...}})
  const answerRemote = async (args: unknown) => {
    const { remoteKey, fetchRequestInit } = args as { remoteKey: string; fetchRequestInit: { path: string; body?: string } };
    if (remoteKey !== REMOTE_KEY) throw new Error(`requestRemote to unknown remote ${remoteKey}`);
    const name = fetchRequestInit.path.slice(REMOTE_PREFIX.length + 1) as keyof RemoteHandlers & RemoteCallName;
    const spec = RemoteCalls[name];
    const handler = remote[name] as ((b: unknown) => unknown) | undefined;
    if (!spec || !handler) throw new Error(`no canned remote answer for ${fetchRequestInit.path}`);
    const body = spec.req.safeParse(JSON.parse(fetchRequestInit.body ?? '{}'));
    if (!body.success) throw new Error(`contract: remote ${name} body invalid: ${body.error.message}`);
    const answer = await handler(body.data);
    return { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer), isAttachment: false };
  };
  await page.exposeFunction('__fakeBridge', async (name: string, args: unknown) => {
    calls.push({ name, args });
    if (name === 'getContext') return opts.context;
    if (name === 'invoke') {
      const { functionKey, payload } = args as { functionKey: ResolverName; payload: unknown };
      const spec = Resolvers[functionKey];
      if (!spec) throw new Error(`no resolver ${functionKey}`);
      const req = spec.req.safeParse(payload ?? {});
      if (!req.success) throw new Error(`contract: ${functionKey} payload invalid: ${req.error.message}`);
      const handler = handlers[functionKey] as ((p: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`no canned answer for ${functionKey}`);
      const answer = await handler(payload);
      const res = spec.res.safeParse(answer);
      if (!res.success) throw new Error(`contract: canned ${functionKey} answer invalid: ${res.error.message}`);
      return answer;
    }
    if (name === 'fetchRemote') return answerRemote(args);
    return true; // showFlag, closeFlag, navigate, ...: accepted
  });
  // a string, not a function: tsx would wrap a function in helpers the page does not have
  await page.addInitScript(FAKE_BRIDGE.replace('__THEME__', JSON.stringify(opts.theme ?? 'light')));
  if (opts.initScript) await page.addInitScript(opts.initScript);
  // Every wait is for an event; the bound only matters on a loaded 2-core machine.
  page.setDefaultTimeout(20_000);
  try {
    await page.goto(`${origin}/index.html`);
  } catch (e) {
    await Promise.allSettled([context.close(), agent.close(), stopServer()]);
    throw e;
  }

  const invoked = <N extends ResolverName>(name: N) =>
    calls
      .filter((c) => c.name === 'invoke' && (c.args as { functionKey: string }).functionKey === name)
      .map((c) => (c.args as { payload: ResolverRequest<N> }).payload);

  const remoteCalled = (name: string) =>
    calls
      .filter((c) => c.name === 'fetchRemote' && (c.args as { fetchRequestInit: { path: string } }).fetchRequestInit.path === `${REMOTE_PREFIX}/${name}`)
      .map((c) => JSON.parse((c.args as { fetchRequestInit: { body?: string } }).fetchRequestInit.body ?? '{}') as Record<string, unknown>);

  return {
    page,
    agent,
    calls,
    invoked,
    remoteCalled,
    async waitForInvoke(name, count = 1) {
      await waitUntil(() => invoked(name).length >= count, `invoke ${name} x${count}`);
      return invoked(name)[count - 1]!;
    },
    async screenshot(name) {
      await mkdir(SHOTS, { recursive: true });
      const path = join(SHOTS, `${ui}-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await agent.close();
      await stopServer();
    },
  };
}

/**
 * One browser for a test file, and every session a test opens closed after that test:
 * registers the hooks on `test` and returns `open(ui, opts)`, which is `openUi` on that
 * browser with the session tracked.
 */
export function uiSessions(test: Test): (ui: string, opts: UiOptions) => Promise<UiSession> {
  let browser: Browser | undefined;
  let open: UiSession[] = [];
  test.before(async () => {
    browser = await launchChromium();
  });
  test.after.each(async () => {
    await Promise.all(open.map((s) => s.close()));
    open = [];
  });
  test.after(async () => {
    await browser?.close();
  });
  return async (ui, opts) => {
    if (!browser) throw new Error('uiSessions: open() called outside a test');
    const s = await openUi(browser, ui, opts);
    open.push(s);
    return s;
  };
}
