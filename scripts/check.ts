/**
 * npm run check — typecheck + Forge validation + Forge lint, on what would be deployed.
 * Exits non-zero on any error, printing each with its file and line.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { assembleForgeApp, buildCustomUi } from './build.js';
import { forgeLint } from './forge-lint.js';

const root = resolve(import.meta.dirname, '..');
async function main(): Promise<boolean> {
  let failed = false;

  console.log('• typecheck (tsc --noEmit)');
  const tsc = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) failed = true;

  console.log('• build the Forge app folder (dist/forge-app)');
  await Promise.all(['issue-panel', 'dashboard', 'project-settings', 'admin'].map(buildCustomUi));
  const appDir = await assembleForgeApp();

  console.log('• validate manifest and lint (offline @forge/manifest + @forge/lint)');
  const report = await forgeLint(appDir);
  for (const e of report.manifestErrors) console.error(`  error  ${e}`);
  for (const e of report.lintErrors) console.error(`  error  ${e}`);
  for (const w of report.lintWarnings) console.warn(`  warn   ${w}`);
  if (report.manifestErrors.length || report.lintErrors.length) failed = true;
  console.log(`  ${report.manifestErrors.length} manifest error(s), ${report.lintErrors.length} lint error(s), ${report.lintWarnings.length} warning(s)`);

  return failed;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
