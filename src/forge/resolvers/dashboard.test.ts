import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openChatsJql, waitingSince } from './dashboard.js';

const m = (kind: string, at: string) => ({ author: { kind }, at });

test('waiting since the first of the trailing customer messages', () => {
  assert.is(waitingSince([m('customer', 't1'), m('agent', 't2'), m('customer', 't3'), m('customer', 't4')]), 't3');
});

test('not waiting when an agent spoke last, or nobody spoke', () => {
  assert.is(waitingSince([m('customer', 't1'), m('agent', 't2')]), null);
  assert.is(waitingSince([]), null);
});

test('open chats come from JQL on the indexed property, not from filtering issues in code', () => {
  assert.is(openChatsJql('SUP'), 'project = "SUP" AND issue.property[chat.conversation].status = "open" AND statusCategory != Done ORDER BY updated DESC');
});

test.run();
