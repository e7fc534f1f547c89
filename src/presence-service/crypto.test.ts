import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { createCrypto } from './crypto.js';

const c = createCrypto(randomBytes(32));

test('seals with AES-256-GCM and opens again; tampering fails', () => {
  const sealed = c.encrypt('EAAG token');
  assert.not.ok(sealed.includes('EAAG'));
  assert.is(c.decrypt(sealed), 'EAAG token');
  const parts = sealed.split('.');
  parts[3] = Buffer.from('other').toString('base64url');
  assert.throws(() => c.decrypt(parts.join('.')));
});

test('hashes are keyed per purpose', () => {
  assert.is(c.hash('visitor-token', 'a'), c.hash('visitor-token', 'a'));
  assert.is.not(c.hash('visitor-token', 'a'), c.hash('download-url', 'a'));
  assert.is.not(c.hash('visitor-token', 'a'), createCrypto(randomBytes(32)).hash('visitor-token', 'a'));
});

test.run();
