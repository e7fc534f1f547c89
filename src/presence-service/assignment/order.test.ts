import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignmentOrder } from './order.js';

const c = (accountId: string, load: number, capacity = 2) => ({ accountId, load, capacity });

test('round robin starts at the turn and wraps, skipping agents who are full or have capacity 0', () => {
  const list = [c('b', 0), c('a', 1), c('c', 2), c('d', 0, 0)];
  assert.equal(
    assignmentOrder('round_robin', list, 0).map((x) => x.accountId),
    ['a', 'b'],
  );
  assert.equal(
    assignmentOrder('round_robin', list, 1).map((x) => x.accountId),
    ['b', 'a'],
  );
  assert.equal(
    assignmentOrder('round_robin', list, 2).map((x) => x.accountId),
    ['a', 'b'],
  );
});

test('least busy asks the agent with the lowest load for their capacity first; ties take turns', () => {
  const list = [c('a', 1, 2), c('b', 1, 4), c('c', 0, 1)];
  assert.equal(
    assignmentOrder('least_busy', list, 0).map((x) => x.accountId),
    ['c', 'b', 'a'],
  );
  const tie = [c('a', 0), c('b', 0)];
  assert.equal(assignmentOrder('least_busy', tie, 0)[0]!.accountId, 'a');
  assert.equal(assignmentOrder('least_busy', tie, 1)[0]!.accountId, 'b');
});

test('off, or nobody with room, gives nobody', () => {
  assert.equal(assignmentOrder('off', [c('a', 0)], 0), []);
  assert.equal(assignmentOrder('least_busy', [c('a', 2), c('b', 1, 1)], 0), []);
});

test.run();
