/**
 * npm run check — typecheck, ESLint (type-aware), the formatter (Prettier, .prettierrc.json),
 * the dependency rule, and Forge validation + Forge lint on what would be deployed.
 * Exits non-zero on any error, printing each with its file and line.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { assembleForgeApp, buildCustomUi, printAppId } from './build.js';
import { checkBoundaries } from './boundaries.js';
import { checkForgeBundle } from './forge-bundle.js';
import { forgeLint } from './forge-lint.js';

const root = resolve(import.meta.dirname, '..');
/** What the formatter owns: all code. Prose and data (Markdown, JSON, YAML) keep their hand layout. */
export const FORMATTED = ['src/**/*.{ts,tsx,mjs,cjs}', 'static/**/*.{ts,tsx,mjs}', 'scripts/**/*.{ts,mjs,cjs}', '*.{mjs,cjs}', '.dependency-cruiser.cjs'];
async function main(): Promise<boolean> {
  // npm run format: rewrite what the check below would refuse, nothing else.
  if (process.argv.includes('--format')) {
    const write = spawnSync(process.execPath, [resolve(root, 'node_modules/prettier/bin/prettier.cjs'), '--write', '--log-level', 'warn', ...FORMATTED], {
      cwd: root,
      stdio: 'inherit',
    });
    return write.status !== 0;
  }
  let failed = false;

  console.log('• typecheck (tsc --noEmit)');
  const tsc = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) failed = true;

  console.log('• lint (typescript-eslint, type-aware: eslint.config.mjs)');
  const eslint = spawnSync(process.execPath, [resolve(root, 'node_modules/eslint/bin/eslint.js'), 'src', 'static', 'scripts', '--max-warnings', '0'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (eslint.status !== 0) failed = true;
  else console.log('  0 problems');

  console.log('• format (prettier --check; `npm run format` rewrites)');
  const prettier = spawnSync(process.execPath, [resolve(root, 'node_modules/prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', ...FORMATTED], {
    cwd: root,
    stdio: 'inherit',
  });
  if (prettier.status !== 0) failed = true;
  else console.log('  all files formatted');

  console.log('• dependency rule (dependency-cruiser, .dependency-cruiser.cjs)');
  const boundaries = checkBoundaries();
  console.log(
    boundaries.output
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  if (!boundaries.ok) failed = true;

  console.log('• build the Forge app folder (dist/forge-app)');
  await Promise.all(['issue-panel', 'dashboard', 'project-settings', 'admin'].map(buildCustomUi));
  const appDir = await assembleForgeApp(undefined, undefined, { onAppId: (id) => printAppId(id) });
  const manifest = parse(await readFile(resolve(appDir, 'manifest.yml'), 'utf8')) as { permissions?: { scopes?: string[] } };
  // The minimal set: each is needed by a call in src/forge (docs/deployment.md lists which).
  console.log(`  scopes (${manifest.permissions?.scopes?.length ?? 0}): ${(manifest.permissions?.scopes ?? []).join(', ')}`);

  console.log('• validate manifest and lint (offline @forge/manifest + @forge/lint)');
  const report = await forgeLint(appDir);
  for (const e of report.manifestErrors) console.error(`  error  ${e}`);
  for (const e of report.lintErrors) console.error(`  error  ${e}`);
  for (const w of report.lintWarnings) console.warn(`  warn   ${w}`);
  if (report.manifestErrors.length || report.lintErrors.length) failed = true;
  console.log(`  ${report.manifestErrors.length} manifest error(s), ${report.lintErrors.length} lint error(s), ${report.lintWarnings.length} warning(s)`);

  console.log('• bundle the Forge functions offline (esbuild: node22, CommonJS, as forge deploy would)');
  const bundle = await checkForgeBundle(appDir);
  for (const e of bundle.errors) console.error(`  error  ${e}`);
  if (bundle.errors.length) failed = true;
  console.log(`  ${bundle.entries.length} handler file(s), ${bundle.errors.length} error(s)`);

  return failed;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
