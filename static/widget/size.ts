/** Size of what a visitor downloads first: widget.js (JS + inlined CSS), raw and gzip -9. */
import { existsSync, statSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';
import { buildWidget } from '../../scripts/build.js';

/** The budget the tests and `npm run bench` hold the widget to. */
export const WIDGET_GZIP_BUDGET_BYTES = 20 * 1024;

const dir = import.meta.dirname;
const out = join(dir, 'build', 'widget.js');

function newestSource(d: string): number {
  let newest = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds first when the bundle is missing or older than its sources. */
export async function measureWidgetSize(): Promise<{ raw: number; gzip: number }> {
  if (!existsSync(out) || statSync(out).mtimeMs < newestSource(join(dir, 'src'))) await buildWidget();
  const bytes = await readFile(out);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length };
}
