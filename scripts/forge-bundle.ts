/**
 * Would `forge deploy` bundle the app? The Forge CLI bundles each function handler of the
 * manifest (handler paths relative to ./src) for the declared runtime; its bundler package
 * is not among the pinned packages and the CLI needs a login, so this does the same step
 * offline with esbuild in the same mode: every handler file as an entry, Node 22, CommonJS
 * (the app's package.json says "type": "commonjs"), TypeScript sources imported with the
 * ESM `.js` specifiers tsc wants.
 *
 * It fails on what would break the deploy (or the function at run time):
 *  - a specifier that does not resolve;
 *  - a relative import that leaves the app folder (dist/forge-app holds only src/forge and
 *    src/protocol: an import of the presence service or the sandbox is not there);
 *  - a package import that the app's package.json does not list (`npm install` in the app
 *    folder would not install it).
 */
import { builtinModules } from 'node:module';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '..');
/** nodejs22.x in manifest.yml. */
const RUNTIME_TARGET = 'node22';
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx'];

export interface BundleReport {
  /** Handler entry files, relative to the app folder. */
  entries: string[];
  errors: string[];
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec) || builtinModules.includes(spec.split('/')[0]!);

/** Refuses package imports the deployable package.json does not declare. */
function declaredPackagesOnly(deps: ReadonlySet<string>): Plugin {
  return {
    name: 'declared-packages-only',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        // Packages' own imports are their business; the app's must be declared.
        if (args.importer.split(sep).includes('node_modules')) return undefined;
        if (!deps.has(packageName(args.path))) return { errors: [{ text: `"${args.path}" is not a dependency in the app's package.json` }] };
        return undefined;
      });
    },
  };
}

async function handlerEntries(appDir: string): Promise<{ entries: string[]; errors: string[] }> {
  const manifest = parse(await readFile(join(appDir, 'manifest.yml'), 'utf8')) as { modules?: { function?: { key: string; handler: string }[] } };
  const entries: string[] = [];
  const errors: string[] = [];
  for (const f of manifest.modules?.function ?? []) {
    const file = f.handler.slice(0, f.handler.lastIndexOf('.'));
    const found = SOURCE_EXTENSIONS.map((ext) => join(appDir, 'src', file + ext)).find(existsSync);
    if (found) entries.push(found);
    else errors.push(`manifest.yml: function ${f.key}: handler ${f.handler} has no file src/${file}.{ts,js}`);
  }
  return { entries: [...new Set(entries)], errors };
}

export async function checkForgeBundle(appDir: string): Promise<BundleReport> {
  const { entries, errors } = await handlerEntries(appDir);
  const pkg = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const deps = new Set(Object.keys(pkg.dependencies ?? {}));
  const rel = (p: string) => relative(appDir, p) || p;
  if (entries.length === 0) return { entries: [], errors: [...errors, 'no function handlers to bundle'] };
  try {
    const result = await build({
      absWorkingDir: appDir,
      entryPoints: entries,
      outdir: join(appDir, '.bundle-check'),
      write: false,
      bundle: true,
      platform: 'node',
      target: RUNTIME_TARGET,
      format: 'cjs',
      metafile: true,
      logLevel: 'silent',
      // The app's own node_modules after `npm install`, else the repository's (same pins).
      nodePaths: [join(appDir, 'node_modules'), join(root, 'node_modules')],
      plugins: [declaredPackagesOnly(deps)],
    });
    const outside = Object.keys(result.metafile.inputs)
      .map((p) => resolve(appDir, p))
      .filter((p) => !p.split(sep).includes('node_modules') && !p.startsWith(appDir + sep));
    for (const p of outside) errors.push(`${relative(root, p)}: imported by the app but outside the app folder (the deploy would not have it)`);
  } catch (e) {
    const failure = e as { errors?: { text: string; location?: { file: string; line: number } | null }[] };
    for (const m of failure.errors ?? [{ text: String(e) }])
      errors.push(m.location ? `${rel(resolve(appDir, m.location.file))}:${m.location.line}: ${m.text}` : m.text);
  }
  return { entries: entries.map(rel), errors };
}
