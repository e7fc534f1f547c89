/**
 * npm run build — everything that ships:
 *  1. the Custom UIs (static/<ui>/src/main.tsx -> static/<ui>/build/)
 *  2. the widget (static/widget/src/loader.ts -> static/widget/build/widget.js, one file)
 *  3. the presence service bundle (dist/presence-service/main.mjs)
 *  4. a deployable Forge app folder (dist/forge-app): manifest with the remote filled in,
 *     src/ with only the Forge code and the shared protocol module, the UI builds,
 *     package.json. `forge deploy` runs there, never in the repo root, because the
 *     forge CLI lints and bundles every file under ./src (see design brief).
 */
import { build, type BuildOptions } from 'esbuild';
import { cp, mkdir, readFile, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { APP_ID_FILE, resolveAppId, type ResolvedAppId } from './app-id.js';

const root = resolve(import.meta.dirname, '..');
const CUSTOM_UIS = ['issue-panel', 'dashboard', 'project-settings', 'admin'] as const;

const common: BuildOptions = {
  bundle: true,
  minify: process.env.NODE_ENV !== 'development',
  sourcemap: false,
  logLevel: 'warning',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
};

/**
 * Builds into a fresh folder, then moves it into place file by file. A rename over an
 * existing file is atomic, so a running sandbox, a browser test or a second build in
 * another process (`npm start` inside a test rebuilds while widget tests load
 * build/widget.js) always reads either the old file or the new one: the folder is never
 * missing, empty or half-written. Swapping the whole folder left a window without it.
 */
export async function intoFolder(final: string, write: (out: string) => Promise<void>): Promise<void> {
  const fresh = `${final}.tmp-${randomBytes(4).toString('hex')}`;
  await mkdir(fresh, { recursive: true });
  try {
    await write(fresh);
    await moveInto(fresh, final);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

/** Moves every file of `from` over its twin in `to`, then drops what the new build no longer has. */
async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  for (const e of entries) {
    const target = join(to, e.name);
    if (e.isDirectory()) {
      if (existsSync(target) && !(await stat(target)).isDirectory()) await rm(target, { force: true });
      await moveInto(join(from, e.name), target);
    } else {
      if (existsSync(target) && (await stat(target)).isDirectory()) await rm(target, { recursive: true, force: true });
      await rename(join(from, e.name), target);
    }
  }
  const kept = new Set(entries.map((e) => e.name));
  for (const name of await readdir(to)) if (!kept.has(name)) await rm(join(to, name), { recursive: true, force: true });
}

export async function buildCustomUi(name: string): Promise<void> {
  const dir = join(root, 'static', name);
  await intoFolder(join(dir, 'build'), (out) => writeCustomUi(dir, name, out));
}

async function writeCustomUi(dir: string, name: string, out: string): Promise<void> {
  const entry = ['src/main.tsx', 'src/main.ts'].map((f) => join(dir, f)).find(existsSync);
  if (!entry) {
    await writeFile(join(out, 'index.html'), `<!doctype html><p>${name} is not built yet.</p>\n`);
    return;
  }
  await build({ ...common, entryPoints: { main: entry }, outdir: out, format: 'iife', target: ['es2020'], platform: 'browser', loader: { '.svg': 'text' } });
  const template = existsSync(join(dir, 'index.html'))
    ? await readFile(join(dir, 'index.html'), 'utf8')
    : '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><div id="root"></div></body></html>';
  const css = existsSync(join(out, 'main.css')) ? '<link rel="stylesheet" href="./main.css">' : '';
  await writeFile(join(out, 'index.html'), template.replace('</head>', `${css}<script defer src="./main.js"></script></head>`));
}

/**
 * The browsers the widget runs in: ES2020 (Chrome/Edge 80, Firefox 74, Safari 13.1, all
 * from early 2020). It already used ES2019 APIs (Object.fromEntries); ES2020 syntax (`?.`,
 * `??`) kept as written is ~430 bytes gzipped smaller than its down-levelled form.
 */
export const WIDGET_TARGET = 'es2020';
/**
 * Class fields as plain assignments in the constructor: ES2020 has no class fields, and the
 * defineProperty helper esbuild otherwise emits for each one costs ~200 bytes gzipped. The
 * widget's classes have no accessors a define would bypass.
 */
export const WIDGET_TSCONFIG = { compilerOptions: { useDefineForClassFields: false } };

export async function buildWidget(): Promise<void> {
  const dir = join(root, 'static', 'widget');
  await intoFolder(join(dir, 'build'), (out) => writeWidget(dir, out));
}

async function writeWidget(dir: string, out: string): Promise<void> {
  const entry = join(dir, 'src', 'loader.ts');
  if (!existsSync(entry)) return;
  await build({
    ...common,
    entryPoints: [entry],
    outfile: join(out, 'widget.js'),
    format: 'iife',
    target: [WIDGET_TARGET],
    tsconfigRaw: WIDGET_TSCONFIG,
    platform: 'browser',
    loader: { '.css': 'text', '.svg': 'text' },
  });
  if (existsSync(join(dir, 'demo'))) await cp(join(dir, 'demo'), join(out, 'demo'), { recursive: true });
}

export async function buildPresenceService(): Promise<void> {
  const entry = join(root, 'src', 'presence-service', 'main.ts');
  if (!existsSync(entry)) return;
  await build({
    ...common,
    minify: false,
    entryPoints: [entry],
    outfile: join(root, 'dist', 'presence-service', 'main.mjs'),
    format: 'esm',
    platform: 'node',
    target: ['node20'],
    packages: 'external',
  });
}

/** What `npm install` / `forge register` leave in dist/forge-app that a rebuild keeps. */
const KEPT_IN_APP_DIR = new Set(['node_modules', 'package-lock.json']);

export interface AssembleOptions {
  /** Output folder; dist/forge-app by default. */
  out?: string;
  /** Where the registered app id is kept (see scripts/app-id.ts); `forge-app.id` by default. */
  idFile?: string;
  /** FORGE_APP_ID; the environment's by default. */
  appIdEnv?: string;
  /** Told which app id the folder carries and where it came from. */
  onAppId?: (id: ResolvedAppId) => void;
}

/** Copy what `forge deploy` needs, and only that, into dist/forge-app. */
export async function assembleForgeApp(
  presenceUrl = process.env.PRESENCE_PUBLIC_URL,
  imageOrigins = process.env.IMAGE_ORIGINS,
  opts: AssembleOptions = {},
): Promise<string> {
  const out = opts.out ?? join(root, 'dist', 'forge-app');
  const doc = parseDocument(await readFile(join(root, 'manifest.yml'), 'utf8'));
  // Before the folder is emptied: `forge register` wrote the app's id into its manifest.
  const appId = await resolveAppId({
    env: 'appIdEnv' in opts ? opts.appIdEnv : process.env.FORGE_APP_ID,
    idFile: opts.idFile ?? join(root, APP_ID_FILE),
    previousManifest: join(out, 'manifest.yml'),
    placeholder: String(doc.getIn(['app', 'id'])),
  });
  doc.setIn(['app', 'id'], appId.ari);
  opts.onAppId?.(appId);
  await mkdir(out, { recursive: true });
  for (const e of await readdir(out)) if (!KEPT_IN_APP_DIR.has(e)) await rm(join(out, e), { recursive: true, force: true });
  await mkdir(join(out, 'src'), { recursive: true });
  await cp(join(root, 'src', 'forge'), join(out, 'src', 'forge'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') && !p.includes('__fixtures__') });
  await cp(join(root, 'src', 'protocol'), join(out, 'src', 'protocol'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  for (const ui of CUSTOM_UIS) {
    const b = join(root, 'static', ui, 'build');
    if (existsSync(b)) await cp(b, join(out, 'static', ui, 'build'), { recursive: true });
  }
  if (presenceUrl) {
    const u = new URL(presenceUrl);
    const remotes = doc.get('remotes') as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
    for (const r of remotes.items) if (r.get('key') === 'presence') r.set('baseUrl', u.origin);
    // Attachment previews load from the service itself, or from S3 when presigned there.
    const extra = (imageOrigins ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o) => new URL(o).origin);
    doc.setIn(
      ['permissions', 'external', 'images'],
      [...new Set([u.origin, ...extra])].map((address) => ({ address })),
    );
  }
  await writeFile(join(out, 'manifest.yml'), doc.toString());
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  // jose and @google-cloud/bigquery: the analytics sinks (src/forge/analytics).
  const forgeDeps = ['@forge/api', '@forge/events', '@forge/resolver', '@forge/kvs', '@forge/bridge', 'zod', 'jose', '@google-cloud/bigquery'];
  const deps = Object.fromEntries(forgeDeps.map((d) => [d, pkg.dependencies[d]]));
  await writeFile(
    join(out, 'package.json'),
    JSON.stringify({ name: 'jsm-chat-forge-app', version: pkg.version, private: true, type: 'commonjs', dependencies: deps }, null, 2) + '\n',
  );
  await writeFile(
    join(out, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true, jsx: 'react-jsx', types: [] },
        include: ['src'],
      },
      null,
      2,
    ) + '\n',
  );
  return out;
}

export function printAppId(id: ResolvedAppId): void {
  if (id.source === 'placeholder') {
    console.log(`forge app id: placeholder ${id.ari}; run \`forge register\` in dist/forge-app, then build again (see docs/deployment.md)`);
  } else {
    console.log(
      `forge app id: ${id.ari} (from ${id.source}${id.saved ? `, saved to ${APP_ID_FILE}` : ''}); the presence service's FORGE_APP_IDS must list ${id.uuid}`,
    );
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const t0 = Date.now();
  if (!only || only === 'ui') await Promise.all(CUSTOM_UIS.map(buildCustomUi));
  if (!only || only === 'widget') await buildWidget();
  if (!only || only === 'presence') await buildPresenceService();
  if (!only || only === 'forge') await assembleForgeApp(undefined, undefined, { onAppId: printAppId });
  const built = (await readdir(join(root, 'static'))).filter((d) => existsSync(join(root, 'static', d, 'build')));
  console.log(`built ${built.join(', ')}${existsSync(join(root, 'dist')) ? ', dist/' : ''} in ${Date.now() - t0} ms`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/build.ts')) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
