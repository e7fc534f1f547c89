/**
 * A stand-in for the presence service's agent side: /ws/agent speaking agent-ws.ts
 * frames (both directions checked against the shared schemas) and POST /v1/attachments.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AgentClientFrame, AgentServerFrame } from '../../../src/protocol/agent-ws.js';
import { waitUntil } from './wait.js';

export interface FakeAgentServer {
  url: string;
  /** Frames agents sent after auth, parsed. */
  received: AgentClientFrame[];
  /** Tickets presented in auth frames, in order. */
  authTickets: string[];
  uploads: { conversationId: string; name: string; bytes: number; auth: string }[];
  /** The next upload is refused with this status (the service's error body). */
  failNextUpload: number | null;
  /** While true, `watch` and `watch.project` are not answered (a service still subscribing) until `answerHeld()`. */
  holdAnswers: boolean;
  /** Sends the held answers; returns how many. */
  answerHeld(): number;
  /** `watching` / `watching.project` answers sent, in order. */
  answered: AgentServerFrame[];
  issueTicket(): string;
  push(frame: AgentServerFrame): void;
  /** Close every agent socket as a restarting server would. */
  dropAll(): void;
  connected(): number;
  waitForFrame<T extends AgentClientFrame['type']>(
    type: T,
    match?: (f: Extract<AgentClientFrame, { type: T }>) => boolean,
  ): Promise<Extract<AgentClientFrame, { type: T }>>;
  close(): Promise<void>;
}

export const HTTP_TOKEN = 'agent-http-token-0123456789';

export async function startFakeAgentServer(accountId = 'agent-1'): Promise<FakeAgentServer> {
  const tickets = new Set<string>();
  const authed = new Set<WebSocket>();
  const received: AgentClientFrame[] = [];
  const authTickets: string[] = [];
  const uploads: FakeAgentServer['uploads'] = [];
  const answered: AgentServerFrame[] = [];
  const held: { ws: WebSocket; frame: AgentServerFrame }[] = [];
  /** As the service does: the answer goes out once the socket listens (here: at once, unless held). */
  const answer = (ws: WebSocket, frame: AgentServerFrame, now = !api.holdAnswers) => {
    if (!now) return void held.push({ ws, frame });
    if (ws.readyState !== ws.OPEN) return;
    answered.push(frame);
    ws.send(JSON.stringify(AgentServerFrame.parse(frame)));
  };

  const http: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.method !== 'POST' || u.pathname !== '/v1/attachments') return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${HTTP_TOKEN}`)
        return void res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'unauthenticated', message: 'bad token' } }));
      if (api.failNextUpload) {
        const status = api.failNextUpload;
        api.failNextUpload = null;
        return void res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'unavailable', message: 'Attachments are unavailable right now. Please try again.' } }));
      }
      const name = u.searchParams.get('name') ?? 'file';
      const size = Buffer.concat(chunks).length;
      uploads.push({ conversationId: u.searchParams.get('conversationId') ?? '', name, bytes: size, auth });
      res.writeHead(201, { 'content-type': 'application/json' }).end(
        // the real service's answer shape: 201 { attachment: AttachmentRef }
        JSON.stringify({
          attachment: { id: `att_${randomBytes(12).toString('hex')}`, name, size, mime: req.headers['content-type'] ?? 'application/octet-stream' },
        }),
      );
    });
  });
  const wss = new WebSocketServer({ server: http, path: '/ws/agent' });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const frame = AgentClientFrame.parse(JSON.parse(String(data)));
      if (!authed.has(ws)) {
        if (frame.type !== 'auth' || !tickets.delete(frame.ticket)) return void ws.close(1008, 'bad ticket');
        authTickets.push(frame.ticket);
        authed.add(ws);
        ws.send(JSON.stringify(AgentServerFrame.parse({ type: 'auth.ok', accountId, projects: ['SUP'], httpToken: HTTP_TOKEN })));
        return;
      }
      received.push(frame);
      if (frame.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
      else if (frame.type === 'watch') answer(ws, { type: 'watching', conversationId: frame.conversationId });
      else if (frame.type === 'watch.project') answer(ws, { type: 'watching.project', projectKey: frame.projectKey });
    });
    ws.on('close', () => authed.delete(ws));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;

  const api: FakeAgentServer = {
    failNextUpload: null,
    holdAnswers: false,
    answered,
    answerHeld() {
      const n = held.length;
      for (const { ws, frame } of held.splice(0)) answer(ws, frame, true);
      return n;
    },
    url: `ws://127.0.0.1:${port}/ws/agent`,
    received,
    authTickets,
    uploads,
    issueTicket() {
      const t = randomBytes(24).toString('base64url');
      tickets.add(t);
      return t;
    },
    push(frame) {
      const text = JSON.stringify(AgentServerFrame.parse(frame));
      for (const ws of authed) ws.send(text);
    },
    dropAll() {
      for (const ws of wss.clients) ws.terminate();
    },
    connected: () => authed.size,
    async waitForFrame(type, match) {
      let found: AgentClientFrame | undefined;
      await waitUntil(() => (found = received.find((f) => f.type === type && (!match || match(f as never)))) !== undefined, `agent frame ${type}`);
      return found as never;
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  return api;
}
