/** A WebSocket test client that queues frames, so a test can await the next one of a type. */
import { WebSocket } from 'ws';

/** A hang guard, not a speed check: CI machines run several test files on 2 busy cores. */
const FRAME_WAIT_MS = 10_000;

export interface TestClient {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  send(frame: unknown): void;
  next<T = Record<string, any>>(type: string, timeoutMs?: number): Promise<T>;
  /** Throws if an unseen frame of that type has arrived: an absence check, made after a barrier such as roundTrip(). */
  none(type: string): void;
  /** A ping answered with a pong on this socket: every frame the server sent before it has arrived. */
  roundTrip(): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** `headers` and `localAddress` (e.g. 127.0.0.2) let tests stand in for distinct clients and spoofed proxies. */
export async function connect(url: string, opts: { origin?: string; headers?: Record<string, string>; localAddress?: string } = {}): Promise<TestClient> {
  const ws = new WebSocket(url, {
    ...(opts.origin ? { origin: opts.origin } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  const frames: Record<string, unknown>[] = [];
  const waiters: { type: string; resolve: (f: any) => void }[] = [];
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as Record<string, unknown>;
    frames.push(f);
    const i = waiters.findIndex((w) => w.type === f.type);
    if (i >= 0) {
      const [w] = waiters.splice(i, 1);
      w!.resolve(f);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const seen = new Set<object>();
  const client: TestClient = {
    ws,
    frames,
    closed,
    send: (f) => ws.send(typeof f === 'string' ? f : JSON.stringify(f)),
    next(type, timeoutMs = FRAME_WAIT_MS) {
      const found = frames.find((f) => f.type === type && !seen.has(f));
      if (found) {
        seen.add(found);
        return Promise.resolve(found as any);
      }
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no "${type}" frame within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(',')}`)), timeoutMs);
        waiters.push({
          type,
          resolve: (f) => {
            clearTimeout(t);
            seen.add(f);
            resolve(f);
          },
        });
      });
    },
    none(type) {
      const f = frames.find((x) => x.type === type && !seen.has(x));
      if (f) throw new Error(`unexpected "${type}" frame`);
    },
    async roundTrip() {
      ws.send(JSON.stringify({ type: 'ping' }));
      await client.next('pong');
    },
    async close() {
      if (ws.readyState === ws.CLOSED) return;
      ws.close();
      // A socket the test made deaf never finishes the closing handshake: cut it.
      const cut = setTimeout(() => ws.terminate(), 500);
      await closed;
      clearTimeout(cut);
    },
  };
  return client;
}
