/**
 * What `npm test` puts in place of `uvu` in every test process (see uvu-guard-hooks.mjs):
 * the same API, plus what uvu 0.5 does not do and a green run must be able to trust.
 *  - `.only` fails the file: a focused run reports the other tests as skipped and exits 0.
 *  - A throwing hook is reported with its stack: uvu runs `before` inside try/finally and
 *    the finally's `return` swallows the error, so the file only "passed 0 of N".
 *  - The number of registered tests is printed at exit, so a file that crashes says how
 *    many tests it held, and one that never called `.run()` is caught.
 *  - `test.skip('what: why')` is listed by name, so a test that cannot run here says why.
 * The runner (scripts/test.ts) reads the `[test-guard]` lines this prints.
 */
import * as uvu from 'uvu';

export type { Test, Callback } from 'uvu';

export const GUARD_MARK = '[test-guard]';

const seen = { registered: 0, only: [] as string[], hookErrors: 0, skipped: [] as string[] };

function wrapHook<T>(register: (fn: uvu.Callback<T>) => void, kind: string, suiteName: string): (fn: uvu.Callback<T>) => void {
  return (fn) =>
    register(async (ctx) => {
      try {
        await fn(ctx);
      } catch (e) {
        seen.hookErrors++;
        const where = suiteName ? `suite "${suiteName}"` : 'the file';
        console.error(`${GUARD_MARK} hook-error: ${kind} hook of ${where} threw:\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        throw e;
      }
    });
}

function guard<T>(real: uvu.Test<T>, suiteName: string): uvu.Test<T> {
  const counted = ((name: string, fn: uvu.Callback<T>) => {
    seen.registered++;
    real(name, fn);
  }) as uvu.Test<T>;
  counted.only = (name, fn) => {
    seen.registered++;
    seen.only.push(name);
    real.only(name, fn);
  };
  counted.skip = (name?: string) => {
    seen.skipped.push(name ?? '(unnamed)');
    real.skip(name);
  };
  counted.before = Object.assign(wrapHook(real.before, 'before', suiteName), { each: wrapHook(real.before.each, 'before.each', suiteName) });
  counted.after = Object.assign(wrapHook(real.after, 'after', suiteName), { each: wrapHook(real.after.each, 'after.each', suiteName) });
  counted.run = () => real.run();
  return counted;
}

export const test = guard(uvu.test, '');
export function suite<T = Record<string, unknown>>(title?: string, context?: T): uvu.Test<T> {
  return guard(uvu.suite<T>(title, context), title ?? '');
}
export const exec = uvu.exec;

process.on('exit', () => {
  for (const s of seen.skipped) console.log(`${GUARD_MARK} skipped: ${s}`);
  if (seen.only.length) {
    console.log(`${GUARD_MARK} only: ${seen.only.length} test(s) marked .only (${seen.only.join('; ')}); a focused file never passes under npm test`);
    process.exitCode = 1;
  }
  if (seen.hookErrors) process.exitCode = 1;
  console.log(`${GUARD_MARK} registered: ${seen.registered}`);
});
