/**
 * The app client keeps each site's decrypted link in memory. A relink made on another
 * instance changes the secret behind its back: the app then refuses the old signature,
 * and the client must fetch the new link and sign again, not fail until a restart.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrypto } from './crypto.js';
import { createLinkStore } from './links.js';
import { createAppClient } from './app-client.js';
import { createEmbeddedStore } from './store/index.js';
import { silentLogger } from './log.js';
import { fakeApp } from './testing/fake-app.js';

test('a relink on another instance is picked up on the next call (the old secret is refused once, then the new one signs)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'app-client-'));
  const store = await createEmbeddedStore({ dataDir: dir });
  const crypto = createCrypto(randomBytes(32));
  const app = await fakeApp();
  // Two instances over one store: each has its own in-memory link.
  const here = createLinkStore(store.kv, crypto);
  const there = createLinkStore(store.kv, crypto);
  const client = createAppClient({ links: here, log: silentLogger });
  try {
    const link = { webtriggerUrl: app.url, linkedAt: new Date().toISOString(), appVersion: 't', appId: 'a', site: null };
    await here.put('site-a', { ...link, secret: 'first-secret-'.padEnd(43, 'x') });
    app.secret = 'first-secret-'.padEnd(43, 'x');
    assert.equal(await client.call('site-a', { type: 'ping' }), { ok: true, appVersion: 'test' });

    await there.put('site-a', { ...link, secret: 'second-secret-'.padEnd(43, 'y') });
    app.secret = 'second-secret-'.padEnd(43, 'y');
    assert.equal(await client.call('site-a', { type: 'ping' }), { ok: true, appVersion: 'test' });
    assert.is(app.badSignatures, 1, 'the stale secret was tried once');
    assert.equal(await client.call('site-a', { type: 'ping' }), { ok: true, appVersion: 'test' });
    assert.is(app.badSignatures, 1, 'and then remembered');
  } finally {
    client.close();
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
