/**
 * One server under test, in its own process (so its heap, RSS and CPU are its own),
 * driven over IPC by scripts/bench/scale/index.ts. argv[2] picks what it runs:
 *  - service: the presence service (embedded store) with a project linked to the app stub
 *  - bare:    a bare `ws` server doing the least the same job needs (the baseline)
 *  - app:     the app's webtrigger stub both servers post to (answers at once, no checks)
 * Options come as JSON in argv[3].
 */
import { createServer, Agent, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { startHarness } from '../../../src/presence-service/testing/harness.js';
import { createLogger } from '../../../src/presence-service/log.js';
import type { ServiceLimits } from '../../../src/presence-service/limits.js';

export interface ServerOptions {
  /** service: limit overrides; bare: heartbeatIntervalMs only. */
  limits?: Partial<ServiceLimits>;
  /** URL of the app stub (service: linked as webtrigger; bare: POST target). */
  appUrl?: string;
}

type Cmd = { id: number; cmd: 'mem' | 'cpu' | 'ticket' | 'records' | 'snapshot' | 'close'; accountId?: string };

const mode = process.argv[2] as 'service' | 'bare' | 'app';
const opts = JSON.parse(process.argv[3] ?? '{}') as ServerOptions;
const send = (m: unknown) => process.send!(m);
const gc = (globalThis as { gc?: () => void }).gc;

function mem() {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, external: m.external };
}

async function main(): Promise<void> {
  if (mode === 'app') return appStub();
  let close: () => Promise<void>;
  let url: string;
  let ticket: (accountId: string) => Promise<string> = async () => '';
  let records: () => Promise<number> = async () => 0;
  let extra: Record<string, unknown> = {};
  if (mode === 'service') {
    const log = createLogger({
      level: 'info',
      write: (line) => {
        if (line.includes('"customer.reaped"')) send({ event: 'reaped', at: Date.now() });
      },
    });
    const h = await startHarness({ limits: opts.limits ?? {}, deps: { log } });
    if (opts.appUrl) {
      const r = await h.remote('link', { webtriggerUrl: opts.appUrl, appVersion: 'bench' });
      if (r.status !== 200) throw new Error(`link: ${JSON.stringify(r.body)}`);
    }
    url = h.service.wsUrl;
    extra = { widgetId: h.widgetId };
    ticket = async (accountId) => {
      const t = await h.remote('agent-ticket', { grant: h.grant(accountId, ['SUP']) }, { accountId });
      return t.body.ticket as string;
    };
    // Durable records the store holds for visitors (identity + token → site).
    records = async () => (await h.service.store.kv.keys('')).filter((k) => k.includes('identity') || k.startsWith('visitor-site:')).length;
    close = () => h.close();
  } else {
    const b = await bareServer(opts);
    url = b.url;
    close = b.close;
  }
  send({ ready: true, url, pid: process.pid, ...extra });
  process.on('message', (m: Cmd) => {
    answer(m).catch((err: unknown) => send({ id: m.id, error: err instanceof Error ? err.message : String(err) }));
  });
  async function answer(m: Cmd): Promise<unknown> {
    if (m.cmd === 'mem') return send({ id: m.id, ...mem() });
    if (m.cmd === 'snapshot') {
      gc?.();
      const { writeHeapSnapshot } = await import('node:v8');
      return send({ id: m.id, file: writeHeapSnapshot(`/tmp/bench-${process.pid}-${Date.now()}.heapsnapshot`) });
    }
    if (m.cmd === 'cpu') {
      const c = process.cpuUsage();
      return send({ id: m.id, us: c.user + c.system, at: performance.now() });
    }
    if (m.cmd === 'ticket') return send({ id: m.id, ticket: await ticket(m.accountId!) });
    if (m.cmd === 'records') return send({ id: m.id, records: await records() });
    if (m.cmd === 'close') {
      await close();
      send({ id: m.id });
      process.exit(0);
    }
  }
}

/**
 * The baseline: what a hand-written ws server needs for the same jobs, and no more.
 * - `auth`: answered with a small JSON frame (the socket then idles);
 * - `status`: one frame serialised once, sent to every other socket (broadcast);
 * - `message.send`: a keep-alive HTTP POST with an HMAC header to the app, then an ack;
 * - the ws README's ping/pong heartbeat (terminate if no pong since the last ping).
 */
async function bareServer(o: ServerOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const secret = 'bench-secret-'.padEnd(43, 'x');
  const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 15_000 });
  const app = o.appUrl ? new URL(o.appUrl) : null;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const alive = new WeakSet<WebSocket>();
  function onPong(this: WebSocket) {
    alive.add(this);
  }
  function post(body: string, done: (json: any) => void): void {
    const ts = Math.floor(Date.now() / 1000);
    const sig = 'v1=' + createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    const req = request(
      {
        host: app!.hostname,
        port: app!.port,
        path: app!.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'x-jsmchat-signature': sig,
          'x-jsmchat-timestamp': String(ts),
          'content-length': Buffer.byteLength(body),
        },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', () => done(null));
    req.end(body);
  }
  function onMessage(this: WebSocket, data: Buffer) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the bare baseline's one shared handler, as ws calls it
    const ws = this;
    const f = JSON.parse(String(data)) as { type: string; clientMsgId?: string; conversationId?: string; status?: string; text?: string };
    if (f.type === 'auth') return ws.send('{"type":"auth.ok","customer":{"name":null,"email":null,"verified":false}}');
    if (f.type === 'status') {
      const out = JSON.stringify({ type: 'availability', availability: { state: f.status === 'away' ? 'away' : 'online', visible: true, nextOpenAt: null } });
      for (const c of wss.clients) if (c !== ws) c.send(out);
      return;
    }
    if (f.type === 'message.send') {
      post(
        JSON.stringify({
          type: 'message.customer',
          conversationId: f.conversationId,
          customerAccountId: 'cust-1',
          clientMsgId: f.clientMsgId,
          caller: 'v:x',
          text: f.text,
        }),
        (r) => {
          ws.send(JSON.stringify({ type: 'message.ack', clientMsgId: f.clientMsgId, conversationId: f.conversationId, messageId: r?.messageId, at: r?.at }));
        },
      );
    }
  }
  wss.on('connection', (ws) => {
    alive.add(ws);
    ws.on('pong', onPong);
    ws.on('message', onMessage);
  });
  const interval = o.limits?.heartbeatIntervalMs ?? 30_000;
  const beat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        send({ event: 'reaped', at: Date.now() });
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, interval);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: async () => {
      clearInterval(beat);
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(() => r(undefined)));
      agent.destroy();
    },
  };
}

/** The app's webtrigger, reduced to answering at once (its cost is not what is measured). */
async function appStub(): Promise<void> {
  let seq = 0;
  let conv = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; customer?: { accountId?: string } };
      const at = new Date().toISOString();
      let body: unknown;
      if (call.type === 'conversation.start') {
        const n = ++conv;
        body = {
          conversationId: `SUP-${n}`,
          issueId: String(10000 + n),
          customerAccountId: call.customer?.accountId ?? `cust-${n}`,
          messageId: String(++seq),
          at,
        };
      } else if (call.type === 'message.customer') body = { messageId: String(++seq), at };
      else if (call.type === 'conversations.list') body = { conversations: [] };
      else if (call.type === 'history') body = { messages: [], hasMore: false };
      else body = { ok: true, appVersion: 'bench' };
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  send({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webtrigger`, pid: process.pid });
  process.on('message', (m: Cmd) => {
    if (m.cmd === 'close') {
      server.closeAllConnections();
      server.close();
      send({ id: m.id });
      process.exit(0);
    }
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
