/**
 * The dependency rule of docs/architecture.md, enforced with dependency-cruiser
 * (.dependency-cruiser.cjs). `npm run check` runs it on the repo; boundaries.test.ts runs it
 * on a fixture tree to prove it catches a forbidden import.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
export const BOUNDARY_CONFIG = resolve(root, '.dependency-cruiser.cjs');
const DEPCRUISE = resolve(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

export interface BoundaryReport {
  ok: boolean;
  output: string;
}

/** Cruises `dirs` (relative to `cwd`, which must hold a tsconfig.json) against the rule. */
export function checkBoundaries(cwd = root, dirs = ['src', 'static', 'scripts']): BoundaryReport {
  const r = spawnSync(process.execPath, [DEPCRUISE, ...dirs, '--config', BOUNDARY_CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}
