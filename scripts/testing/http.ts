/**
 * For the local fakes and stand-in servers: an async request handler whose failure answers
 * 500 with the reason instead of becoming an unhandled rejection that ends the process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function handled(fn: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    fn(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake server failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
}

/** Headers that belong to one connection, not to the request a proxy passes on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export interface Relayed {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * For the local fault-injecting proxies: reads `req` whole, sends it on to `url` (method,
 * end-to-end headers, body) and returns the answer, read whole, with its end-to-end headers.
 */
export async function relay(req: IncomingMessage, url: string | URL): Promise<Relayed> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers[k] = v;
  const answer = await fetch(url, { method: req.method ?? 'GET', headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
  const out: Record<string, string> = {};
  // fetch has already decoded the body: its content-encoding no longer describes it.
  answer.headers.forEach((v, k) => {
    if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
  });
  return { status: answer.status, headers: out, body: Buffer.from(await answer.arrayBuffer()) };
}
