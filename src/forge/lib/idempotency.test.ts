import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mayResume, type PendingStart } from './idempotency.js';

const pending = (over: Partial<PendingStart> = {}): PendingStart => ({
  state: 'pending',
  caller: 'v:x',
  issueKey: 'SUP-1',
  issueId: '10001',
  customerAccountId: 'qm:1',
  ...over,
});

test('a start still being finished is not resumed by a retry: both would post the first comment', () => {
  assert.not.ok(mayResume(pending({ at: 1_000 }), 1_000 + 5_000));
  assert.not.ok(mayResume(pending({ at: 1_000, released: false }), 1_000 + 59_999));
});

test('a start its writer gave back is resumed at once; one whose writer went quiet for a minute is taken over', () => {
  assert.ok(mayResume(pending({ at: 1_000, released: true }), 1_001));
  assert.ok(mayResume(pending({ at: 1_000 }), 1_000 + 60_000));
});

test('a pending record written before starts were stamped is resumed as before', () => {
  assert.ok(mayResume(pending(), 0));
});

test.run();
