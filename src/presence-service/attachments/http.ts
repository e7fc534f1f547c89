import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ServiceError, type ServiceErrorCode } from '../errors.js';
import { discardBody, sendError as sendServiceError } from '../http/body.js';

export const EXPIRED_MESSAGE = 'This file has expired: attachments are kept for 7 days.';

export function sendError(res: ServerResponse, code: ServiceErrorCode, message: string, headers: OutgoingHttpHeaders = {}): void {
  sendServiceError(res, new ServiceError(code, message), headers);
}

/**
 * Answers before the request body was read (auth, size or access refused): closes the
 * connection after the answer, and swallows a bounded amount of what the client is still
 * sending so that it can read the answer instead of seeing a reset mid-upload.
 */
export function refuseUnread(req: IncomingMessage, res: ServerResponse, code: ServiceErrorCode, message: string, headers: OutgoingHttpHeaders = {}): void {
  sendError(res, code, message, { ...headers, Connection: 'close' });
  discardBody(req);
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
