import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assembleForgeApp } from './build.js';
import { checkForgeBundle } from './forge-bundle.js';

const MANIFEST = `modules:
  function:
    - key: fn
      handler: forge/index.handler
app:
  id: ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000001
  runtime:
    name: nodejs22.x
`;

/** A scratch app folder (inside a scratch parent, so "outside the app" exists) with the given sources. */
async function withApp(files: Record<string, string>, run: (dir: string) => Promise<void>): Promise<void> {
  const parent = await mkdtemp(join(tmpdir(), 'forge-bundle-'));
  const dir = join(parent, 'app');
  try {
    const all: Record<string, string> = {
      'manifest.yml': MANIFEST,
      'package.json': JSON.stringify({ name: 'x', type: 'commonjs', dependencies: { '@forge/api': '8.3.0', zod: '4.6.7' } }),
      ...files,
    };
    for (const [p, text] of Object.entries(all)) {
      await mkdir(dirname(join(parent, p.startsWith('../') ? p.slice(3) : join('app', p))), { recursive: true });
      await writeFile(join(parent, p.startsWith('../') ? p.slice(3) : join('app', p)), text);
    }
    await run(dir);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

const GOOD = {
  'src/forge/index.ts':
    "import api, { route } from '@forge/api';\nimport { z } from 'zod';\nimport { twice } from './lib/math.js';\nimport { createHash } from 'node:crypto';\nexport const handler = async () => [twice(2), z.string().parse('x'), typeof api, String(route), createHash('sha256').digest('hex')];\n",
  'src/forge/lib/math.ts': 'export const twice = (n: number) => n * 2;\n',
};

test('bundles each handler like the Forge bundler: TS sources behind .js specifiers, declared packages, Node builtins', async () => {
  await withApp(GOOD, async (dir) => {
    const r = await checkForgeBundle(dir);
    assert.equal(r.errors, []);
    assert.equal(r.entries, ['src/forge/index.ts']);
  });
});

test('a specifier that does not resolve fails, with file and line', async () => {
  await withApp({ ...GOOD, 'src/forge/index.ts': "import { twice } from './lib/maths.js';\nexport const handler = () => twice(1);\n" }, async (dir) => {
    const r = await checkForgeBundle(dir);
    assert.is(r.errors.length, 1);
    assert.match(r.errors[0]!, /^src\/forge\/index\.ts:1: Could not resolve "\.\/lib\/maths\.js"/);
  });
});

test('an import from outside the app folder fails (the deploy would not carry it)', async () => {
  await withApp(
    {
      ...GOOD,
      '../presence-service/secret.ts': 'export const s = 1;\n',
      'src/forge/index.ts': "import { s } from '../../../presence-service/secret.js';\nexport const handler = () => s;\n",
    },
    async (dir) => {
      const r = await checkForgeBundle(dir);
      assert.ok(
        r.errors.some((e) => e.includes('outside the app folder')),
        r.errors.join('\n'),
      );
    },
  );
});

test("a package the app's package.json does not list fails, even when the repository has it installed", async () => {
  await withApp({ ...GOOD, 'src/forge/index.ts': "import { DateTime } from 'luxon';\nexport const handler = () => DateTime.now();\n" }, async (dir) => {
    const r = await checkForgeBundle(dir);
    assert.ok(
      r.errors.some((e) => e.includes('"luxon" is not a dependency')),
      r.errors.join('\n'),
    );
  });
});

test('a handler whose file is missing fails', async () => {
  await withApp({ 'src/forge/other.ts': 'export const x = 1;\n' }, async (dir) => {
    const r = await checkForgeBundle(dir);
    assert.ok(
      r.errors.some((e) => e.includes('handler forge/index.handler has no file')),
      r.errors.join('\n'),
    );
  });
});

test('the real deployable app bundles cleanly', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'forge-bundle-real-'));
  try {
    const dir = await assembleForgeApp('https://chat.acme.test', undefined, {
      out: join(parent, 'forge-app'),
      idFile: join(parent, 'forge-app.id'),
      appIdEnv: undefined,
    });
    const r = await checkForgeBundle(dir);
    assert.equal(r.errors, []);
    assert.ok(r.entries.includes('src/forge/index.ts'));
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test.run();
