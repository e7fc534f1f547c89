import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { storeContract } from './contract.js';
import { createEmbeddedStore } from './memory.js';
import { FakeClock } from '../testing/clock.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-store-'));
  dirs.push(dir);
  return dir;
};

storeContract('embedded', async () => {
  const dataDir = await tempDir();
  const clock = new FakeClock();
  const fx = {
    clock,
    store: await createEmbeddedStore({ dataDir, clock: clock.now }),
    restart: async () => {
      await fx.store.close();
      return createEmbeddedStore({ dataDir, clock: clock.now });
    },
  };
  return fx;
});

test('embedded store writes store.json atomically with owner-only permissions', async () => {
  const dataDir = await tempDir();
  const store = await createEmbeddedStore({ dataDir });
  await store.kv.set('k', 'v');
  await store.close();
  const file = path.join(dataDir, 'store.json');
  assert.equal(JSON.parse(await readFile(file, 'utf8')), { version: 1, kv: { k: '"v"' } });
  assert.is((await stat(file)).mode & 0o777, 0o600);
});

test('embedded store refuses a corrupt store.json instead of starting empty', async () => {
  const dataDir = await tempDir();
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dataDir, 'store.json'), '{"something":"else"}');
  try {
    await createEmbeddedStore({ dataDir });
    assert.unreachable('should refuse');
  } catch (err) {
    assert.match(String(err), /not a store file/);
  }
});

test.after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
