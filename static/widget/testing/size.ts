/** Measurement tooling for size.test.ts and `npm run bench`. Size of what a visitor downloads first: widget.js (JS + inlined CSS), raw and gzip -9. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';
import { BUILT, requireBuilt } from '../../../scripts/testing/built.js';

/**
 * The budget the tests and `npm run bench` hold the widget to: 22 KB since issue 11 (closed-chat
 * view, input limits, file expiry, honest reconnect state), still one small request on a
 * visitor's first page view.
 */
export const WIDGET_GZIP_BUDGET_BYTES = 22 * 1024;

const dir = join(import.meta.dirname, '..');
const out = join(dir, 'build', 'widget.js');

/** The widget as `npm run build` left it (tests never build: scripts/testing/built.ts). */
export function requireWidgetBuilt(): void {
  requireBuilt(...BUILT.widget);
}

/** Of the built widget (`npm run bench` builds it first). */
export async function measureWidgetSize(): Promise<{ raw: number; gzip: number }> {
  requireWidgetBuilt();
  const bytes = await readFile(out);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length };
}
