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
