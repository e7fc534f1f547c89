/** Measurement tooling for size.test.ts and `npm run bench`. Size of what a visitor downloads first: widget.js (JS + inlined CSS), raw and gzip -9. */
import { existsSync, statSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';
import { buildWidget } from '../../../scripts/build.js';

/**
 * The budget the tests and `npm run bench` hold the widget to: 22 KB since issue 11 (closed-chat
 * view, input limits, file expiry, honest reconnect state), still one small request on a
 * visitor's first page view.
 */
export const WIDGET_GZIP_BUDGET_BYTES = 22 * 1024;

const dir = join(import.meta.dirname, '..');
const out = join(dir, 'build', 'widget.js');

function newestSource(d: string): number {
  let newest = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Build only when the bundle is missing or older than its sources (`npm test` builds first). */
export async function ensureWidgetBuilt(): Promise<void> {
  const newest = Math.max(newestSource(join(dir, 'src')), newestSource(join(dir, 'demo')));
  if (!existsSync(out) || !existsSync(join(dir, 'build', 'demo')) || statSync(out).mtimeMs < newest) await buildWidget();
}

/** Builds first if needed (see ensureWidgetBuilt). */
export async function measureWidgetSize(): Promise<{ raw: number; gzip: number }> {
  await ensureWidgetBuilt();
  const bytes = await readFile(out);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length };
}
