import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgeLint } from './forge-lint.js';

async function fixtureApp(scopes: string[], manifestExtra = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'forge-lint-'));
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(
    join(dir, 'manifest.yml'),
    `modules:\n  trigger:\n    - key: t\n      function: fn\n      events: [avi:jira:commented:issue]\n  function:\n    - key: fn\n      handler: index.run\n${manifestExtra}permissions:\n  scopes:\n${scopes.map((s) => `    - ${s}\n`).join('')}app:\n  id: ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000001\n  runtime:\n    name: nodejs22.x\n`,
  );
  await writeFile(
    join(dir, 'src', 'index.ts'),
    "import api, { route } from '@forge/api';\nexport async function run(e: { issue: { key: string } }) {\n  await api.asApp().requestJira(route`/rest/api/3/issue/${e.issue.key}/comment`, { method: 'POST', body: '{}' });\n}\n",
  );
  return dir;
}

test('reports a product call whose scope the manifest does not declare', async () => {
  const dir = await fixtureApp(['read:jira-work']);
  try {
    const r = await forgeLint(dir);
    assert.equal(r.manifestErrors, []);
    assert.ok(
      r.lintErrors.some((e) => e.includes('write:jira-work')),
      r.lintErrors.join('\n'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('passes the same call once the scope is declared', async () => {
  const dir = await fixtureApp(['read:jira-work', 'write:jira-work']);
  try {
    const r = await forgeLint(dir);
    assert.equal(r.manifestErrors, []);
    assert.equal(r.lintErrors, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('fails validation of a manifest with an unknown property', async () => {
  const dir = await fixtureApp(['read:jira-work'], 'bogus: true\n');
  try {
    const r = await forgeLint(dir);
    assert.ok(r.manifestErrors.length > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
