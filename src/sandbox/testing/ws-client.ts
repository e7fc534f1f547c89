/**
 * A test-side socket client that records every frame and lets a test wait for the next
 * frame matching a predicate (with a deadline, so a lost message fails the test instead
 * of hanging it).
 */
import WebSocket from 'ws';

export interface RecordingSocket {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  send(frame: object): void;
  next<T = Record<string, unknown>>(match: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function connect(url: string, headers: Record<string, string> = {}): Promise<RecordingSocket> {
  const ws = new WebSocket(url, { headers });
  const frames: Record<string, unknown>[] = [];
  const waiters: { match: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void; from: number }[] = [];
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as Record<string, unknown>;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.match(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  return {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    next: <T>(match: (f: Record<string, unknown>) => boolean, timeoutMs = 10_000) =>
      new Promise<T>((resolve, reject) => {
        const seen = frames.find(match);
        if (seen) {
          frames.splice(frames.indexOf(seen), 1);
          return resolve(seen as T);
        }
        const timer = setTimeout(
          () => reject(new Error(`no matching frame within ${timeoutMs} ms; got: ${JSON.stringify(frames.map((f) => f.type))}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          from: frames.length,
          resolve: (f) => {
            clearTimeout(timer);
            frames.splice(frames.indexOf(f), 1);
            resolve(f as T);
          },
        });
      }),
    close: () =>
      new Promise<void>((ok) => {
        if (ws.readyState === WebSocket.CLOSED) return ok();
        ws.once('close', () => ok());
        ws.close();
      }),
  };
}
