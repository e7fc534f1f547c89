import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from './log.js';

test('never writes message text, tokens or secrets, whatever the caller passes', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
  log.info('x', {
    text: 'my card number',
    token: 'tok',
    nested: { secret: 's3', jwt: 'j', projectKey: 'SUP' },
    authorization: 'Bearer t',
    installationId: 'c1',
  });
  const out = lines.join('\n');
  for (const s of ['my card number', '"tok"', 's3', '"j"', 'Bearer t']) assert.not.ok(out.includes(s), s);
  const rec = JSON.parse(lines[0]!);
  assert.is(rec.event, 'x');
  assert.is(rec.installationId, 'c1');
  assert.is(rec.nested.projectKey, 'SUP');
});

test('drops events below the level', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', write: (l) => lines.push(l) });
  log.info('quiet');
  log.warn('loud');
  assert.is(lines.length, 1);
});

test('an error keeps its stack and cause, and a line carries the level, time and event', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
  const err = new Error('store write failed', { cause: new TypeError('socket closed') });
  log.error('store.failed', { err });
  const rec = JSON.parse(lines[0]!);
  assert.is(rec.level, 'error');
  assert.is(rec.event, 'store.failed');
  assert.type(rec.time, 'string');
  assert.match(rec.err.stack, /log\.test\.ts/);
  assert.is(rec.err.cause.name, 'TypeError');
});

test.run();
