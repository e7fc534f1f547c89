import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { signedHeaders } from '../../protocol/signature.js';
import { checkSignature } from './auth.js';

const SECRET = 'a'.repeat(64);
const OLD = 'b'.repeat(64);
const body = '{"type":"ping"}';
const asArrays = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), [v]]));

test('accepts a fresh signature over the raw body (headers as Forge passes them: arrays, any case)', () => {
  assert.is(checkSignature({ secrets: [SECRET], rawBody: body, headers: asArrays(signedHeaders(SECRET, body)) }), null);
});

test('accepts the previous secret while it is still listed (relink grace)', () => {
  assert.is(checkSignature({ secrets: [SECRET, OLD], rawBody: body, headers: signedHeaders(OLD, body) }), null);
});

test('refuses a body changed after signing', () => {
  assert.is(checkSignature({ secrets: [SECRET], rawBody: body + ' ', headers: signedHeaders(SECRET, body) })?.code, 'bad_signature');
});

test('refuses a timestamp six minutes old as stale', () => {
  const h = signedHeaders(SECRET, body, Date.now() - 6 * 60_000);
  assert.is(checkSignature({ secrets: [SECRET], rawBody: body, headers: h })?.code, 'stale');
});

test('refuses missing headers, and everything when no secret is stored', () => {
  assert.is(checkSignature({ secrets: [SECRET], rawBody: body, headers: {} })?.code, 'bad_signature');
  assert.is(checkSignature({ secrets: [], rawBody: body, headers: signedHeaders(SECRET, body) })?.code, 'not_configured');
});

test.run();
