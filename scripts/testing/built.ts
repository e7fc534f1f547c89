/**
 * Tests use the build `npm test` makes once before any file starts (scripts/build.ts), and
 * never build themselves: builds started by test files running in parallel raced each
 * other. A file run on its own, before any build, fails here with what to do.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** What a test may need from the build, as paths under the repository root. */
export const BUILT = {
  widget: ['static/widget/build/widget.js', 'static/widget/build/demo/index.html'],
  customUi: (ui: string) => [`static/${ui}/build/index.html`, `static/${ui}/build/main.js`],
} as const;

/** Throws, naming what is missing, unless every path (relative to the repository root) exists. */
export function requireBuilt(...paths: string[]): void {
  const missing = paths.filter((p) => !existsSync(join(root, p)));
  if (missing.length) throw new Error(`build output missing (${missing.map((p) => relative(root, join(root, p))).join(', ')}): run npm run build first`);
}
