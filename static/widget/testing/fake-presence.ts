/**
 * A stand-in for the presence service, for the widget's browser tests only: it speaks the
 * customer-ws.ts frames (validating every client frame with the shared zod schemas), serves
 * build/widget.js and an upload endpoint, and a host page from a second origin so the widget
 * runs cross-origin as on a customer's website. Tests steer it (agent messages, drops, modes).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CustomerClientFrame, type CustomerServerFrame } from '../../../src/protocol/customer-ws.js';
import { WidgetConfig, type Availability, type ChatMessage } from '../../../src/protocol/model.js';
import { requireWidgetBuilt } from './size.js';

export const WIDGET_ID = 'w_TestWidget0001';
const buildDir = join(import.meta.dirname, '..', 'build');

interface Conversation {
  id: string;
  token: string;
  status: 'open' | 'closed';
  messages: ChatMessage[];
  offline: boolean;
}

export interface PageOptions {
  hostileCss?: boolean;
  settings?: Record<string, unknown>;
  /** Put the widget id in JsmChatSettings only, not on the script tag. */
  idInSettings?: boolean;
}

export class FakePresence {
  config: WidgetConfig = WidgetConfig.parse({ teamName: 'Acme Support', color: '#0B6E4F' });
  availability: Availability = { state: 'online', visible: true, nextOpenAt: null };
  /** Origins allowed to open the customer socket; empty = all. */
  allowedOrigins: string[] = [];
  historyPageSize = 50;
  /** The next message.send is refused with a retryable message.failed (Jira "unavailable"). */
  failNextSend = false;
  /** While true, every new socket is cut during the handshake (the service is "down"). */
  refuse = false;
  /** While true, auth.ok carries no conversation list, as the service's when the app could not read Jira. */
  listUnavailable = false;
  /** The next upload answers 503 (storage down): the file must show as failed, in its place. */
  failNextUpload = false;
  /** What attachment.url answers carry; default: this fake's own download link. A test may hand out hostile URLs. */
  attachmentUrl: ((attachmentId: string) => string) | null = null;
  /** How long this fake's own download links live (the service's is DOWNLOAD_URL_TTL_SEC); a past link answers 410 link_expired as the service does. */
  linkTtlMs = 300_000;
  /** Attachments whose service copy is "gone" (past 7 days): attachment.url answers attachment.expired. */
  readonly expiredAttachments = new Set<string>();
  /** Every new upload counts as already past 7 days (the expired-file view). */
  expireUploads = false;
  /** Every valid frame received, in order. */
  readonly frames: CustomerClientFrame[] = [];
  readonly invalid: unknown[] = [];
  readonly conversations = new Map<string, Conversation>();
  readonly sockets = new Set<WebSocket>();
  readonly uploads = new Map<string, { name: string; mime: string; bytes: Buffer }>();
  origin = '';
  hostOrigin = '';
  private readonly tokens = new Map<string, { name: string | null; email: string | null }>();
  private readonly socketToken = new Map<WebSocket, string>();
  private readonly acks = new Map<string, CustomerServerFrame>();
  private seq = 0;
  private widgetJs: Buffer = Buffer.alloc(0);
  private demoHtml: Buffer = Buffer.alloc(0);
  private presence!: Server;
  private host!: Server;
  private wss!: WebSocketServer;

  async start(): Promise<this> {
    // Read once: a concurrent rebuild by another test file must not pull the files from under us.
    requireWidgetBuilt();
    this.widgetJs = await readRetrying(join(buildDir, 'widget.js'));
    this.demoHtml = await readRetrying(join(buildDir, 'demo', 'index.html'));
    this.presence = createServer((req, res) => void this.onPresenceHttp(req, res));
    this.host = createServer((req, res) => void this.onHostHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.presence.on('upgrade', (req, socket, head) => {
      if (this.refuse || !req.url?.startsWith('/ws/customer')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, String(req.headers.origin ?? '')));
    });
    await Promise.all([listen(this.presence), listen(this.host)]);
    this.origin = `http://127.0.0.1:${(this.presence.address() as AddressInfo).port}`;
    this.hostOrigin = `http://127.0.0.1:${(this.host.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.presence.closeAllConnections();
    this.host.closeAllConnections();
    await Promise.all([new Promise((r) => this.presence.close(r)), new Promise((r) => this.host.close(r))]);
  }

  pageUrl(opts: PageOptions = {}): string {
    return `${this.hostOrigin}/?o=${encodeURIComponent(JSON.stringify(opts))}`;
  }

  /** Cut every open customer socket (as a crashed instance or a network drop would). */
  dropAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  latestConversation(): Conversation | undefined {
    return [...this.conversations.values()].at(-1);
  }

  agentSays(conversationId: string, text: string, name = 'Dana', opts: { silent?: boolean } = {}): ChatMessage {
    const conv = this.conversations.get(conversationId)!;
    const message: ChatMessage = {
      id: String(++this.seq + 10000),
      conversationId,
      author: { kind: 'agent', name },
      text,
      at: new Date(Date.now() + this.seq).toISOString(),
    };
    conv.messages.push(message);
    if (!opts.silent) this.toVisitor(conv.token, { type: 'message', message });
    return message;
  }

  /** An agent message with any fields the relay could carry (attachments, odd names): XSS tests. */
  agentMessage(conversationId: string, over: Partial<Omit<ChatMessage, 'conversationId'>>): ChatMessage {
    const conv = this.conversations.get(conversationId)!;
    const message: ChatMessage = {
      id: String(++this.seq + 10000),
      conversationId,
      author: { kind: 'agent', name: 'Dana' },
      text: '',
      at: new Date(Date.now() + this.seq).toISOString(),
      ...over,
    };
    conv.messages.push(message);
    this.toVisitor(conv.token, { type: 'message', message });
    return message;
  }

  /** Settings saved in Jira: the new widget look is pushed to every open widget. */
  pushConfig(over: Partial<WidgetConfig>): void {
    this.config = WidgetConfig.parse({ ...this.config, ...over });
    for (const ws of this.socketToken.keys())
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'config', config: this.config } satisfies CustomerServerFrame));
  }

  agentTyping(conversationId: string, on: boolean, name = 'Dana'): void {
    this.toVisitor(this.conversations.get(conversationId)!.token, { type: 'typing', conversationId, on, name });
  }

  agentSeen(conversationId: string, messageId: string): void {
    this.toVisitor(this.conversations.get(conversationId)!.token, { type: 'seen', conversationId, messageId });
  }

  /** How many stored messages carry each clientMsgId (the "delivered once" proof). */
  storedClientMsgIds(): string[] {
    return [...this.conversations.values()].flatMap((c) => c.messages.map((m) => m.clientMsgId).filter((x): x is string => !!x));
  }

  private toVisitor(token: string, frame: CustomerServerFrame): void {
    for (const [ws, t] of this.socketToken) if (t === token && ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  private onSocket(ws: WebSocket, origin: string): void {
    this.sockets.add(ws);
    const send = (f: CustomerServerFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(f));
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.socketToken.delete(ws);
    });
    ws.on('message', (data) => {
      let json: unknown;
      try {
        json = JSON.parse(String(data));
      } catch {
        return send({ type: 'error', code: 'bad_frame', message: 'not JSON' });
      }
      const parsed = CustomerClientFrame.safeParse(json);
      if (!parsed.success) {
        this.invalid.push(json);
        return send({ type: 'error', code: 'invalid', message: parsed.error.issues[0]?.message ?? 'invalid' });
      }
      const f = parsed.data;
      this.frames.push(f);
      const token = this.socketToken.get(ws);
      if (f.type === 'auth') {
        if (this.allowedOrigins.length && !this.allowedOrigins.includes(origin)) {
          send({ type: 'error', code: 'origin_not_allowed', message: 'origin not allowed' });
          return ws.close(1008);
        }
        let t = f.token && this.tokens.has(f.token) ? f.token : undefined;
        const issued = !t;
        if (!t) this.tokens.set((t = randomBytes(24).toString('base64url')), { name: null, email: null });
        this.socketToken.set(ws, t);
        const conversations = [...this.conversations.values()]
          .filter((c) => c.token === t)
          .map((c) => ({ id: c.id, status: c.status, updated: c.messages.at(-1)?.at ?? new Date().toISOString() }));
        return send({
          type: 'auth.ok',
          ...(issued ? { token: t } : {}),
          // As the real service: no stored email; the name is the one Jira holds for a known customer.
          customer: { name: this.tokens.get(t)!.name, email: null, verified: false },
          config: this.config,
          availability: this.availability,
          ...(this.listUnavailable ? {} : { conversations }),
        });
      }
      if (!token) return send({ type: 'error', code: 'unauthenticated', message: 'auth first' });
      switch (f.type) {
        case 'conversation.start':
        case 'message.send':
        case 'attachment.send': {
          const known = this.acks.get(f.clientMsgId);
          if (known) return send(known);
          if (f.type === 'message.send' && this.failNextSend) {
            this.failNextSend = false;
            return send({ type: 'message.failed', clientMsgId: f.clientMsgId, code: 'unavailable', message: 'Jira is unavailable', retryable: true });
          }
          let conv: Conversation;
          if (f.type === 'conversation.start') {
            conv = { id: `SUP-${this.conversations.size + 1}`, token, status: 'open', messages: [], offline: f.offline };
            this.conversations.set(conv.id, conv);
            if (f.prechat.name || f.prechat.email) this.tokens.set(token, { name: f.prechat.name ?? null, email: f.prechat.email ?? null });
          } else {
            const c = this.conversations.get(f.conversationId);
            if (!c || c.token !== token)
              return send({ type: 'message.failed', clientMsgId: f.clientMsgId, code: 'not_found', message: 'no such conversation', retryable: false });
            conv = c;
          }
          const upload = f.type === 'attachment.send' ? this.uploads.get(f.attachmentId) : undefined;
          const message: ChatMessage = {
            id: String(++this.seq + 10000),
            conversationId: conv.id,
            clientMsgId: f.clientMsgId,
            author: { kind: 'customer', name: this.tokens.get(token)?.name ?? 'Visitor' },
            text: f.type === 'attachment.send' ? (upload?.name ?? 'file') : f.text,
            at: new Date().toISOString(),
            ...(upload && f.type === 'attachment.send'
              ? { attachment: { id: f.attachmentId, name: upload.name, size: upload.bytes.length, mime: upload.mime } }
              : {}),
          };
          conv.messages.push(message);
          const ack: CustomerServerFrame = { type: 'message.ack', clientMsgId: f.clientMsgId, conversationId: conv.id, messageId: message.id, at: message.at };
          this.acks.set(f.clientMsgId, ack);
          return send(ack);
        }
        case 'history': {
          const c = this.conversations.get(f.conversationId);
          if (!c || c.token !== token) return send({ type: 'error', code: 'not_found', message: 'no such conversation' });
          const end = f.before ? c.messages.findIndex((m) => m.id === f.before) : c.messages.length;
          const page = c.messages.slice(Math.max(0, end - this.historyPageSize), end);
          return send({ type: 'history', conversationId: c.id, messages: page, hasMore: end > page.length });
        }
        case 'attachment.url': {
          if (this.expiredAttachments.has(f.attachmentId)) return send({ type: 'attachment.expired', attachmentId: f.attachmentId });
          const until = Date.now() + this.linkTtlMs;
          return send({
            type: 'attachment.url',
            attachmentId: f.attachmentId,
            url: this.attachmentUrl?.(f.attachmentId) ?? `${this.origin}/files/${f.attachmentId}?e=${until}`,
            expiresAt: new Date(until).toISOString(),
          });
        }
        case 'ping':
          return send({ type: 'pong' });
        default:
          return;
      }
    });
  }

  private async onPresenceHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'authorization, content-type, x-request-id',
      'Access-Control-Allow-Methods': 'POST',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.method === 'GET' && url.pathname === '/widget.js') {
      return void res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(this.widgetJs);
    }
    if (req.method === 'POST' && url.pathname === '/v1/attachments') {
      const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (!this.tokens.has(auth)) return void res.writeHead(401, cors).end();
      if (this.failNextUpload) {
        this.failNextUpload = false;
        return void res.writeHead(503, cors).end();
      }
      const id = randomBytes(12).toString('base64url');
      const name = url.searchParams.get('name') ?? 'file';
      const mime = String(req.headers['content-type'] ?? 'application/octet-stream');
      this.uploads.set(id, { name, mime, bytes: Buffer.concat(chunks) });
      if (this.expireUploads) this.expiredAttachments.add(id);
      return void res
        .writeHead(201, { ...cors, 'Content-Type': 'application/json' })
        .end(JSON.stringify({ id, name, size: Buffer.concat(chunks).length, mime }));
    }
    const file = url.pathname.match(/^\/files\/([\w-]+)$/);
    if (req.method === 'GET' && file && this.uploads.has(file[1]!)) {
      if (Date.now() > Number(url.searchParams.get('e') ?? Infinity)) {
        return void res
          .writeHead(410, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'link_expired', message: 'This download link has expired. Open the file again from the chat.' } }));
      }
      const u = this.uploads.get(file[1]!)!;
      return void res.writeHead(200, { 'Content-Type': u.mime, 'X-Content-Type-Options': 'nosniff' }).end(u.bytes);
    }
    res.writeHead(404).end();
  }

  private async onHostHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.hostOrigin);
    if (url.pathname === '/demo/') {
      return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(this.demoHtml);
    }
    if (url.pathname === '/blank') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>blank</title>');
    if (url.pathname !== '/') return void res.writeHead(404).end();
    const o: PageOptions = JSON.parse(url.searchParams.get('o') ?? '{}');
    const settings = { ...(o.settings ?? {}), ...(o.idInSettings ? { widgetId: WIDGET_ID } : {}) };
    const hostile = o.hostileCss ? '<style>* { all: unset; color: red !important } div { display:none !important }</style>' : '';
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page</title><style>body{font-family:Georgia,serif;margin:40px;background:#fdfaf3}</style>${hostile}</head>
<body><h1>Host page</h1><div><p>Some content of the customer's website.</p><a href="#top">A link before the widget</a></div>
<script>window.JsmChatSettings = ${JSON.stringify(settings)};</script>
<script async src="${this.origin}/widget.js"${o.idInSettings ? '' : ` data-widget-id="${WIDGET_ID}"`}></script>
</body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  }
}

async function readRetrying(path: string): Promise<Buffer> {
  for (let i = 0; ; i++) {
    try {
      return await readFile(path);
    } catch (e) {
      if (i >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}
