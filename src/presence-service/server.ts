/**
 * The presence service: one HTTP server for health, Forge Remote, the WhatsApp webhook,
 * the widget files and attachments (one router and error boundary: http/router.ts), plus
 * the two WebSocket endpoints. Everything stateful sits in the store
 * (embedded or Redis), so N instances behind a load balancer behave as one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES } from '../protocol/limits.js';
import { projectKeyOf } from '../protocol/ids.js';
import type { Config } from './config.js';
import type { Store } from './store/ports.js';
import { createStore, storeOptions } from './store/index.js';
import { createLogger, type Logger } from './log.js';
import { createCrypto } from './crypto.js';
import { createLinkStore } from './links.js';
import { createAppClient } from './app-client.js';
import { Projects } from './projects.js';
import { resolveLimits, type ServiceLimits } from './limits.js';
import { Hub } from './relay/hub.js';
import { AgentPresenceService } from './presence/agents.js';
import { Assigner } from './assignment/assigner.js';
import { CustomerPresenceService } from './presence/customers.js';
import { AvailabilityService } from './presence/availability.js';
import { AvailabilityFeeds } from './presence/availability-feed.js';
import { VisitorTokens } from './auth/visitor-token.js';
import { createFitVerifier, type FitVerifier } from './auth/fit.js';
import type { Ctx } from './context.js';
import type { AttachmentsHost, AttachmentsPort } from './attachments-port.js';
import { remoteRoutes } from './remote/index.js';
import { sendJson } from './http/body.js';
import { ServiceError } from './errors.js';
import { createRouter } from './http/router.js';
import { widgetRoutes } from './http/widget-files.js';
import { Heartbeat } from './ws/heartbeat.js';
import { admitUpgrade, refuse } from './ws/upgrade.js';
import { originAllowed } from './ws/origin.js';
import { CustomerConnection } from './ws/customer.js';
import { CLOSE_GOING_AWAY, CLOSE_SERVICE_RESTART, type Connection, type ConnectionHooks } from './ws/connection.js';
import { IpLimits } from './ws/ip-limits.js';
import { LocalCounts } from './ws/local-counts.js';
import { DRAIN_DEFAULTS, InFlight, within, type DrainOptions } from './drain.js';
import type { AppClient } from './app-client.js';
import { Metrics, countStoreErrors } from './metrics.js';
import { isRequestId, REQUEST_ID_HEADER, REQUEST_ID_QUERY, requestIdFrom } from './request-id.js';
import { AgentConnection } from './ws/agent.js';
import { authenticate, mayAccess } from './auth/principals.js';
import { createAttachmentsFromConfig } from './attachments-wiring.js';
import { createWhatsAppWebhook } from './whatsapp/webhook.js';
import { UsageCounter } from './usage/counter.js';

export interface PresenceServiceDeps {
  clock?: () => number;
  fetch?: typeof fetch;
  log?: Logger;
  /** Shorter heartbeats, rate limits etc. for tests. */
  limits?: Partial<ServiceLimits>;
  /** Use this store instead of creating one from config (not closed by close()). */
  store?: Store;
  /** Where the built widget lives (default static/widget/build under the working directory). */
  widgetDir?: string;
  /** Replace the attachments module (null = none); default: built from config. */
  attachments?: ((host: AttachmentsHost) => AttachmentsPort) | null;
}

export interface PresenceService {
  url: string;
  wsUrl: string;
  store: Store;
  /**
   * Graceful stop (SIGTERM, drain.ts): /readyz 503, stop accepting, sockets told to
   * reconnect elsewhere (1012) with jitter, in-flight uploads and app calls finished up to
   * the deadline, then close(). Options default to config.drain.
   */
  drain(opts?: Partial<DrainOptions> & { notReady?: Promise<void> }): Promise<void>;
  /** Immediate stop: sockets closed (1001), requests in flight cut. */
  close(): Promise<void>;
}

/** close(): how long socket cleanups (presence removal) may take once the sockets are gone. */
const CLEANUP_DEADLINE_MS = 2_000;

type Conn = CustomerConnection | AgentConnection;

export async function createPresenceService(config: Config, deps: PresenceServiceDeps = {}): Promise<PresenceService> {
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? createLogger({ level: config.logLevel });
  const limits = resolveLimits({ ...config.limits, ...stripUndefined(deps.limits) });
  const ownStore = !deps.store;
  const conns = new Set<Conn>();
  const metrics = new Metrics(
    {
      sockets: () => {
        let customer = 0;
        for (const c of conns) if (c instanceof CustomerConnection) customer++;
        return { customer, agent: conns.size - customer };
      },
      tenants: () => new Set([...conns].map((c) => c.installationId).filter((id) => id !== null)).size,
    },
    { defaultMetrics: config.metrics },
  );
  const store = countStoreErrors(deps.store ?? (await createStore(storeOptions(config), clock)), (port) => metrics.storeErrors.inc({ port }));
  const crypto = createCrypto(config.secretKey);
  const links = createLinkStore(store.kv, crypto);
  const hub = new Hub(store.bus, log);
  // Live frames may have been lost without anyone noticing (a Redis Cluster master failed over
  // before this instance subscribed again: store/redis-cluster-keeper.ts). Every client
  // catches up the way it does after a restart: reconnect (1012, spread as in a drain), then history.
  store.bus.onGap?.(() => {
    log.warn('bus.gap', { sockets: conns.size });
    askToReconnect('live feed interrupted, reconnect', config.drain.spreadMs);
  });
  /** Every open socket closed with 1012 at a random moment within `spreadMs`, so they do not all land on the next instance at once. */
  function askToReconnect(reason: string, spreadMs: number): void {
    for (const c of [...conns]) setTimeout(() => c.close(CLOSE_SERVICE_RESTART, reason), Math.floor(Math.random() * spreadMs)).unref();
  }
  const agents = new AgentPresenceService(store, hub, limits, clock);
  const projects = new Projects(store.kv, crypto, clock);
  const availability = new AvailabilityService((c, p) => agents.availabilityInputs(c, p), clock);
  // Drain waits for these: app calls (a message on its way to Jira) and HTTP requests (uploads).
  const appCalls = new InFlight();
  const requests = new InFlight();
  const sockets = new InFlight();
  // Counted for drain and timed per call, from inside the call (every customer message is one).
  const app: AppClient = createAppClient({
    links,
    fetch: deps.fetch,
    log,
    timeoutMs: limits.appTimeoutMs,
    clock,
    track: {
      started: () => appCalls.enter(),
      finished(call, ok, seconds) {
        appCalls.leave();
        metrics.appCallSeconds.record(call, ok, seconds);
      },
    },
  });
  let draining = false;
  const ctx: Ctx = {
    config,
    limits,
    store,
    log,
    clock,
    crypto,
    links,
    hub,
    agents,
    app,
    projects,
    customers: new CustomerPresenceService(store, hub, limits, clock),
    availability,
    feeds: new AvailabilityFeeds(hub, projects, availability, log),
    visitors: new VisitorTokens(store.kv, crypto, store.ephemeral, limits.visitorIdleTtlMs),
    attachments: null,
    visitorSockets: new LocalCounts(),
    assigner: null as unknown as Assigner,
    usage: new UsageCounter({
      app,
      log,
      // The env switch (ANALYTICS) and the site's own (admin page) must both be on; a site that never chose follows the env.
      analyticsOn: async (installationId) => config.analytics && (await projects.settings(installationId, { analytics: config.analytics })).analytics,
    }),
  };
  ctx.assigner = new Assigner(ctx);
  // Someone came online, left or changed hours: chats waiting for an agent may find one now.
  agents.onChange = (installationId, projectKey) =>
    void ctx.assigner.agentsChanged(installationId, projectKey).catch((err) => log.warn('assignment.drain_failed', { installationId, err }));

  const host: AttachmentsHost = {
    authenticate: (req) => authenticate(ctx, req),
    mayAccess: (p, conversationId, requestId) => mayAccess(ctx, p, conversationId, requestId),
    allowOrigin: async (installationId, conversationId, origin) => {
      const config = await ctx.projects.get(installationId, projectKeyOf(conversationId));
      return config !== null && originAllowed(origin, config.allowedOrigins);
    },
  };

  const whatsapp = createWhatsAppWebhook(ctx);
  const verifyFit: FitVerifier = createFitVerifier({ jwksUrl: config.forgeJwksUrl, appIds: config.forgeAppIds, clock });
  const router = createRouter(log);
  router.add([
    { method: ['GET', 'HEAD'], path: '/healthz', handler: (_req, res) => sendJson(res, 200, { ok: true }) },
    { method: ['GET', 'HEAD'], path: '/readyz', handler: (_req, res) => ready(res) },
    ...remoteRoutes(ctx, verifyFit),
    ...whatsapp.routes,
    ...widgetRoutes(deps.widgetDir ?? join(process.cwd(), 'static', 'widget', 'build')),
  ]);
  if (config.metrics) router.add([{ method: 'GET', path: '/metrics', handler: (_req, res) => sendMetrics(res) }]);
  // The attachments' routes join once the module exists (it needs the bound port's URL).

  const server = createServer((req, res) => {
    res.once('close', requests.begin());
    // A keep-alive client learns to open its next connection elsewhere.
    if (draining) res.setHeader('Connection', 'close');
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    observe(req, res);
    void router.handle(req, res);
  });

  /** Request-level metrics: relay latency, accepted upload bytes, rate-limit refusals. */
  function observe(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const endRelay = path === '/forge/v1/relay' ? metrics.relaySeconds.startTimer() : null;
    res.once('finish', () => {
      endRelay?.({ outcome: res.statusCode < 400 ? 'ok' : 'error' });
      if (res.statusCode === 429) metrics.rateLimited.inc({ where: 'http' });
      // Uploads declare their length (browsers always do for a File or Blob body).
      const length = Number(req.headers['content-length']);
      if (req.method === 'POST' && path === '/v1/attachments' && res.statusCode === 201 && Number.isFinite(length)) metrics.uploadBytes.inc(length);
    });
  }

  async function sendMetrics(res: ServerResponse): Promise<void> {
    const text = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(text);
  }

  function ready(res: ServerResponse): void {
    const down = draining
      ? new ServiceError('draining', 'this instance is shutting down')
      : store.healthy()
        ? null
        : new ServiceError('unavailable', 'store unavailable');
    if (down) sendJson(res, down.status, { ok: false, ...down.toBody() });
    else sendJson(res, 200, { ok: true, store: store.kind });
  }

  // ---- WebSockets ---------------------------------------------------------------
  // No client tracking: `conns` is the service's one list of sockets (ws's own list costs every
  // socket a set entry, a closure and a second 'close' listener).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false });
  // One batch of presence refreshes per beat for the whole instance.
  const heartbeat = new Heartbeat(limits.heartbeatIntervalMs, limits.reapAfterMs, clock, (batch) => {
    void batch.write(store.ephemeral).catch((err) => log.debug('ws.heartbeat_store_failed', { err, writes: batch.size }));
  });
  const ipLimits = new IpLimits(limits, clock);
  /** Cleanups of closed sockets still running (presence removal, the write in flight). */
  const cleanups = new Set<Promise<void>>();

  server.on('upgrade', (req, socket, head) => {
    // A shared handler: a closure here would keep this request (all its headers) alive as long as the socket.
    socket.on('error', destroyOnError);
    if (draining) return refuse(socket, new ServiceError('draining', 'Service Unavailable'));
    void admitUpgrade(ctx, ipLimits, req).then((v) => {
      if (!v.ok) {
        if (v.error.code === 'rate_limited') metrics.rateLimited.inc({ where: 'upgrade' });
        return refuse(socket, v.error);
      }
      const origin = req.headers.origin;
      // Browsers cannot set headers on a WebSocket: the widget sends its id as ?rid=.
      const rid = req.headers[REQUEST_ID_HEADER] ?? new URL(req.url ?? '/', 'http://x').searchParams.get(REQUEST_ID_QUERY);
      wss.handleUpgrade(req, socket, head, (ws) => {
        // ws listens for the socket's errors from here on: one listener per socket is enough.
        socket.removeListener('error', destroyOnError);
        accept(ws, origin, v.kind, v.ip, rid);
      });
    });
  });

  // What the service does for every socket, called from the sockets' own shared handlers
  // (connection.ts) rather than as second listeners on each socket. One object per service:
  // each instance in a process counts into its own registry.
  const hooks: ConnectionHooks = {
    frameIn: (role) => void metrics.frameCounts.in[role]++,
    frameOut: (role, n) => void (metrics.frameCounts.out[role] += n),
    rateLimited: () => metrics.rateLimited.inc({ where: 'ws' }),
    closed: released,
  };
  const customerKind = CustomerConnection.kind(ctx, hooks);
  const agentKind = AgentConnection.kind(ctx, hooks);

  function accept(ws: WebSocket, origin: string | undefined, kind: 'customer' | 'agent', ip: string, rid: string | string[] | null | undefined): void {
    // One string per address for all its sockets (a corporate NAT is thousands of them).
    const addr = ipLimits.opened(ip);
    const conn: Conn = kind === 'customer' ? new CustomerConnection(ws, ctx, customerKind, origin, addr) : new AgentConnection(ws, ctx, agentKind, addr);
    conns.add(conn);
    heartbeat.add(conn);
    sockets.enter();
    // Only a client's own valid id is kept; otherwise the socket id stands in (no string per socket).
    if (isRequestId(rid)) conn.requestId = rid;
  }

  /** Forget a closed socket here and in the per-IP count. */
  function released(closed: Connection<{ type: string }>): void {
    const conn = closed as Conn;
    conns.delete(conn);
    heartbeat.remove(conn);
    ipLimits.closed(conn.ip);
    const settled = conn.settled;
    cleanups.add(settled);
    void settled.then(() => cleanups.delete(settled));
    sockets.leave(); // last: a drain waiting for this sees the cleanup registered above
    if (conns.size === 0) allClosed?.();
  }
  /** Set while close() waits for the sockets' closing handshakes. */
  let allClosed: (() => void) | null = null;

  // Schedules open and close without anyone doing anything: re-check now and then, per project.
  const ticker = setInterval(() => ctx.feeds.tick(), limits.availabilityTickMs);
  ticker.unref();
  ctx.usage.start(limits.usageFlushMs);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${hostPart}:${addr.port}`;
  // PORT=0 (tests, sandbox): the default public URL names the port actually bound.
  if (/:0$/.test(config.publicUrl)) ctx.config = Object.freeze({ ...config, publicUrl: url });
  ctx.attachments =
    deps.attachments === undefined ? createAttachmentsFromConfig(ctx.config, host, log, clock) : deps.attachments ? deps.attachments(host) : null;
  if (ctx.attachments) router.add(ctx.attachments.routes);
  ctx.attachments?.start();
  log.info('service.listening', { url, store: store.kind, devKey: config.secretKeyGenerated });

  let closing: Promise<void> | null = null;
  let drained: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      clearInterval(ticker);
      heartbeat.stop();
      ipLimits.stop();
      ctx.attachments?.stop();
      for (const c of conns) c.close(CLOSE_GOING_AWAY, 'server shutting down');
      // No more handshakes (ws answers 503), then wait for the sockets to close.
      wss.close();
      await new Promise<void>((resolve) => {
        if (conns.size === 0) return resolve();
        // Sockets that do not finish the closing handshake in time are cut.
        const cut = setTimeout(() => {
          for (const c of conns) c.ws.terminate();
        }, 2_000);
        cut.unref();
        allClosed = () => {
          allClosed = null;
          clearTimeout(cut);
          resolve();
        };
      });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      // Webhook deliveries already answered 200 are finished (retries given up), not cut off mid-write.
      await whatsapp.close();
      // Session cleanups (presence removal) finish before the store goes.
      await within(Promise.all([...cleanups]), CLEANUP_DEADLINE_MS);
      // The counts of this instance's last interval, before the app client goes.
      await within(ctx.usage.stop(), limits.appTimeoutMs);
      await hub.close();
      ctx.app.close();
      if (ownStore) await store.close();
    })();
    return closing;
  }

  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    store,
    drain(opts = {}) {
      drained ??= (async () => {
        const { notReady, ...times } = opts;
        const o = { ...DRAIN_DEFAULTS, ...config.drain, ...stripUndefined(times) };
        const started = Date.now();
        const left = () => o.timeoutMs - (Date.now() - started);
        draining = true;
        log.info('service.draining', { sockets: conns.size, notReadyMs: o.notReadyMs, timeoutMs: o.timeoutMs });
        // Keep serving while the balancer's health checks see 503 and route new clients elsewhere.
        await (notReady ?? new Promise((r) => setTimeout(r, Math.min(o.notReadyMs, left()))));
        const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        askToReconnect('draining, reconnect', Math.min(o.spreadMs, left()));
        const finished = await within(
          (async () => {
            await sockets.idle();
            await Promise.all([...cleanups, appCalls.idle(), requests.idle()]);
          })(),
          left(),
        );
        log.info('service.drained', { complete: finished, ms: Date.now() - started, sockets: conns.size, appCalls: appCalls.size, requests: requests.size });
        void listenerClosed;
        await close();
      })();
      return drained;
    },
    close,
  };
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
