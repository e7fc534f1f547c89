import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CannedReplies, fillPlaceholders, searchCanned } from './canned.js';

const v = { customerName: 'Ada  Lovelace', agentName: 'Grace Hopper', requestKey: 'SUP-12' };

test('fills the customer first name, the agent name and the request key, and leaves unknown braces', () => {
  assert.is(
    fillPlaceholders('Hi {customer.firstName}, {agent.name} here about {request.key} {order.id}', v),
    'Hi Ada, Grace Hopper here about SUP-12 {order.id}',
  );
});

test('an unknown customer name fills the first-name placeholder with nothing', () => {
  assert.is(fillPlaceholders('Hi {customer.firstName}!', { ...v, customerName: null }), 'Hi !');
});

test('search matches every word in title or text, titles first', () => {
  const list = [
    { id: 'a', title: 'Refund policy', text: 'Refunds take 5 days.' },
    { id: 'b', title: 'Greeting', text: 'Hello, about your refund policy question…' },
    { id: 'c', title: 'Bye', text: 'Thanks!' },
  ];
  assert.equal(
    searchCanned(list, 'refund POLICY').map((r) => r.id),
    ['a', 'b'],
  );
  assert.equal(
    searchCanned(list, '').map((r) => r.id),
    ['a', 'b', 'c'],
  );
});

test('a list with a repeated id, an empty title or over 100 replies is refused', () => {
  assert.not.ok(
    CannedReplies.safeParse([
      { id: 'a', title: 'x', text: 'y' },
      { id: 'a', title: 'z', text: 'w' },
    ]).success,
  );
  assert.not.ok(CannedReplies.safeParse([{ id: 'a', title: ' ', text: 'y' }]).success);
  assert.not.ok(CannedReplies.safeParse(Array.from({ length: 101 }, (_, i) => ({ id: `r${i}`, title: 't', text: 'x' }))).success);
});

test.run();
