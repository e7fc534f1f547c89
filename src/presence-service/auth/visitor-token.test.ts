/**
 * What a visitor token leaves in the store (data policy, README): nothing for a visitor
 * who never starts a conversation, an expiring record for a verified one, the durable
 * accountId mapping once there is a conversation.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrypto } from '../crypto.js';
import { createEmbeddedStore } from '../store/index.js';
import { FakeClock } from '../testing/clock.js';
import { VisitorTokens } from './visitor-token.js';

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'visitor-token-'));
  const clock = new FakeClock();
  const store = await createEmbeddedStore({ dataDir: dir, clock: clock.now });
  const visitors = new VisitorTokens(store.kv, createCrypto(randomBytes(32)), store.ephemeral, 1_000);
  return { store, visitors, clock, done: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
}

test('an anonymous visitor without a conversation leaves no record, and the token still works on return', async () => {
  const { store, visitors, done } = await setup();
  const { token, hash } = visitors.issue('site-a');
  await visitors.save('site-a', hash, { accountId: null, verified: false, createdAt: new Date().toISOString() });
  assert.equal(await store.kv.keys(''), []);
  const back = await visitors.load('site-a', token);
  assert.is(back?.hash, hash);
  assert.is(back?.record.accountId, null);
  assert.is(back?.record.verified, false);
  await done();
});

test('a token is recognised only on the site that issued it, and a forged one not at all', async () => {
  const { visitors, done } = await setup();
  const { token } = visitors.issue('site-a');
  assert.is(await visitors.load('site-b', token), null);
  const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.is(await visitors.load('site-a', forged), null);
  assert.is(await visitors.load('site-a', 'x'.repeat(54)), null);
  await done();
});

test('a verified visitor without a conversation is kept until the idle period passes without a visit', async () => {
  const { store, visitors, clock, done } = await setup();
  const { token, hash } = visitors.issue('site-a');
  await visitors.save('site-a', hash, { accountId: null, verified: true, verifiedSubject: 'subj', createdAt: new Date().toISOString() });
  assert.equal(await store.kv.keys(''), [], 'nothing durable');
  clock.advance(800);
  assert.is((await visitors.load('site-a', token))?.record.verifiedSubject, 'subj', 'a visit restarts the period');
  clock.advance(800);
  assert.is((await visitors.load('site-a', token))?.record.verifiedSubject, 'subj');
  clock.advance(1_001);
  // Expired: the token is still this site's, but only as an anonymous visitor.
  const after = await visitors.load('site-a', token);
  assert.is(after?.record.verified, false);
  assert.is(after?.record.verifiedSubject, undefined);
  await done();
});

test('a conversation makes the record durable (the accountId mapping) and drops the expiring one', async () => {
  const { store, visitors, clock, done } = await setup();
  const { token, hash } = visitors.issue('site-a');
  await visitors.save('site-a', hash, { accountId: null, verified: true, verifiedSubject: 'subj', createdAt: new Date().toISOString() });
  await visitors.save('site-a', hash, { accountId: 'acc-1', verified: true, verifiedSubject: 'subj', createdAt: new Date().toISOString() });
  assert.is((await store.kv.keys('')).length, 2, 'identity + token → site');
  clock.advance(5_000);
  assert.is((await visitors.load('site-a', token))?.record.accountId, 'acc-1');
  await done();
});

test.run();
