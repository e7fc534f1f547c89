/**
 * One running presence service with everything it talks to: a local FIT signer + JWKS,
 * a fake app webtrigger (linked), and a configured project. Tests drive it only through
 * its public surfaces: HTTP, Forge Remote and WebSockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../config.js';
import { silentLogger } from '../log.js';
import { createPresenceService, type PresenceService, type PresenceServiceDeps } from '../server.js';
import type { ServiceLimits } from '../limits.js';
import type { Store } from '../store/ports.js';
import { localForge, type LocalForge } from './forge.js';
import { fakeApp, type FakeApp } from './fake-app.js';
import { connect, type TestClient } from './client.js';
import { waitUntil } from './wait.js';
import { signAgentGrant } from '../../protocol/agent-grant.js';

export const ORIGIN = 'https://shop.example';
/** A hang guard for sockets(): the server sees a close within milliseconds on an idle machine. */
const SOCKETS_WAIT_MS = 5_000;

export interface Harness {
  service: PresenceService;
  forge: LocalForge;
  app: FakeApp;
  widgetId: string;
  installationId: string;
  /** A Forge Remote call: from the app's backend, or with accountId from an agent's page (frontend FIT). */
  remote(name: string, body: unknown, opts?: { installationId?: string; accountId?: string | null; token?: string }): Promise<{ status: number; body: any }>;
  /** Uploads `body` as the visitor holding `token` (from the site's origin); asserts 201 and answers the attachment id. */
  upload(token: string, conversationId: string, name: string, body: Uint8Array<ArrayBuffer>, contentType?: string): Promise<string>;
  /** The app's agent grant for `accountId` (signed with the installation's link secret). */
  grant(accountId: string, projects: string[], installationId?: string): string;
  customer(opts?: { origin?: string; auth?: Record<string, unknown> | null }): Promise<TestClient & { authOk?: any }>;
  agent(projects?: string[], accountId?: string, installationId?: string): Promise<TestClient & { authOk: any }>;
  projectConfig(patch?: Record<string, unknown>, installationId?: string, projectKey?: string): Promise<any>;
  /** Waits until the service counts this many open sockets of `role` (its /metrics gauge): the server, not only the client, saw them open or close. */
  sockets(role: 'customer' | 'agent', count: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  limits?: Partial<ServiceLimits>;
  env?: Record<string, string>;
  store?: Store;
  forge?: LocalForge;
  installationId?: string;
  deps?: Partial<PresenceServiceDeps>;
  clock?: () => number;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'presence-test-'));
  const forge = opts.forge ?? (await localForge(undefined, opts.clock));
  const app = await fakeApp();
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    FORGE_JWKS_URL: forge.jwksUrl,
    FORGE_APP_IDS: forge.appId,
    SECRET_KEY: randomBytes(32).toString('base64'),
    ...opts.env,
  });
  const service = await createPresenceService(config, {
    log: silentLogger,
    ...(opts.limits ? { limits: opts.limits } : {}),
    attachments: null,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.store ? { store: opts.store } : {}),
    ...opts.deps,
  });
  const installationId = opts.installationId ?? 'cloud-a';
  const clients: TestClient[] = [];

  const remote: Harness['remote'] = async (name, body, o = {}) => {
    const cid = o.installationId ?? installationId;
    const token = o.token ?? (await forge.sign({ installationId: cid, accountId: o.accountId ?? null }));
    const res = await fetch(`${service.url}/forge/v1/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (name === 'link' && res.status === 200) linkSecrets.set(cid, json.secret);
    return { status: res.status, body: json };
  };
  const linkSecrets = new Map<string, string>();
  const grant: Harness['grant'] = (accountId, projects, cid = installationId) => {
    const secret = linkSecrets.get(cid);
    if (!secret) throw new Error(`installation ${cid} is not linked in this harness`);
    return signAgentGrant(secret, { sub: accountId, projects }, (opts.clock ?? Date.now)()).grant;
  };

  const projectConfig: Harness['projectConfig'] = async (patch = {}, cid = installationId, projectKey = 'SUP') => {
    const r = await remote(
      'project-config.put',
      {
        config: {
          projectKey,
          projectId: '10000',
          serviceDeskId: '1',
          requestTypeId: '2',
          allowedOrigins: [ORIGIN],
          widget: { requireName: false, requireEmail: false },
          ...patch,
        },
      },
      { installationId: cid },
    );
    if (r.status !== 200) throw new Error(`project-config.put: ${JSON.stringify(r.body)}`);
    return r.body.config;
  };

  const link = await remote('link', { webtriggerUrl: app.url, appVersion: 'test' });
  app.secret = link.body.secret;
  const widgetId = (await projectConfig()).widgetId as string;

  return {
    service,
    forge,
    app,
    widgetId,
    installationId,
    remote,
    projectConfig,
    grant,
    async upload(token, conversationId, name, body, contentType = 'image/png') {
      const up = await fetch(`${service.url}/v1/attachments?conversationId=${conversationId}&name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType, origin: ORIGIN },
        body,
      });
      if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${await up.text()}`);
      const json = await up.json();
      return (json.attachment ?? json).id as string;
    },
    async customer(o = {}) {
      const c = await connect(`${service.wsUrl}/ws/customer`, { origin: o.origin ?? ORIGIN });
      clients.push(c);
      if (o.auth === null) return c;
      c.send({ type: 'auth', widgetId, ...o.auth });
      return Object.assign(c, { authOk: await c.next('auth.ok') });
    },
    async agent(projects = ['SUP'], accountId = 'agent-1', cid = installationId) {
      const t = await remote('agent-ticket', { grant: grant(accountId, projects, cid) }, { accountId, installationId: cid });
      if (t.status !== 200) throw new Error(`agent-ticket: ${JSON.stringify(t.body)}`);
      const c = await connect(`${service.wsUrl}/ws/agent`);
      clients.push(c);
      c.send({ type: 'auth', ticket: t.body.ticket });
      return Object.assign(c, { authOk: await c.next('auth.ok') });
    },
    async sockets(role, count) {
      const line = `jsmchat_sockets{role="${role}"} ${count}\n`;
      await waitUntil(
        async () => (await (await fetch(`${service.url}/metrics`)).text()).includes(line),
        `${count} ${role} socket(s) at the service`,
        SOCKETS_WAIT_MS,
      );
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await service.close();
      await app.close();
      if (!opts.forge) await forge.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
