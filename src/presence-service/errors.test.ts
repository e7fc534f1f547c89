import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '../protocol/customer-ws.js';
import { ANSWERS, CLOSE_INTERNAL, CLOSE_POLICY, ServiceError, toServiceError } from './errors.js';

test('every protocol error code has an HTTP status and a close code', () => {
  for (const code of ErrorCode.options) {
    const a = ANSWERS[code];
    assert.ok(a.status >= 400 && a.status < 600, code);
    assert.ok(a.close === CLOSE_POLICY || a.close === CLOSE_INTERNAL, code);
  }
});

test('an error carries the status and close code of its code from where it is made', () => {
  assert.equal([new ServiceError('unauthenticated', 'x').status, new ServiceError('unauthenticated', 'x').closeCode], [401, CLOSE_POLICY]);
  assert.equal([new ServiceError('unavailable', 'x').status, new ServiceError('unavailable', 'x').closeCode], [503, CLOSE_INTERNAL]);
  assert.equal([new ServiceError('internal', 'x').status, new ServiceError('internal', 'x').closeCode], [500, CLOSE_INTERNAL]);
  assert.is(new ServiceError('too_large', 'x').status, 413);
  assert.equal(new ServiceError('forbidden', 'no').toBody(), { error: { code: 'forbidden', message: 'no' } });
});

test('codes only HTTP knows reach a WebSocket frame as internal; protocol codes as themselves', () => {
  assert.is(new ServiceError('too_large', 'x').wireCode, 'internal');
  assert.is(new ServiceError('rate_limited', 'x').wireCode, 'rate_limited');
});

test('anything else thrown becomes internal (500) without its details; a store outage unavailable (503)', () => {
  const e = toServiceError(new Error('secret detail'));
  assert.equal([e.code, e.status, e.message], ['internal', 500, 'internal error']);
  const down = toServiceError(Object.assign(new Error('redis'), { code: 'store_unavailable' }));
  assert.equal([down.code, down.status, down.retryable], ['unavailable', 503, true]);
});

test.run();
