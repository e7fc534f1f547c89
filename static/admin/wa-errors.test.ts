import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RemoteCalls } from '../../src/protocol/remote.js';
import { checkWabaId, checkWaField, type WaField } from './src/wa-errors.js';
import { t } from './src/strings.js';

const GOOD = { projectKey: 'SUP', phoneNumberId: '1000001', accessToken: 'token-0123456789', appSecret: 'secret-0123', verifyToken: 'verify-1' };

test('the page refuses exactly what whatsapp.put refuses, field by field', () => {
  const bad: Record<WaField, string[]> = {
    phoneNumberId: ['1234', '+49151', '1'.repeat(31)],
    accessToken: ['short', 'x'.repeat(1001)],
    appSecret: ['short', 'x'.repeat(201)],
    verifyToken: ['seven77', 'x'.repeat(201)],
  };
  const put = RemoteCalls['whatsapp.put'].req;
  for (const [field, values] of Object.entries(bad) as [WaField, string[]][]) {
    assert.is(checkWaField(field, GOOD[field]), null, field);
    assert.ok(put.safeParse(GOOD).success);
    for (const v of values) {
      assert.not.ok(put.safeParse({ ...GOOD, [field]: v }).success, `${field}=${v}`);
      assert.type(checkWaField(field, v), 'string', `${field}=${v}`);
    }
  }
});

test("each message says what to enter: required, the field's own hint, or the length limit", () => {
  assert.is(checkWaField('accessToken', '  '), t.waRequired);
  assert.is(checkWaField('phoneNumberId', '+49 151'), t.waBadPhoneNumberId);
  assert.is(checkWaField('appSecret', 'x'.repeat(201)), t.waTooLong(200));
  assert.is(checkWabaId(''), undefined);
  assert.is(checkWabaId('12345'), undefined);
  assert.is(checkWabaId('waba-1'), t.waWabaIdInvalid);
});

test.run();
