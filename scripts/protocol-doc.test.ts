import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { generate, render } from './protocol-doc.js';

test('docs/protocol.md carries the reference generated from the current schemas', async () => {
  const doc = await readFile(resolve(import.meta.dirname, '../docs/protocol.md'), 'utf8');
  const generated = generate();
  assert.ok(doc.endsWith(generated), 'docs/protocol.md is stale: run `npx tsx scripts/protocol-doc.ts`');
});

test('renders optional fields, literals and constraints', () => {
  const out = render({ type: 'object', properties: { type: { const: 'ping' }, n: { type: 'integer', maximum: 5 } }, required: ['type'] });
  assert.equal(out, '{\n  type: "ping"\n  n?: number  // <= 5\n}');
});

test.run();
