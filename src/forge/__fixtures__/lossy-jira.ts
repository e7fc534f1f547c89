/**
 * A proxy between the local Forge host and the JSM stand-in that can lose Jira's answer to
 * a write that Jira has already done: the request goes through, the app is told 502 (a
 * gateway between the app and Jira failing on the way back). Jira has no idempotency key
 * on comment creation, so this is the case a retry must not turn into a second comment.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handled, relay } from '../../../scripts/testing/http.js';

export interface LossyJira {
  url: string;
  /** The next request `matches` accepts reaches Jira, and its answer is replaced by a 502. */
  loseNextAnswer(matches: (method: string, path: string) => boolean): Promise<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

export async function startLossyJira(target: string): Promise<LossyJira> {
  let armed: { matches: (method: string, path: string) => boolean; lost: (r: { method: string; path: string; status: number }) => void } | null = null;
  const server: Server = createServer(
    handled(async (req, res) => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const answer = await relay(req, new URL(path, target));
      const lose = armed?.matches(method, path) ? armed : null;
      if (lose) {
        armed = null;
        lose.lost({ method, path, status: answer.status });
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
        return;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
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
