/**
 * Validates and lints the assembled Forge app (dist/forge-app) without a network:
 * @forge/manifest's validate() and @forge/lint's client-side linters, with the permission
 * linter reading local OpenAPI files instead of downloading Atlassian's (design brief).
 * The forge CLI itself needs a login; these packages do not.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export interface ForgeLintReport {
  manifestErrors: string[];
  lintErrors: string[];
  lintWarnings: string[];
}

async function listSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listSources(p)));
    else if (/\.(ts|tsx|js|jsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** A feature-flag stub: every gate off, no dynamic config, no deprecated runtimes. */
const statsig = new Proxy(
  {},
  { get: (_t, name) => async () => (name === 'getDeprecatedRuntimes' || name === 'getHints' ? [] : name === 'checkGate' ? false : null) },
);

export async function forgeLint(appDir: string): Promise<ForgeLintReport> {
  const empty = join(root, 'specs', 'empty.openapi.json');
  Object.assign(process.env, {
    USE_LOCAL_SWAGGER: '1',
    LOCAL_JIRA_SWAGGER: join(root, 'specs', 'jira-platform-rest-v3.openapi.json'),
    LOCAL_JSM_SWAGGER: empty,
    LOCAL_JSW_SWAGGER: empty,
    LOCAL_CONF_SWAGGER: empty,
    LOCAL_CONF_V2_SWAGGER: empty,
    LOCAL_BB_SWAGGER: empty,
  });
  const { validate } = await import('@forge/manifest');
  const { lint } = await import('@forge/lint');
  const cwd = process.cwd();
  process.chdir(appDir); // handler paths and resource paths are relative to the app folder
  try {
    const result = await validate(false, 'manifest.yml');
    const manifestErrors = (result.errors ?? []).map((e) => `manifest.yml:${e.line}: ${e.message}`);
    if (!result.success || !result.manifestObject) return { manifestErrors, lintErrors: [], lintWarnings: [] };
    const files = await listSources(join(appDir, 'src'));
    const logger = { info: () => undefined };
    const results = await lint(files, result.manifestObject.typedContent as never, 'development', logger as never, statsig as never, {
      linter: { mode: 'client-side' },
    });
    const fmt = (file: string, r: { message: string; line: number; reference: string }) =>
      `${file.replace(appDir + '/', '')}:${r.line}: ${r.message} (${r.reference})`;
    return {
      manifestErrors,
      lintErrors: results.flatMap((r) => r.errors.map((e) => fmt(r.file, e))),
      lintWarnings: results.flatMap((r) => r.warnings.map((e) => fmt(r.file, e))),
    };
  } finally {
    process.chdir(cwd);
  }
}
