/** Test helpers: a stand-in on a temp folder with a ticking clock, and jira.js clients per user. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, type Test } from 'uvu';
import { startJsmStandin } from './server.js';
import { SEED_API_TOKEN } from './limits.js';
import type { JsmStandin, JsmStandinOptions, ProductEvent } from './types.js';

export const ADA = 'ada@sandbox.example';
export const ALICE = 'alice@sandbox.example';
export const BOB = 'bob@sandbox.example';
export const CARL = 'carl@sandbox.example';

/** A deterministic clock: each reading is one second after the previous one. */
export function tickingClock(startIso = '2026-01-01T00:00:00.000Z'): () => Date {
  let t = Date.parse(startIso);
  return () => new Date((t += 1000));
}

export interface TestSite {
  jsm: JsmStandin;
  dir: string;
  events: ProductEvent[];
  stop(): Promise<void>;
}

/** What this repository's manifest.yml declares (jira:entityProperty), as the Forge host installs it. */
export const CHAT_INDEX = [{ propertyKey: 'chat.conversation', values: [{ path: 'status', type: 'string' as const, searchAlias: 'chatStatus' }] }];

export async function startTestSite(dir = mkdtempSync(join(tmpdir(), 'jsm-standin-')), extra: Partial<JsmStandinOptions> = {}): Promise<TestSite> {
  const jsm = await startJsmStandin({ dataDir: dir, clock: tickingClock(), ...extra });
  const events: ProductEvent[] = [];
  jsm.onEvent((e) => events.push(e));
  return {
    jsm,
    dir,
    events,
    async stop() {
      await jsm.close();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A suite whose tests share one fresh stand-in site (`ctx.site`), stopped and removed after
 * them. Suites add their own `before` for fixtures; it runs after the site is up.
 */
export function siteSuite<Extra extends object = object>(name: string, extra: Partial<JsmStandinOptions> = {}): Test<{ site: TestSite } & Extra> {
  const s = suite<{ site: TestSite } & Extra>(name);
  s.before(async (ctx) => {
    ctx.site = await startTestSite(undefined, extra);
  });
  s.after(async (ctx) => {
    await ctx.site.stop();
    removeDir(ctx.site.dir);
  });
  return s;
}

/** jira.js is ESM-only; the test runner loads TypeScript as CommonJS, so import it dynamically. */
export async function clients(jsm: JsmStandin, email: string) {
  const { createCloudClient, createServiceDeskClient } = await import('jira.js');
  const config = {
    host: jsm.url,
    auth: { type: 'basic' as const, email, apiToken: SEED_API_TOKEN },
    onSchemaMismatch: 'throw' as const,
  };
  return { jira: createCloudClient(config), sd: createServiceDeskClient(config) };
}

export interface RawResponse {
  status: number;
  json: any;
}

/** A plain HTTP call, for status codes and error bodies jira.js would turn into exceptions. */
export async function call(
  jsm: JsmStandin,
  method: string,
  path: string,
  opts: { email?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.email) headers.authorization = `Basic ${Buffer.from(`${opts.email}:${SEED_API_TOKEN}`).toString('base64')}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${jsm.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** Events are delivered after the response; wait (bounded) until n have arrived. */
export async function waitForEvents(site: TestSite, n: number): Promise<ProductEvent[]> {
  for (let i = 0; i < 200 && site.events.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  return site.events;
}

export function adf(text: string) {
  return { type: 'doc' as const, version: 1 as const, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

let customerSeq = 0;

/**
 * Create a customer (as Ada) and a Chat request raised on their behalf in SUP. The default
 * email is digits only, so it can never match a test's name query (a random base-36 one once
 * read "cilsfay79@…" and turned up in a search for "fay").
 */
export async function newRequest(jsm: JsmStandin, summary: string, email = `c${Date.now()}${++customerSeq}@example.com`) {
  const { sd } = await clients(jsm, ADA);
  const customer = await sd.customer.createCustomer({ email, displayName: `Customer ${email}` });
  const request = await sd.request.createCustomerRequest({
    serviceDeskId: '1',
    requestTypeId: '10',
    requestFieldValues: { summary, description: 'Opened from the chat widget' },
    raiseOnBehalfOf: customer.accountId,
  });
  return { customer, request, key: request.issueKey as string, email };
}
