import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ServiceError, type ServiceErrorCode } from '../errors.js';

export const EXPIRED_MESSAGE = 'This file has expired: attachments are kept for 7 days.';

/**
 * A refusal for the router's error boundary to answer: its status from its code
 * (errors.ts), `{ error: { code, message } }`, these headers (CORS, WWW-Authenticate).
 * Thrown before the body was read, the boundary also closes the connection after
 * reading a bounded rest of it.
 */
export function refusal(code: ServiceErrorCode, message: string, headers: OutgoingHttpHeaders = {}): ServiceError {
  return new ServiceError(code, message, undefined, headers);
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
