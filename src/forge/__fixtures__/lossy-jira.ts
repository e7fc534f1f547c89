/**
 * A proxy between the local Forge host and the JSM stand-in that can lose Jira's answer to
 * a write that Jira has already done: the request goes through, the app is told 502 (a
 * gateway between the app and Jira failing on the way back). Jira has no idempotency key
 * on comment creation, so this is the case a retry must not turn into a second comment.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handled } from '../../../scripts/testing/http.js';

export interface LossyJira {
  url: string;
  /** The next request `matches` accepts reaches Jira, and its answer is replaced by a 502. */
  loseNextAnswer(matches: (method: string, path: string) => boolean): Promise<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startLossyJira(target: string): Promise<LossyJira> {
  let armed: { matches: (method: string, path: string) => boolean; lost: (r: { method: string; path: string; status: number }) => void } | null = null;
  const server: Server = createServer(
    handled(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers[k] = v;
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const answer = await fetch(new URL(path, target), { method, headers, ...(body ? { body } : {}) });
      const text = await answer.arrayBuffer();
      const lose = armed?.matches(method, path) ? armed : null;
      if (lose) {
        armed = null;
        lose.lost({ method, path, status: answer.status });
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
        return;
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
      });
      res.writeHead(answer.status, out).end(Buffer.from(text));
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loseNextAnswer: (matches) => new Promise((lost) => (armed = { matches, lost })),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
