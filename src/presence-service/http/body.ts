/** JSON request bodies with a size cap, and JSON responses. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ServiceError } from '../errors.js';

export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new ServiceError('too_large', `body larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new ServiceError('too_large', `body larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return null;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ServiceError('invalid', 'body is not valid JSON');
  }
}

const NO_STORE: OutgoingHttpHeaders = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/** A JSON answer, never cached or sniffed. Once an answer has begun a second head would throw, so the socket is cut instead. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...NO_STORE, ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** An error's answer: its own status and `{ error: { code, message } }`. */
export function sendError(res: ServerResponse, err: ServiceError, headers: OutgoingHttpHeaders = {}): void {
  sendJson(res, err.status, err.toBody(), headers);
}

/** After answering without reading a body, read at most this much more before hanging up. */
export const DRAIN_CAP_BYTES = 1024 * 1024;

/**
 * Swallows a bounded amount of what the client is still sending after an early answer, so
 * it can read the answer instead of seeing a reset mid-upload; past the cap, hangs up.
 */
export function discardBody(req: IncomingMessage): void {
  if (req.readableEnded) return;
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_CAP_BYTES) req.destroy();
  });
  req.on('error', () => {});
  req.resume();
}
