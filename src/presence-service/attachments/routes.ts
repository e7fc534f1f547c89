import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../errors.js';
import type { Route, RouteHandler } from '../http/router.js';
import { handleSignedFile, handleStableLink } from './download.js';
import { corsHeaders, preflight } from './http.js';
import type { AttachmentsContext } from './service.js';
import { handleUpload } from './upload.js';

const UPLOAD_PATH = '/v1/attachments';

/**
 * This module's routes, for the service's router (http/router.ts), which answers what
 * they throw and the 405s (with Allow) for other methods on these paths.
 */
export function attachmentRoutes(ctx: AttachmentsContext): Route[] {
  const guarded =
    (h: RouteHandler): RouteHandler =>
    async (req, res, params) => {
      try {
        await h(req, res, params);
      } catch (err) {
        if (err instanceof ServiceError) throw err;
        // Storage down or a bug: an outage to the client (with CORS, so the widget can read it), details only in the log.
        const path = (req.url ?? '').split('?')[0]!.replace(/[^/]{16,}$/, ':id');
        ctx.log('error', 'attachments: request failed', { path, method: req.method, error: (err as Error).name, message: (err as Error).message });
        throw new ServiceError('unavailable', 'Attachments are unavailable right now. Please try again.', true, corsHeaders(req.headers.origin));
      }
    };
  return [
    { method: 'OPTIONS', path: UPLOAD_PATH, handler: (req, res) => preflight(req, res, 'POST, OPTIONS') },
    { method: 'POST', path: UPLOAD_PATH, handler: guarded((req, res) => handleUpload(ctx, req, res, query(req))) },
    { method: 'OPTIONS', path: `${UPLOAD_PATH}/:id`, handler: (req, res) => preflight(req, res, 'GET, OPTIONS') },
    { method: ['GET', 'HEAD'], path: `${UPLOAD_PATH}/:id`, handler: guarded((req, res, p) => handleStableLink(ctx, req, res, p.id ?? '')) },
    { method: ['GET', 'HEAD'], path: '/v1/files/:id', handler: guarded((req, res, p) => handleSignedFile(ctx, req, res, p.id ?? '', query(req))) },
  ];
}

function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}
