/**
 * (Folder named __fixtures__ so the Forge app build leaves it out.)
 * One test world: the JSM stand-in, the fake presence service and the local Forge host
 * running this repository's manifest and src/forge unmodified, linked as on install.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startForgeHost, type ForgeHost } from '../../sandbox/forge-host/index.js';
import { startJsmStandin, type JsmStandin, type JsmStandinOptions } from '../../sandbox/jsm/index.js';
import { signedHeaders } from '../../protocol/signature.js';
import { startFakePresence, type FakePresence } from './fake-presence.js';
import { startLossyJira, type LossyJira } from './lossy-jira.js';

export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface World {
  jsm: JsmStandin;
  host: ForgeHost;
  presence: FakePresence;
  /** With `{ lossyJira: true }`: the proxy between the app and Jira that can lose answers. */
  lossy?: LossyJira;
  people: { ada: string; alice: string; bob: string; carl: string };
  /** POSTs a signed call to the inbound webtrigger. */
  inbound(body: unknown, opts?: { secret?: string; nowMs?: number; raw?: string }): Promise<{ status: number; body: any }>;
  resolve(functionKey: string, payload: unknown, accountId: string, moduleKey?: string): Promise<any>;
  /** Jira REST as a seeded user (basic auth with the sandbox API token) or the app. */
  rest(as: string | 'app', method: string, restPath: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** An issue's comments (oldest first) with their properties, read the documented way (comment/list). */
  comments(as: string | 'app', issueKey: string): Promise<any[]>;
  close(): Promise<void>;
}

/**
 * The strict stand-in by default, as on real Jira: search/jql lags writes (eventual
 * consistency) and every Nth call of the app gets 429 + Retry-After.
 */
export const WORLD_JSM_DEFAULTS = Object.freeze({ searchDelayMs: 1_000, rateLimit: { everyNth: 25, retryAfterSeconds: 1 } });

export async function startWorld(jsmOptions: Partial<JsmStandinOptions> = {}, opts: { lossyJira?: boolean } = {}): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), 'forge-app-'));
  const jsm = await startJsmStandin({ dataDir: path.join(dir, 'jsm'), port: 0, host: '127.0.0.1', ...WORLD_JSM_DEFAULTS, ...jsmOptions });
  const presence = await startFakePresence();
  const lossy = opts.lossyJira ? await startLossyJira(jsm.url) : undefined;
  // The host reaches Jira through the proxy; everything else about the site stays the stand-in's.
  const jira: JsmStandin = lossy ? Object.create(jsm, { url: { value: lossy.url } }) : jsm;
  const host = await startForgeHost({
    appDir: APP_DIR,
    dataDir: path.join(dir, 'forge'),
    jira,
    remotes: { presence: presence.url },
    log: () => {},
    eventRetryBaseMs: 10,
  });
  presence.setJwks(host.jwksUrl, host.appId);
  await host.fireInstalled();
  await host.idle();
  const byName = (n: string) => {
    const u = jsm.users.find((x) => x.displayName === n);
    if (!u) throw new Error(`no seeded user ${n}`);
    return u.accountId;
  };
  const people = { ada: byName('Ada Admin'), alice: byName('Alice Agent'), bob: byName('Bob Agent'), carl: byName('Carl Customer') };
  const inboundUrl = await host.webtriggerUrl('inbound');
  const world: World = {
    jsm,
    host,
    presence,
    ...(lossy ? { lossy } : {}),
    people,
    async inbound(body, opts = {}) {
      const raw = opts.raw ?? JSON.stringify(body);
      const secret = opts.secret ?? presence.secret ?? 'unlinked';
      const res = await fetch(inboundUrl, { method: 'POST', headers: signedHeaders(secret, raw, opts.nowMs), body: raw });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async resolve(functionKey, payload, accountId, moduleKey = 'chat-panel') {
      return host.invokeResolver({ moduleKey, functionKey, payload, accountId, extension: {} });
    },
    async rest(as, method, restPath, body) {
      const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
      if (as === 'app') Object.assign(headers, jsm.hostAuthHeaders({ type: 'app' }));
      else Object.assign(headers, jsm.hostAuthHeaders({ type: 'user', accountId: as }));
      const res = await fetch(`${jsm.url}${restPath}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async comments(as, issueKey) {
      const page = await world.rest(as, 'GET', `/rest/api/3/issue/${issueKey}/comment?maxResults=100`);
      const ids = (page.body.comments as { id: string }[]).map((c) => Number(c.id));
      if (!ids.length) return [];
      const list = await world.rest(as, 'POST', '/rest/api/3/comment/list?expand=properties', { ids });
      return list.body.values;
    },
    async close() {
      await host.close();
      await lossy?.close();
      await jsm.close();
      await presence.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}
