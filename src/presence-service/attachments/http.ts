import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson } from '../http/body.js';

/** Every error body is `{ error: { code, message } }`: a machine-readable code and a sentence for people. */
export type AttachmentErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'origin_not_allowed'
  | 'invalid'
  | 'not_found'
  | 'method_not_allowed'
  | 'empty'
  | 'too_large'
  | 'unsupported_type'
  | 'expired'
  | 'link_expired'
  | 'bad_signature'
  | 'unavailable'
  | 'internal';

export const EXPIRED_MESSAGE = 'This file has expired: attachments are kept for 7 days.';

/** After answering without reading a body, read at most this much more before hanging up. */
export const DRAIN_CAP_BYTES = 1024 * 1024;

export function sendError(res: ServerResponse, status: number, code: AttachmentErrorCode, message: string, headers: OutgoingHttpHeaders = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

/**
 * Answers before the request body was read (auth, size or access refused): closes the
 * connection after the answer, and swallows a bounded amount of what the client is still
 * sending so that it can read the answer instead of seeing a reset mid-upload.
 */
export function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, code: AttachmentErrorCode, message: string, headers: OutgoingHttpHeaders = {}): void {
  sendError(res, status, code, message, { ...headers, Connection: 'close' });
  discardBody(req);
}

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

/** CORS for the widget's XHR: reflect the origin (the caller decides whether it may). */
export function corsHeaders(origin: string | undefined): OutgoingHttpHeaders {
  return origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' };
}

export function preflight(req: IncomingMessage, res: ServerResponse, methods: string): void {
  const origin = req.headers.origin;
  res.writeHead(204, {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': methods,
    // X-Request-Id: the widget's id for this visit (request-id.ts), matched in logs.
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Request-Id',
    'Access-Control-Max-Age': '600',
    'Content-Length': '0',
  });
  res.end();
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
