import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keys } from './keys.js';
import { plainLayout, slotTag, slottedLayout } from './redis-layout.js';

test('slotted names carry the installation id as hash tag for every key of a tenant', () => {
  for (const key of [keys.link('site-1'), keys.customerSockets('site-1', 'a:{b}'), keys.projectAgents('site-1', 'SUP')]) {
    assert.is(slotTag(key), 'site-1');
    assert.ok(slottedLayout.physical('p:d:', key).startsWith('p:d:{site-1}tenant:site-1:'));
  }
});

test('a global key gets a hash tag of its own that braces inside the key cannot change', () => {
  // Any key outside a tenant, with braces where an escaped id could put them.
  const key = 'visitor-site:{x}';
  const z = slottedLayout.physical('p:mz:', key);
  const h = slottedLayout.physical('p:mh:', key);
  const tagOf = (name: string) => name.slice(name.indexOf('{') + 1, name.indexOf('}'));
  assert.is(tagOf(z), tagOf(h));
  assert.match(tagOf(z), /^g[0-9a-f]{8}$/);
});

test('logical() inverts physical() and refuses names of another namespace', () => {
  for (const layout of [plainLayout, slottedLayout]) {
    for (const key of [keys.link('s'), 'glob*[x]?', 'a}b{c', '']) assert.is(layout.logical('p:d:', layout.physical('p:d:', key)), key);
    assert.is(layout.logical('p:d:', 'q:d:x'), null);
  }
});

test('match() escapes glob characters and pins a tenant prefix to its tag', () => {
  assert.is(slottedLayout.match('p:', 'tenant:s-1:'), 'p:{s-1}tenant:s-1:*');
  assert.is(slottedLayout.match('p:', 'glob*'), 'p:{*}glob\\**');
  assert.is(plainLayout.match('p:', 'glob*'), 'p:glob\\**');
});

test.run();
