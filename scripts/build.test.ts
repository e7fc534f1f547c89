import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assembleForgeApp } from './build.js';

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
  assert.equal(Object.keys(pkg.dependencies).sort(), ['@forge/api', '@forge/bridge', '@forge/kvs', '@forge/resolver', 'zod']);
});

test.run();
