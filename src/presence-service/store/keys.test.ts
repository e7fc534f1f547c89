import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { channels, escapePart, KeyPartError, keys, tenantPrefix, unescapePart } from './keys.js';

const HASH = 'a'.repeat(64);

test('site keys start with site:<installationId>: and nest project keys below it', () => {
  assert.is(keys.identity('c-1', HASH), `tenant:c-1:identity:${HASH}`);
  assert.is(keys.projectConfig('c-1', 'SUP'), 'tenant:c-1:project:SUP:config');
  assert.is(keys.agentSchedule('c-1', 'SUP', 'acc'), 'tenant:c-1:project:SUP:agent:acc:schedule');
  assert.ok(keys.projectAgents('c-1', 'SUP').startsWith(tenantPrefix('c-1')));
  assert.is(keys.widget('w_abcdefghij'), 'widget:w_abcdefghij');
});

test('an accountId containing ":" cannot reach into a neighbouring key', () => {
  const forged = keys.agentSchedule('c-1', 'SUP', 'x:schedule:agent:y');
  assert.is(forged, 'tenant:c-1:project:SUP:agent:x%3Aschedule%3Aagent%3Ay:schedule');
  assert.is(keys.customerSockets('c-1', '557058:f00'), 'tenant:c-1:customer-sockets:557058%3Af00');
  assert.is(unescapePart('557058%3Af00%25'), '557058:f00%');
  assert.is.not(escapePart('a', '%3A'), escapePart('a', ':'));
});

test('malformed fixed-shape parts are rejected with a typed error', () => {
  for (const bad of [
    () => tenantPrefix('evil:site'),
    () => keys.projectConfig('c', 'sup'),
    () => keys.identity('c', 'abc'),
    () => keys.widget('w_x:y'),
    () => keys.rate('c', 'Bad:Scope', 'x'),
    () => keys.agentSchedule('c', 'SUP', ''),
    () => channels.customer('c', 'a\nb'),
  ]) {
    try {
      bad();
      assert.unreachable('should throw');
    } catch (err) {
      assert.instance(err, KeyPartError);
      assert.is((err as KeyPartError).code, 'invalid_key_part');
    }
  }
});

test('one site prefix never matches another site whose id extends it', () => {
  assert.not.ok(keys.link('abcd').startsWith(tenantPrefix('abc')));
});

test.run();
