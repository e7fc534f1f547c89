/** The widget bundle (static/widget/build, built separately), served at /widget.js and /widget/*. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from '../errors.js';
import type { Route } from './router.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.html': 'text/html; charset=utf-8',
};
const CACHE_SECONDS = 300;

export function widgetRoutes(buildDir: string): Route[] {
  async function serve(req: IncomingMessage, res: ServerResponse, rel: string): Promise<void> {
    const file = normalize(join(buildDir, rel));
    if (!file.startsWith(normalize(buildDir) + sep) || rel.includes('\0')) throw new ServiceError('not_found', 'no such file');
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) {
      const built = await stat(join(buildDir, 'widget.js')).catch(() => null);
      throw new ServiceError(
        'not_found',
        built ? 'no such widget file' : 'the widget is not built: run `npm run build` (expects static/widget/build/widget.js)',
      );
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
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }
  return [
    { method: ['GET', 'HEAD'], path: '/widget.js', handler: (req, res) => serve(req, res, 'widget.js') },
    // The router has percent-decoded the rest of the path; serve() keeps it inside buildDir.
    { method: ['GET', 'HEAD'], path: '/widget/*', handler: (req, res, p) => serve(req, res, p['*'] ?? '') },
  ];
}
