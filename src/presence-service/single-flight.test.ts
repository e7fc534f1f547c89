import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { singleFlight } from './single-flight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

test('a hundred concurrent reads of one key make one call and get one answer', async () => {
  let calls = 0;
  const d = deferred<number>();
  const read = singleFlight(
    (k: string) => k,
    () => (calls++, d.promise),
  );
  const all = Promise.all(Array.from({ length: 100 }, () => read('SUP')));
  d.resolve(7);
  assert.equal(new Set(await all), new Set([7]));
  assert.is(calls, 1);
});

test('different keys are read separately, and a settled read is not reused', async () => {
  let calls = 0;
  const read = singleFlight(
    (k: string) => k,
    async (k: string) => `${k}${++calls}`,
  );
  assert.equal(await Promise.all([read('a'), read('b')]), ['a1', 'b2']);
  assert.is(await read('a'), 'a3');
});

test('a failure reaches every waiter and the next call tries again', async () => {
  let calls = 0;
  const d = deferred<string>();
  const read = singleFlight(
    (k: string) => k,
    () => (++calls === 1 ? d.promise : Promise.resolve('ok')),
  );
  const waiters = [read('k'), read('k')].map((p) =>
    p.then(
      () => 'resolved',
      (e: Error) => e.message,
    ),
  );
  d.reject(new Error('store down'));
  assert.equal(await Promise.all(waiters), ['store down', 'store down']);
  assert.is(await read('k'), 'ok');
});

test('forget makes callers after a write start a fresh read', async () => {
  let value = 'old';
  const d = deferred<void>();
  const read = singleFlight(
    (k: string) => k,
    async () => {
      const v = value;
      await d.promise;
      return v;
    },
  );
  const before = read('k');
  value = 'new';
  read.forget('k');
  const after = read('k');
  d.resolve();
  assert.is(await before, 'old');
  assert.is(await after, 'new');
});

test.run();
