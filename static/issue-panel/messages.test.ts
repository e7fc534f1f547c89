import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lastCustomerMessageId, mergeMessages, seenIndex, withoutConfirmed, type Pending } from './src/messages.js';
import { message } from './fixtures.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

test('merging the same message from the resolver and the socket keeps one copy', () => {
  const a = message('101', 'customer', 'hi', at(1));
  const b = message('102', 'agent', 'hello', at(2));
  const merged = mergeMessages(mergeMessages([a], [b]), [b, a]);
  assert.equal(
    merged.map((m) => m.id),
    ['101', '102'],
  );
});

test('messages stay in time order, numeric comment ids break ties', () => {
  const merged = mergeMessages([message('1000', 'agent', 'x', at(5))], [message('999', 'agent', 'y', at(5)), message('5', 'customer', 'z', at(1))]);
  assert.equal(
    merged.map((m) => m.id),
    ['5', '999', '1000'],
  );
});

test('a pending message disappears once its clientMsgId is confirmed', () => {
  const p: Pending[] = [
    { clientMsgId: 'cmid-aaaaaaaa', text: 'a', state: 'sending', retry: () => undefined },
    { clientMsgId: 'cmid-bbbbbbbb', text: 'b', state: 'failed', retry: () => undefined },
  ];
  const left = withoutConfirmed(p, [message('1', 'agent', 'a', at(1), { clientMsgId: 'cmid-aaaaaaaa' })]);
  assert.equal(
    left.map((x) => x.clientMsgId),
    ['cmid-bbbbbbbb'],
  );
});

test('seen marks land on the last agent message at or before the seen one', () => {
  const ms = [
    message('1', 'customer', 'q', at(1)),
    message('2', 'agent', 'a1', at(2)),
    message('3', 'agent', 'a2', at(3)),
    message('4', 'customer', 'q2', at(4)),
  ];
  assert.is(seenIndex(ms, '3'), 2);
  assert.is(seenIndex(ms, '4'), 2);
  assert.is(seenIndex(ms, '1'), -1);
  assert.is(seenIndex(ms, 'unknown'), -1);
  assert.is(lastCustomerMessageId(ms), '4');
});

test.run();
