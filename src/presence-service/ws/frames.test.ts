import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CustomerClientFrame } from '../../protocol/customer-ws.js';
import { frameTypes, parseFrame } from './frames.js';
import { originAllowed } from './origin.js';
import { TokenBucket } from './rate-limit.js';

const TYPES = frameTypes(CustomerClientFrame);
const parse = (s: string) => parseFrame(CustomerClientFrame, TYPES, Buffer.from(s));

test('knows every customer frame type', () => {
  assert.equal([...TYPES].sort(), [
    'attachment.send',
    'attachment.url',
    'auth',
    'conversation.start',
    'history',
    'message.send',
    'ping',
    'rating',
    'seen',
    'typing',
    'view',
  ]);
});

test('not JSON, not an object, or an unknown type is bad_frame', () => {
  for (const s of ['{', '[1]', '"x"', 'null', '{"type":"nope"}', '{"no":"type"}']) assert.is((parse(s) as { code: string }).code, 'bad_frame', s);
});

test('a schema failure is invalid and names the field path', () => {
  const r = parse(JSON.stringify({ type: 'conversation.start', clientMsgId: 'abcdefgh', text: 'hi', prechat: { email: 'nope' } }));
  assert.is(r.ok, false);
  assert.equal(r.ok ? null : [r.code, r.message.split(':')[0], r.ref], ['invalid', 'prechat.email', 'abcdefgh']);
});

test('a valid frame parses with defaults filled', () => {
  const r = parse(JSON.stringify({ type: 'conversation.start', clientMsgId: 'abcdefgh', text: ' hi ' }));
  assert.ok(r.ok);
  if (r.ok && r.frame.type === 'conversation.start') {
    assert.is(r.frame.text, 'hi');
    assert.is(r.frame.offline, false);
  }
});

test('origins match exactly on scheme, host and port', () => {
  const allowed = ['https://shop.example', 'http://localhost:3000/'];
  assert.ok(originAllowed('https://shop.example', allowed));
  assert.ok(originAllowed('http://localhost:3000', allowed));
  assert.not.ok(originAllowed('http://shop.example', allowed));
  assert.not.ok(originAllowed('https://shop.example.evil.com', allowed));
  assert.not.ok(originAllowed('http://localhost:3001', allowed));
  assert.not.ok(originAllowed('null', allowed));
  assert.not.ok(originAllowed(undefined, allowed));
});

test('the token bucket allows a burst, then refills with time', () => {
  let now = 0;
  const b = new TokenBucket(3, 2, () => now);
  assert.equal([b.take(), b.take(), b.take(), b.take()], [true, true, true, false]);
  now += 500;
  assert.equal([b.take(), b.take()], [true, false]);
});

test.run();
