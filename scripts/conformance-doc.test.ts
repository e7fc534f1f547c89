/**
 * docs/atlassian-conformance.md names, for every behaviour of the local stand-ins, the test
 * that proves it. This keeps the table honest: every cited test file exists, and every cited
 * test name (up to an ellipsis) is a test in that file. Also: at least 30 behaviours, each
 * with an Atlassian page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = resolve(import.meta.dirname, '..');
const doc = readFileSync(join(root, 'docs/atlassian-conformance.md'), 'utf8');

interface Row {
  behaviour: string;
  page: string;
  test: string;
}

function rows(): Row[] {
  const out: Row[] = [];
  let columns: string[] = [];
  for (const line of doc.split('\n')) {
    if (!line.startsWith('|')) {
      columns = [];
      continue;
    }
    const cells = line
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    if (cells[0] === 'behaviour') columns = cells;
    else if (columns.length && !/^-+$/.test(cells[0] ?? '')) out.push({ behaviour: cells[0] ?? '', page: cells[1] ?? '', test: cells[2] ?? '' });
  }
  return out;
}

/** "dir/file.test.ts › name one…; other.test.ts › name two" → [{file, name}] (files relative to src/ unless scripts/ or static/). */
function citations(cell: string): { file: string; name?: string }[] {
  const out: { file: string; name?: string }[] = [];
  let lastFile = '';
  for (const part of cell.split(/;\s*/)) {
    const m = /^([\w./-]+\.test\.ts)(?:\s*\(([^)]*)\))?(?:\s*›\s*(.+))?$/.exec(part.trim());
    const alsoName = /^›\s*(.+)$/.exec(part.trim());
    if (m) {
      lastFile = /^(scripts|static)\//.test(m[1]!) ? m[1]! : `src/${m[1]}`;
      out.push({ file: lastFile, name: m[3] });
    } else if (alsoName && lastFile) out.push({ file: lastFile, name: alsoName[1] });
  }
  return out;
}

test('lists at least 30 behaviours, each with an Atlassian page or a named spec', () => {
  const all = rows();
  assert.ok(all.length >= 30, `${all.length} rows`);
  for (const r of all)
    assert.ok(
      /developer\.atlassian\.com|specs\/|@forge\//.test(r.page) ||
        /same page|same pages|pages above|FRE|Rate limiting|Issue comments|Product events|User privacy|requestRemote|Search and reconcile/.test(r.page),
      `no page for: ${r.behaviour}`,
    );
});

test('every cited test file exists and every cited test name is a test in it', () => {
  let checked = 0;
  const problems: string[] = [];
  for (const r of rows()) {
    for (const c of citations(r.test)) {
      const path = join(root, c.file);
      if (!existsSync(path)) {
        problems.push(`${r.behaviour}: no file ${c.file}`);
        continue;
      }
      if (!c.name || /^\(|^all \d|^both$|^same test/.test(c.name)) continue;
      // a name is cited up to an ellipsis or a parenthesised remark; `${...}` marks a generated name
      const prefix = c.name
        .replace(/….*$/, '')
        .replace(/\s*\(.*$/, '')
        .replace(/\$\{.*$/, '')
        .trim();
      if (!readFileSync(path, 'utf8').includes(prefix)) problems.push(`${c.file} has no test "${prefix}"`);
      checked++;
    }
  }
  assert.equal(problems, []);
  assert.ok(checked >= 30, `${checked} test names checked`);
});

test.run();
