import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttachmentsContext } from './service.js';
import { handleSignedFile, handleStableLink } from './download.js';
import { corsHeaders, preflight, refuseUnread, sendError } from './http.js';
import { handleUpload } from './upload.js';

const UPLOAD_PATH = '/v1/attachments';
const STABLE_RE = /^\/v1\/attachments\/([^/]+)$/;
const FILE_RE = /^\/v1\/files\/([^/]+)$/;

/** Routes this module answers; anything else returns false so the server can go on. */
export function createRouter(ctx: AttachmentsContext): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === UPLOAD_PATH) {
        if (method === 'OPTIONS') preflight(req, res, 'POST, OPTIONS');
        else if (method === 'POST') await handleUpload(ctx, req, res, url);
        else refuseUnread(req, res, 'method_not_allowed', 'Use POST to upload.', { Allow: 'POST, OPTIONS' });
        return true;
      }
      const stable = STABLE_RE.exec(path);
      if (stable) {
        if (method === 'OPTIONS') preflight(req, res, 'GET, OPTIONS');
        else if (method === 'GET' || method === 'HEAD') await handleStableLink(ctx, req, res, decodeSafe(stable[1]!));
        else refuseUnread(req, res, 'method_not_allowed', 'Use GET.', { Allow: 'GET, HEAD, OPTIONS' });
        return true;
      }
      const file = FILE_RE.exec(path);
      if (file) {
        if (method === 'GET' || method === 'HEAD') await handleSignedFile(ctx, req, res, decodeSafe(file[1]!), url.searchParams);
        else refuseUnread(req, res, 'method_not_allowed', 'Use GET.', { Allow: 'GET, HEAD' });
        return true;
      }
      return false;
    } catch (err) {
      // Storage down or a bug: never crash the server, never echo internals to the client.
      ctx.log('error', 'attachments: request failed', { path: path.replace(/[^/]{16,}$/, ':id'), method, error: (err as Error).name, message: (err as Error).message });
      sendError(res, 'unavailable', 'Attachments are unavailable right now. Please try again.', corsHeaders(req.headers.origin));
      return true;
    }
  };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}
