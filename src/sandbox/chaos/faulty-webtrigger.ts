/**
 * A proxy in front of the app's webtrigger. It passes every call through until armed; armed,
 * it fails in bursts: of every BURST_EVERY calls, BURST_LENGTH in a row answer 5xx. Half of those fail before the app sees the call (503,
 * as when Forge is overloaded); the other half after the app handled it (502, as when the
 * answer is lost on the way back), the case that would duplicate messages if a retry were
 * not recognised as one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handled, relay } from '../../../scripts/testing/http.js';

const BURST_EVERY = 10;
const BURST_LENGTH = 3;

export interface FaultyWebtrigger {
  url: string;
  /** Calls since armed. */
  counts: { forwarded: number; failedBefore: number; failedAfter: number };
  /** Starts (true) or stops (false) the bursts; counts start from zero. */
  arm(on: boolean): void;
  close(): Promise<void>;
}

export async function startFaultyWebtrigger(target: string): Promise<FaultyWebtrigger> {
  let n = 0;
  let armed = false;
  const counts = { forwarded: 0, failedBefore: 0, failedAfter: 0 };
  const server: Server = createServer(
    handled(async (req, res) => {
      const i = n++;
      const inBurst = armed && i % BURST_EVERY < BURST_LENGTH;
      if (inBurst && i % 2 === 0) {
        counts.failedBefore++;
        for await (const _ of req); // the call arrives whole; only the answer is a failure
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"internal","message":"burst"}}');
        return;
      }
      const answer = await relay(req, target);
      if (armed) counts.forwarded++;
      if (inBurst) {
        counts.failedAfter++;
        res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"code":"internal","message":"burst"}}');
        return;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webtrigger`,
    counts,
    arm(on) {
      armed = on;
      n = 0;
      Object.assign(counts, { forwarded: 0, failedBefore: 0, failedAfter: 0 });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
