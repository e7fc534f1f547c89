/**
 * The runner cannot be fooled: each fixture in scripts/testing/fixtures/runner is a way a
 * file could look green under plain uvu, run here through the same runFile as `npm test`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { runFile, type FileResult } from './test.js';

const FIXTURES = resolve(import.meta.dirname, 'testing', 'fixtures', 'runner');
const run = (name: string): Promise<FileResult> => runFile(join(FIXTURES, `${name}.test.ts`));

test('an honest file passes', async () => {
  const r = await run('pass');
  assert.ok(r.ok, r.output);
  assert.is(r.passed, 1);
  assert.equal(r.problems, []);
});

test('a leftover .only fails the file, and the tests it hid are not counted as skipped', async () => {
  const r = await run('only');
  assert.not.ok(r.ok);
  assert.match(r.problems.join('\n'), /uses \.only/);
  assert.is(r.skipped, 0);
});

test('a file that never calls .run() ran zero tests and fails', async () => {
  const r = await run('zero');
  assert.not.ok(r.ok);
  assert.match(r.problems.join('\n'), /ran zero tests of the 1 it registered/);
});

test('a throwing before hook fails the file and its message is shown', async () => {
  const r = await run('hook');
  assert.not.ok(r.ok);
  assert.match(r.problems.join('\n'), /a hook threw: before hook of the file/);
  assert.match(r.output, /the fixture database would not start/);
  assert.ok(r.failed >= 1);
});

test('a file that crashes says how many tests it held and counts them failed', async () => {
  const r = await run('crash');
  assert.not.ok(r.ok);
  assert.match(r.problems.join('\n'), /crashed \(exit 3\).*held 3 test/);
  assert.is(r.failed, 3);
});

test('a skipped test passes the file but is listed with its reason', async () => {
  const r = await run('skip');
  assert.ok(r.ok, r.output);
  assert.is(r.skipped, 1);
  assert.equal(r.skips, ['needs a GPU: there is none on these machines']);
});

test.run();
