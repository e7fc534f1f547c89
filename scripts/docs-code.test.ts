/**
 * The docs name what the code does: every environment variable in the README's
 * configuration tables is read by the presence service and every one it reads is in those
 * tables; the close codes docs/protocol.md lists are the ones the service sends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as connection from '../src/presence-service/ws/connection.js';

const root = resolve(import.meta.dirname, '..');
const SERVICE = join(root, 'src', 'presence-service');
/** Test tooling inside the service folder reads no deployment settings. */
const NOT_SHIPPED = /\.test\.ts$|\/testing\/|\/fake-[^/]+\.ts$/;

async function serviceFiles(dir = SERVICE): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await serviceFiles(p)));
    else if (p.endsWith('.ts') && !NOT_SHIPPED.test(p)) out.push(p);
  }
  return out;
}

/** Names in the first cell of README table rows: `| \`REDIS_URL\` | … |`, `| \`PORT\` / \`HOST\` | … |`. */
async function documentedEnv(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const line of (await readFile(join(root, 'README.md'), 'utf8')).split('\n')) {
    const cell = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (cell) for (const m of cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]!);
  }
  return names;
}

/** What the service reads: `str(env, 'X')`-style parsers, `env.X` / `env['X']`, and the limits' env map. */
async function readEnv(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const f of await serviceFiles()) {
    const text = await readFile(f, 'utf8');
    for (const m of text.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)) names.add(m[1]!);
    for (const m of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
    if (f.endsWith(join('presence-service', 'limits.ts'))) for (const m of text.matchAll(/:\s*'([A-Z][A-Z0-9_]+)'/g)) names.add(m[1]!);
  }
  return names;
}

test('every environment variable the service reads is in the README, and every one there is read', async () => {
  const [doc, code] = await Promise.all([documentedEnv(), readEnv()]);
  assert.ok(code.size > 30, `found only ${code.size} variables: the scan lost its way`);
  assert.equal([...code].filter((n) => !doc.has(n)).sort(), [], 'read by the service but not in the README tables');
  assert.equal([...doc].filter((n) => !code.has(n)).sort(), [], 'in the README tables but read by nothing');
});

test('the close codes docs/protocol.md lists are the ones the service sends', async () => {
  const protocol = await readFile(join(root, 'docs', 'protocol.md'), 'utf8');
  const line = /^- Close codes: (.*)$/m.exec(protocol)?.[1] ?? '';
  const documented = new Set([...line.matchAll(/\b(1\d{3}|4\d{3})\b/g)].map((m) => Number(m[1])));
  const sent = new Set<number>(
    Object.entries(connection)
      .filter(([k, v]) => k.startsWith('CLOSE_') && typeof v === 'number')
      .map(([, v]) => v as number),
  );
  // Sent by ws itself: 1000 on a normal close() without a code, 1009 for a frame over maxPayload.
  sent.add(1000).add(1009);
  assert.equal([...documented].sort(), [...sent].sort());
});

test.run();
