/**
 * What every end-to-end file needs: the build (`npm test` makes it first), the whole
 * system in a temp data dir, headless Chromium, JSM REST as a seeded user, polling with a deadline, screenshots.
 * Each test file owns one System and closes it, so the process exits on its own.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/testing/chromium.js';
import { BUILT, requireBuilt } from '../../../scripts/testing/built.js';
import { REPO_ROOT, startSystem, type System } from '../system.js';

export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
/** Upper bound for anything the UI or the system does asynchronously. */
export const WAIT_MS = 15_000;
const POLL_MS = 100;
export type CustomUi = 'issue-panel' | 'dashboard' | 'project-settings' | 'admin';

export type Agent = System['agents'][number];

export interface E2E {
  system: System;
  browser: Browser;
  dir: string;
  /** A fresh browser context (own cookies and storage) with page errors surfaced on the console. */
  newPage(opts?: { colorScheme?: 'light' | 'dark' }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** Starts everything, on the widget and the Custom UIs this file drives as `npm run build` left them. */
export async function startE2E(
  name: string,
  uis: readonly CustomUi[],
  start: (dataDir: string) => Promise<System> = (dataDir) => startSystem({ dataDir }),
): Promise<E2E> {
  requireBuilt(...BUILT.widget, ...uis.flatMap(BUILT.customUi));
  const dir = await mkdtemp(join(tmpdir(), `e2e-${name}-`));
  let system: System | undefined;
  let browser: Browser | undefined;
  try {
    system = await start(dir);
    browser = await launchChromium();
  } catch (e) {
    console.error(`[e2e ${name}] the system did not start:`, e); // uvu swallows hook errors
    await browser?.close();
    await system?.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const contexts: BrowserContext[] = [];
  const b = browser;
  const s = system;
  return {
    system: s,
    browser: b,
    dir,
    async newPage(opts = {}) {
      const context = await b.newContext({
        viewport: { width: 1280, height: 900 },
        colorScheme: opts.colorScheme ?? 'light',
        locale: 'en-US',
        timezoneId: 'Europe/Berlin',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[e2e ${name} page error] ${e.message}`));
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await b.close().catch(() => undefined);
      await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** JSM REST as a seeded user (basic auth `<email>:sandbox`), as Jira's own clients would call it. */
export async function jira<T = Record<string, unknown>>(
  system: System,
  who: { emailAddress: string },
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const auth = Buffer.from(`${who.emailAddress}:sandbox`).toString('base64');
  const res = await fetch(`${system.jsm.url}${path}`, {
    ...init,
    headers: {
      authorization: `Basic ${auth}`,
      'content-type': 'application/json',
      accept: 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

export interface JiraComment {
  id: string;
  body: unknown;
  jsdPublic?: boolean;
  author?: { accountId?: string; displayName?: string };
}

/** Plain text of an ADF document (text nodes joined; paragraphs by newline). */
export function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: string; text?: string; content?: unknown[]; attrs?: Record<string, unknown> };
  if (n.type === 'text') return n.text ?? '';
  const inner = (n.content ?? []).map(adfText).join(n.type === 'doc' ? '\n' : '');
  return inner;
}

export async function comments(system: System, who: Agent, issueKey: string): Promise<JiraComment[]> {
  const r = await jira<{ comments: JiraComment[] }>(system, who, `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment?orderBy=created&maxResults=100`);
  if (r.status !== 200) throw new Error(`GET comments of ${issueKey}: HTTP ${r.status}`);
  return r.body.comments;
}

/** Poll until ok(value) holds; fails with the last value seen (never a fixed sleep as an assertion). */
export async function eventually<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await get();
      lastError = undefined;
      if (ok(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > until) {
      const seen = lastError
        ? `error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
        : `last value: ${JSON.stringify(last)?.slice(0, 2000)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${seen}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * The key of the newest SUP request reported by `email`, once search shows it (search lags
 * writes on Jira, and on the stand-in, so this polls).
 */
export async function requestReportedBy(system: System, who: Agent, email: string): Promise<string> {
  type Found = { issues: { key: string; fields: { reporter?: { emailAddress?: string } } }[] };
  const jql = encodeURIComponent('project = SUP ORDER BY created DESC');
  const issues = await eventually(
    `a SUP request reported by ${email}`,
    async () => (await jira<Found>(system, who, `/rest/api/3/search/jql?jql=${jql}&fields=reporter`)).body.issues,
    (list) => list.some((i) => i.fields.reporter?.emailAddress === email),
  );
  return issues.find((i) => i.fields.reporter?.emailAddress === email)!.key;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `e2e-${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export const agentUrl = (system: System, path: string, accountId: string): string =>
  `${system.host.url}${path}${path.includes('?') ? '&' : '?'}as=${encodeURIComponent(accountId)}`;

export const alice = (system: System): Agent => {
  const a = system.agents.find((u) => u.emailAddress === 'alice@sandbox.example');
  if (!a) throw new Error(`no seeded agent alice@sandbox.example; agents: ${system.agents.map((u) => u.emailAddress).join(', ')}`);
  return a;
};
