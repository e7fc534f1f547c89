import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import type { ResolvedAppId } from './app-id.js';
import { assembleForgeApp, intoFolder } from './build.js';

const REGISTERED = 'ari:cloud:ecosystem::app/4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const OTHER = 'ari:cloud:ecosystem::app/9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4';

/** A private output folder and id file, so the tests never touch the developer's own. */
async function withScratch(run: (s: { out: string; idFile: string }) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'forge-app-build-'));
  try {
    await run({ out: join(dir, 'forge-app'), idFile: join(dir, 'forge-app.id') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, Error, 'expected a failure');
  assert.match((err as Error).message, pattern);
}

const appIdOf = async (out: string): Promise<string> => parse(await readFile(join(out, 'manifest.yml'), 'utf8')).app.id;

/** What `forge register` does in dist/forge-app: writes the new app's id into its manifest. */
async function forgeRegister(out: string, ari: string): Promise<void> {
  const doc = parseDocument(await readFile(join(out, 'manifest.yml'), 'utf8'));
  doc.setIn(['app', 'id'], ari);
  await writeFile(join(out, 'manifest.yml'), doc.toString());
}

test('the deployable app points its remote and image permissions at the configured presence service', async () => {
  const dir = await assembleForgeApp('https://chat.acme.test/some/path', 'https://bucket.s3.eu-central-1.amazonaws.com');
  const manifest = parse(await readFile(join(dir, 'manifest.yml'), 'utf8'));
  assert.is(manifest.remotes[0].baseUrl, 'https://chat.acme.test');
  assert.equal(manifest.permissions.external.images, [{ address: 'https://chat.acme.test' }, { address: 'https://bucket.s3.eu-central-1.amazonaws.com' }]);
});

test('the deployable app holds only Forge code and the shared protocol, never the presence service or the sandbox', async () => {
  const dir = await assembleForgeApp('https://chat.acme.test');
  assert.ok(existsSync(join(dir, 'src/forge/index.ts')));
  assert.ok(existsSync(join(dir, 'src/protocol/index.ts')));
  assert.not.ok(existsSync(join(dir, 'src/presence-service')));
  assert.not.ok(existsSync(join(dir, 'src/sandbox')));
  assert.not.ok(existsSync(join(dir, 'src/forge/__fixtures__')));
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  assert.equal(Object.keys(pkg.dependencies).sort(), [
    '@forge/api',
    '@forge/bridge',
    '@forge/events',
    '@forge/kvs',
    '@forge/resolver',
    '@google-cloud/bigquery',
    'jose',
    'zod',
  ]);
});

test('build, forge register, build again, build again: the registered app id stays, and survives rm -rf dist', async () => {
  await withScratch(async ({ out, idFile }) => {
    const seen: ResolvedAppId[] = [];
    const build = () => assembleForgeApp('https://chat.acme.test', undefined, { out, idFile, appIdEnv: undefined, onAppId: (id) => seen.push(id) });
    await build();
    assert.is(seen[0]?.source, 'placeholder');
    await forgeRegister(out, REGISTERED);
    await mkdir(join(out, 'node_modules', '@forge', 'api'), { recursive: true }); // what `npm install` left there
    await build();
    assert.is(await appIdOf(out), REGISTERED);
    assert.equal([seen[1]?.source, seen[1]?.saved], ['forge register', true]);
    assert.is((await readFile(idFile, 'utf8')).trim(), REGISTERED);
    assert.ok(existsSync(join(out, 'node_modules', '@forge', 'api')), 'a rebuild keeps the installed node_modules');
    await build();
    assert.is(await appIdOf(out), REGISTERED);
    assert.is(seen[2]?.source, 'forge-app.id');
    await rm(out, { recursive: true, force: true });
    await build();
    assert.is(await appIdOf(out), REGISTERED, 'the id file carries it after dist/ is gone');
  });
});

test('FORGE_APP_ID wins (uuid or ARI) and never rewrites forge-app.id', async () => {
  await withScratch(async ({ out, idFile }) => {
    await writeFile(idFile, REGISTERED + '\n');
    await assembleForgeApp('https://chat.acme.test', undefined, { out, idFile, appIdEnv: OTHER.split('/')[1] });
    assert.is(await appIdOf(out), OTHER);
    assert.is((await readFile(idFile, 'utf8')).trim(), REGISTERED);
    await rejects(assembleForgeApp('https://chat.acme.test', undefined, { out, idFile, appIdEnv: 'not-an-id' }), /FORGE_APP_ID.*not a Forge app id/);
  });
});

test('a second forge register that disagrees with forge-app.id stops the build instead of guessing', async () => {
  await withScratch(async ({ out, idFile }) => {
    await writeFile(idFile, REGISTERED + '\n');
    await assembleForgeApp('https://chat.acme.test', undefined, { out, idFile, appIdEnv: undefined });
    await forgeRegister(out, OTHER);
    await rejects(assembleForgeApp('https://chat.acme.test', undefined, { out, idFile, appIdEnv: undefined }), /registered as .*9e8d7c6b.*forge-app\.id/);
    assert.is(await appIdOf(out), OTHER, 'the failed build left the folder as it was');
  });
});

test('a rebuild never hides a built file: a reader polling through twenty rebuilds always finds it, and stale files go', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'into-folder-'));
  const final = join(dir, 'build');
  try {
    await intoFolder(final, async (out) => {
      await writeFile(join(out, 'widget.js'), 'v0');
      await writeFile(join(out, 'stale.js'), 'old');
    });
    // A real concurrent reader (a thread), as a browser test loading the file is.
    const reader = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const { readFileSync } = require('node:fs');
       let reads = 0, misses = 0, stop = false;
       parentPort.on('message', () => { stop = true; });
       parentPort.postMessage('ready');
       (function loop() {
         for (let i = 0; i < 200; i++) { try { readFileSync(workerData); reads++; } catch { misses++; } }
         if (stop) parentPort.postMessage({ reads, misses }); else setImmediate(loop);
       })();`,
      { eval: true, workerData: join(final, 'widget.js') },
    );
    await new Promise((r) => reader.once('message', r));
    const result = new Promise<{ reads: number; misses: number }>((r) => reader.once('message', r));
    for (let v = 1; v <= 20; v++) {
      await intoFolder(final, async (out) => {
        await mkdir(join(out, 'demo'), { recursive: true });
        await writeFile(join(out, 'demo', 'index.html'), `<p>${v}</p>`);
        await writeFile(join(out, 'widget.js'), `v${v}`);
      });
    }
    reader.postMessage('stop');
    const { reads, misses } = await result;
    await reader.terminate();
    assert.is(misses, 0, 'widget.js was missing during a rebuild');
    assert.ok(reads > 0);
    assert.is(await readFile(join(final, 'widget.js'), 'utf8'), 'v20');
    assert.equal((await readdir(final)).sort(), ['demo', 'widget.js']);
    assert.equal((await readdir(dir)).sort(), ['build'], 'no temporary folders left behind');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
