/**
 * The whole product on one machine: JSM stand-in, local Forge host running the
 * unmodified app, presence service (embedded storage) and the demo website.
 * Used by `npm start` and by the end-to-end tests; nothing else imports the sandbox.
 */
import { seedChatHistory } from './chat-history.js';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startJsmStandin, type JsmStandin, type JsmStandinOptions } from './jsm/index.js';
import { startForgeHost, type ForgeHost } from './forge-host/index.js';
import { startDemoSite, type DemoSite } from './demo-site.js';
import { parseConfig, type Config } from '../presence-service/config.js';
import { createPresenceService, type PresenceService } from '../presence-service/server.js';
import type { ResolverResponse } from '../protocol/resolvers.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const DEMO_PROJECT = 'SUP';

/**
 * The JSM stand-in is as strict as Jira Cloud unless told otherwise: search lags writes
 * and every Nth app call gets 429 + Retry-After. The JSM_* environment variables (see
 * src/sandbox/jsm/README.md) override these; `jsm` options override both.
 */
export const STRICT_JSM: Readonly<Partial<JsmStandinOptions>> = Object.freeze({
  ...(process.env.JSM_SEARCH_DELAY_MS ? {} : { searchDelayMs: 1_500 }),
  ...(process.env.JSM_RATE_LIMIT_EVERY ? {} : { rateLimit: { everyNth: 20, retryAfterSeconds: 1 } }),
});

/**
 * Presence-service settings `npm start` takes from its own environment, so a newcomer can
 * try Redis (one server or a cluster) and S3 without writing code. The values are not
 * read here: parseConfig (presence-service/config.ts) validates them, once.
 */
export const PRESENCE_SETTINGS = [
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'REDIS_KEY_PREFIX',
  'BLOB_STORE',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_STREAM_CHECKSUMS',
] as const;

export function presenceSettingsFrom(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PRESENCE_SETTINGS) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') out[name] = v;
  }
  return out;
}

/** One line for the banner: where the presence service keeps state and files (no URLs: they may hold passwords). */
export function describeBackends(config: Config): string {
  const store = config.redisClusterNodes.length
    ? `Redis Cluster (${config.redisClusterNodes.length} seed node${config.redisClusterNodes.length === 1 ? '' : 's'})`
    : config.redisUrl
      ? 'Redis'
      : 'embedded (DATA_DIR)';
  const files = config.blobStore === 's3' ? `S3 bucket ${config.s3.bucket}` : 'disk (DATA_DIR)';
  return `store: ${store}; files: ${files}`;
}

export interface SystemOptions {
  /** Write a few weeks of sample chat history into the demo project (npm start), once per data folder. */
  seedChatHistory?: boolean;
  /** Stand-in options over STRICT_JSM. */
  jsm?: Partial<JsmStandinOptions>;
  dataDir: string;
  /** Fixed ports for `npm start`; 0 (default) picks free ones (tests). */
  ports?: { jira?: number; forge?: number; presence?: number; demo?: number };
  cloudId?: string;
  /** Extra presence-service environment (e.g. REDIS_URL). */
  presenceEnv?: Record<string, string>;
  /**
   * Starts the presence service from its environment (default: one in this process).
   * `npm run cluster` (topology.ts) starts N processes behind HAProxy instead.
   */
  startPresence?: (env: Record<string, string>) => Promise<PresenceService>;
  log?: (line: string) => void;
}

export interface System {
  jsm: JsmStandin;
  host: ForgeHost;
  presence: PresenceService;
  demo: DemoSite;
  widgetId: string;
  adminId: string;
  agents: { accountId: string; displayName: string; emailAddress: string }[];
  urls: Record<string, string>;
  /** The presence service's parsed configuration (which store, which blob store). */
  presenceConfig: Config;
  /** Stops the presence service and starts it again on the same port and data (a restart or deploy); `whileDown` runs in between. */
  restartPresence(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops the local Forge host and starts it again on the same port and data; `whileDown` runs in between. */
  restartHost(whileDown?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startSystem(opts: SystemOptions): Promise<System> {
  const log = opts.log ?? (() => undefined);
  await mkdir(opts.dataDir, { recursive: true });
  const jsm = await startJsmStandin({ dataDir: join(opts.dataDir, 'jsm'), port: opts.ports?.jira ?? 0, cloudId: opts.cloudId, ...STRICT_JSM, ...opts.jsm });
  const bootHost = (port: number) => startForgeHost({ appDir: REPO_ROOT, jira: jsm, dataDir: join(opts.dataDir, 'forge'), port, log });
  let host = await bootHost(opts.ports?.forge ?? 0);
  const presenceEnv = {
    PORT: String(opts.ports?.presence ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: join(opts.dataDir, 'presence'),
    FORGE_JWKS_URL: host.jwksUrl,
    FORGE_APP_IDS: host.appId,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...opts.presenceEnv,
  };
  const presenceConfig = parseConfig(presenceEnv);
  const startPresence = opts.startPresence ?? ((env: Record<string, string>) => createPresenceService(parseConfig(env)));
  let presence = await startPresence(presenceEnv);
  const demo = await startDemoSite({ root: join(REPO_ROOT, 'static/widget/build/demo'), port: opts.ports?.demo ?? 0 });
  host.setRemoteBaseUrl('presence', presence.url);
  await host.fireInstalled();
  await host.idle();

  const admin = jsm.users.find((u) => u.siteAdmin);
  if (!admin) throw new Error('the JSM stand-in has no site admin seeded');
  const widgetId = await ensureDemoProjectConfig(host, admin.accountId, demo.origin);
  const agents = jsm.users.filter((u) => u.agentOf.includes(DEMO_PROJECT) && !u.siteAdmin);
  if (opts.seedChatHistory) {
    const written = await seedChatHistory(jsm, opts.dataDir, {
      projectKey: DEMO_PROJECT,
      serviceDeskId: '1',
      requestTypeId: '10',
      agents: [...agents, admin].map((a) => a.accountId),
    });
    if (written) log(`wrote ${written} sample chats of the last weeks (chat reports)`);
  }
  const as = (id: string) => `as=${encodeURIComponent(id)}`;
  const agent = agents[0] ?? admin;
  const agentQueue = `${host.url}/jira/projects/${DEMO_PROJECT}/queue?${as(agent.accountId)}`;
  const urls = {
    // `agent`: the demo page says the chat is "Away" until an agent has a Jira page open, and links one (issue 11).
    'Demo website (customer)': `${demo.url}?widgetId=${widgetId}&presence=${encodeURIComponent(presence.url)}&agent=${encodeURIComponent(agentQueue)}`,
    'Jira: queue (agent)': agentQueue,
    // Its "Reports" tab shows the chat reports (with the sample history seeded above).
    'Jira: chat dashboard (agent)': `${host.url}/jira/projects/${DEMO_PROJECT}/chats?${as(agent.accountId)}`,
    'Jira: project settings (admin)': `${host.url}/jira/projects/${DEMO_PROJECT}/settings/chat?${as(admin.accountId)}`,
    'Jira: app admin page (admin)': `${host.url}/jira/admin/chat?${as(admin.accountId)}`,
    'Sandbox index (pick who you are)': `${host.url}/`,
    'JSM REST API (basic auth: <email>:sandbox)': `${jsm.url}/rest/api/3/serverInfo`,
    'Presence service': presence.url,
  };
  const portOf = (url: string) => String(new URL(url).port);
  return {
    jsm,
    get host() {
      return host;
    },
    get presence() {
      return presence;
    },
    demo,
    widgetId,
    adminId: admin.accountId,
    agents,
    urls,
    presenceConfig,
    async restartPresence(whileDown) {
      const port = portOf(presence.url);
      await presence.close();
      await whileDown?.();
      presence = await startPresence({ ...presenceEnv, PORT: port });
      host.setRemoteBaseUrl('presence', presence.url);
    },
    async restartHost(whileDown) {
      const port = Number(portOf(host.url));
      await host.close();
      await whileDown?.();
      host = await bootHost(port);
      host.setRemoteBaseUrl('presence', presence.url);
    },
    async close() {
      await demo.close();
      await host.close();
      await presence.close();
      await jsm.close();
    },
  };
}

/** Issue 15: a few canned replies in the demo project, so `/` in the issue panel shows something. Kept if an admin changed them. */
export const DEMO_CANNED_REPLIES = [
  { id: 'greeting', title: 'Greeting', text: 'Hi {customer.firstName}, this is {agent.name}. Let me look into {request.key} for you.' },
  { id: 'tune-up', title: 'Tune-up booking', text: 'A tune-up is €49 and takes about a day. Shall I book you in for this week, {customer.firstName}?' },
  { id: 'goodbye', title: 'Goodbye', text: 'Glad I could help! This chat stays on {request.key} if you need us again.' },
];

async function ensureDemoCannedReplies(call: <T>(functionKey: string, payload: unknown) => Promise<T>): Promise<void> {
  const { replies } = await call<ResolverResponse<'cannedReplies.list'>>('cannedReplies.list', { projectKey: DEMO_PROJECT });
  if (!replies.length) await call('cannedReplies.save', { projectKey: DEMO_PROJECT, replies: DEMO_CANNED_REPLIES });
}

/** Chat on for the demo project, with the demo site's origin allowed. Idempotent. */
async function ensureDemoProjectConfig(host: ForgeHost, adminId: string, origin: string): Promise<string> {
  const call = <T>(functionKey: string, payload: unknown) =>
    host.invokeResolver({
      moduleKey: 'chat-project-settings',
      functionKey,
      payload,
      accountId: adminId,
      extension: { type: 'jira:projectSettingsPage', project: { key: DEMO_PROJECT } },
    }) as Promise<T>;
  await ensureDemoCannedReplies(call);
  const loaded = await call<ResolverResponse<'projectSettings.load'>>('projectSettings.load', { projectKey: DEMO_PROJECT });
  const current = loaded.config;
  if (current && current.allowedOrigins.includes(origin)) return current.widgetId;
  const chat = loaded.requestTypes.find((t) => /chat/i.test(t.name)) ?? loaded.requestTypes[0];
  if (!chat || !loaded.serviceDeskId) throw new Error(`project ${DEMO_PROJECT} has no service desk or request types`);
  const input = current
    ? { ...current, allowedOrigins: [...current.allowedOrigins.filter((o) => !o.startsWith('http://127.0.0.1:')), origin] }
    : {
        projectKey: DEMO_PROJECT,
        projectId: loaded.projectId,
        serviceDeskId: loaded.serviceDeskId,
        requestTypeId: chat.id,
        enabled: true,
        allowedOrigins: [origin],
        widget: { teamName: 'Acme Support' },
        widgetShows: 'always',
        schedule: null,
        verification: 'off',
        // Issue 15: new demo chats go to an online agent by turns, two at a time each.
        assignment: { mode: 'round_robin', capacity: 2 },
      };
  const { widgetId: _w, updatedAt: _u, hasIdentitySecret: _h, ...config } = input as Record<string, unknown>;
  const saved = await call<ResolverResponse<'projectSettings.save'>>('projectSettings.save', { projectKey: DEMO_PROJECT, config });
  return saved.config.widgetId;
}
