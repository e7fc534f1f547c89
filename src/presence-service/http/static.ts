/** The widget bundle (static/widget/build, built separately), served at /widget.js and /widget/*. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from '../errors.js';
import { sendError } from './body.js';
import { decodePathSegment } from './path.js';

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.html': 'text/html; charset=utf-8' };
const CACHE_SECONDS = 300;

export function createWidgetFiles(buildDir: string) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    let rel: string;
    if (path === '/widget.js') rel = 'widget.js';
    else if (path.startsWith('/widget/')) rel = decodePathSegment(path.slice('/widget/'.length)) ?? '\0';
    else return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, new ServiceError('method_not_allowed', 'use GET')), true;
    const file = normalize(join(buildDir, rel));
    if (!file.startsWith(normalize(buildDir) + sep) || rel.includes('\0')) return sendError(res, new ServiceError('not_found', 'no such file')), true;
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) {
      const built = await stat(join(buildDir, 'widget.js')).catch(() => null);
      const message = built ? 'no such widget file' : 'the widget is not built: run `npm run build` (expects static/widget/build/widget.js)';
      return sendError(res, new ServiceError('not_found', message)), true;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': `public, max-age=${CACHE_SECONDS}`,
      'x-content-type-options': 'nosniff',
      // The widget loads on customers' sites.
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
    if (req.method === 'HEAD') return res.end(), true;
    createReadStream(file).pipe(res);
    return true;
  };
}
