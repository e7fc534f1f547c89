/**
 * npm test — runs every `*.test.ts` under src/, static/ and scripts/, each file in its own
 * process (test files start servers, browsers and Redis; a process per file keeps one
 * file's leftovers from hanging or skewing another), two at a time on these 2-core
 * machines. Prints uvu's per-file summary and one closing line "N passed, N failed".
 *
 *   npm test                 all files
 *   npm test -- presence     only files whose path contains "presence"
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const DIRS = ['src', 'static', 'scripts'];
const FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 300_000);
const CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? 2);

async function find(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === 'build' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await find(p)));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

interface FileResult { file: string; passed: number; failed: number; skipped: number; ok: boolean; output: string; ms: number }

function runFile(file: string): Promise<FileResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[test runner] ${relative(root, file)} exceeded ${FILE_TIMEOUT_MS} ms and was killed\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const num = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(output)?.[1] ?? 0);
      const total = num('Total');
      const passed = num('Passed');
      const skipped = num('Skipped');
      const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
      done({ file, passed, failed, skipped, ok: code === 0 && failed === 0, output, ms: Date.now() - started });
    });
  });
}

async function main(): Promise<number> {
  const filter = process.argv[2];
  let files = (await Promise.all(DIRS.map((d) => find(join(root, d))))).flat().sort();
  if (filter) files = files.filter((f) => f.includes(filter));
  const results: FileResult[] = [];
  let fuzzCases = 0;
  const queue = [...files];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        const r = await runFile(f);
        results.push(r);
        const name = relative(root, r.file);
        console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${name}  (${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}, ${(r.ms / 1000).toFixed(1)} s)`);
        if (!r.ok) console.log(r.output.split('\n').map((l) => `     ${l}`).join('\n'));
        // property tests say how many cases they ran (scripts/testing/fuzz.ts): show it even when they pass
        for (const m of r.output.matchAll(/^fuzz: \S+ total (\d+) cases, seed (\d+)$/gm)) {
          fuzzCases += Number(m[1]);
          console.log(`     ${m[0]}`);
        }
      }
    }),
  );
  const passed = results.reduce((s, r) => s + r.passed, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  const skipped = results.reduce((s, r) => s + r.skipped, 0);
  console.log(`\n${files.length} test files`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (fuzzCases) console.log(`${fuzzCases} property-test cases`);
  return failed > 0 || files.length === 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
