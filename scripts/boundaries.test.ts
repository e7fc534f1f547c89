import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkBoundaries } from './boundaries.js';

/** A small tree shaped like the repo, written to a scratch folder. */
async function withTree(files: Record<string, string>, run: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'boundaries-'));
  try {
    const all: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true } }),
      'src/protocol/frames.ts': 'export const FRAME = 1;\n',
      'src/sandbox/jsm.ts': 'export const JSM = 1;\n',
      'src/forge/ok.ts': "import { FRAME } from '../protocol/frames.js';\nexport const A = FRAME;\n",
      ...files,
    };
    for (const [p, text] of Object.entries(all)) {
      await mkdir(dirname(join(dir, p)), { recursive: true });
      await writeFile(join(dir, p), text);
    }
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the repo keeps the dependency rule', () => {
  const r = checkBoundaries();
  assert.ok(r.ok, r.output);
  assert.match(r.output, /no dependency violations/);
});

test('a tree that only goes through src/protocol passes', () =>
  withTree({}, (dir) => {
    const r = checkBoundaries(dir, ['src']);
    assert.ok(r.ok, r.output);
  }));

test('production code reaching the sandbox is caught, naming the rule and the import', () =>
  withTree({ 'src/forge/bad.ts': "import { JSM } from '../sandbox/jsm.js';\nexport const B = JSM;\n" }, (dir) => {
    const r = checkBoundaries(dir, ['src']);
    assert.not.ok(r.ok);
    assert.match(r.output, /production-never-reaches-sandbox-or-scripts: src\/forge\/bad\.ts → src\/sandbox\/jsm\.ts/);
  }));

test('a Custom UI importing the Forge app directly (not through src/protocol) is caught, even for a type', () =>
  withTree(
    {
      'src/forge/types.ts': 'export interface Chat { key: string }\n',
      'static/panel/src/main.ts': "import type { Chat } from '../../../src/forge/types.js';\nexport const c: Chat = { key: 'SUP-1' };\n",
    },
    (dir) => {
      const r = checkBoundaries(dir, ['src', 'static']);
      assert.not.ok(r.ok);
      assert.match(r.output, /static-only-through-protocol: static\/panel\/src\/main\.ts → src\/forge\/types\.ts/);
    },
  ));

test('tests may wire the sides together', () =>
  withTree({ 'src/forge/bad.test.ts': "import { JSM } from '../sandbox/jsm.js';\nexport const B = JSM;\n" }, (dir) => {
    const r = checkBoundaries(dir, ['src']);
    assert.ok(r.ok, r.output);
  }));

test.run();
