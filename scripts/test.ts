/**
 * npm test — runs every `*.test.ts` under src/, static/ and scripts/, each file in its own
 * process (test files start servers, browsers and Redis; a process per file keeps one
 * file's leftovers from hanging or skewing another), two at a time on these 2-core
 * machines. Prints uvu's per-file summary and one closing line "N passed, N failed".
 *
 * A file fails, with the reason shown, when it uses `.only`, runs zero tests, has a hook
 * that throws, or crashes (then it says how many tests it held): each test process loads
 * scripts/testing/uvu-guard.ts in place of uvu, which reports these on `[test-guard]` lines.
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
    // fixtures/ holds test files that fail on purpose (scripts/test.test.ts runs them)
    if (e.name === 'node_modules' || e.name === 'build' || e.name === 'fixtures' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await find(p)));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

export interface FileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
  output: string;
  ms: number;
  problems: string[];
  skips: string[];
}

const GUARD = join(root, 'scripts', 'testing', 'uvu-guard-register.mjs');
const MARK = '[test-guard]';

/** Judges one finished test process from its exit code and output. */
export function judge(file: string, code: number | null, output: string, ms: number): FileResult {
  const num = (label: string) => Number(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(output)?.[1] ?? 0);
  const summarised = /^\s*Total:\s+\d+/m.test(output);
  const total = num('Total');
  const passed = num('Passed');
  const guardLines = (kind: string) =>
    output
      .split('\n')
      .filter((l) => l.startsWith(`${MARK} ${kind}: `))
      .map((l) => l.slice(`${MARK} ${kind}: `.length));
  const registered = Number(guardLines('registered')[0] ?? NaN);
  const only = guardLines('only');
  const skips = guardLines('skipped');
  const problems: string[] = [];
  if (only.length) problems.push(`uses .only: ${only[0]}`);
  if (guardLines('hook-error').length) problems.push(`a hook threw: ${guardLines('hook-error').join('; ')}`);
  if (summarised && !Number.isFinite(registered))
    problems.push('the test guard was not loaded (scripts/testing/uvu-guard-register.mjs), so .only and hook errors would go unseen');
  const held = Number.isFinite(registered) ? registered : 0;
  if (!summarised && code === 0) problems.push(`ran zero tests${held ? ` of the ${held} it registered (no test.run()?)` : ''}`);
  else if (!summarised) problems.push(`crashed (exit ${code}) before uvu's summary${Number.isFinite(registered) ? `; it held ${registered} test(s)` : ''}`);
  else if (total === 0) problems.push(held ? `ran zero tests of the ${held} it registered (no test.run()?)` : 'ran zero tests');
  else if (held > total) problems.push(`ran ${total} of the ${held} tests it registered (a suite without .run()?)`);
  if (code !== 0 && !problems.length && total === passed) problems.push(`exited with code ${code}`);
  const counted = summarised ? total : Number.isFinite(registered) ? registered : 0;
  // skipped by .only is not "skipped": those tests did not run and the file fails
  const skipped = only.length ? 0 : skips.length;
  // uvu counts a skipped test in neither Total nor Passed
  const failed = Math.max(counted - passed, problems.length ? 1 : 0);
  return { file, passed, failed, skipped, ok: failed === 0 && !problems.length, output, ms, problems, skips };
}

export function runFile(file: string): Promise<FileResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', GUARD, file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[test runner] ${relative(root, file)} exceeded ${FILE_TIMEOUT_MS} ms and was killed\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done(judge(file, code, output, Date.now() - started));
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
        console.log(
          `${r.ok ? 'ok  ' : 'FAIL'} ${name}  (${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}${r.skipped ? `, ${r.skipped} skipped` : ''}, ${(r.ms / 1000).toFixed(1)} s)`,
        );
        for (const p of r.problems) console.log(`     ${p}`);
        for (const s of r.skips) console.log(`     skipped: ${s}`);
        if (!r.ok)
          console.log(
            r.output
              .split('\n')
              .map((l) => `     ${l}`)
              .join('\n'),
          );
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

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) void main().then((code) => process.exit(code));
