import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROUTES } from './server.js';

/** Atlassian's OpenAPI description, kept in the repository's specs/ folder. */
const SPEC = join(__dirname, '../../../specs/jira-platform-rest-v3.openapi.json');

/** Paths that exist on Jira but are outside (or newer than) the stored v3 description. */
const OUTSIDE_V3 = new Set(['/_edge/tenant_info', '/rest/api/2/issue/{}/comment', '/rest/api/2/issue/{}/comment/{}', '/rest/api/3/search/jql']);

const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z]+/g, '{}');

test('every platform route is an operation of the Jira Cloud v3 OpenAPI description', () => {
  const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const ops = new Set<string>();
  for (const [path, item] of Object.entries(spec.paths)) for (const m of Object.keys(item)) ops.add(`${m.toUpperCase()} ${shape(path)}`);
  const platform = ROUTES.filter((r) => r.dialect === 'platform' && !OUTSIDE_V3.has(shape(r.path)));
  assert.ok(platform.length > 20);
  const missing = platform.map((r) => `${r.method} ${shape(r.path)}`).filter((op) => !ops.has(op));
  assert.equal(missing, []);
});

test.run();
