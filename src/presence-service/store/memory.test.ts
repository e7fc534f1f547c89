import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
  assert.equal(JSON.parse(await readFile(file, 'utf8')), { version: 1, kv: { k: 'v' } });
  assert.is((await stat(file)).mode & 0o777, 0o600);
});

test('embedded store refuses a corrupt or foreign store.json instead of starting empty', async () => {
  for (const body of ['{"something":"else"}', '{"version":1,"kv":{"k":tru']) {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, 'store.json'), body);
    try {
      await createEmbeddedStore({ dataDir });
      assert.unreachable('should refuse');
    } catch (err) {
      assert.is((err as { code?: string }).code, 'store_file_invalid');
    }
  }
});

test('embedded store coalesces writes and has them on disk shortly after, without close()', async () => {
  const dataDir = await tempDir();
  const store = await createEmbeddedStore({ dataDir });
  for (let i = 0; i < 100; i++) await store.kv.set(`k${i}`, i);
  const file = path.join(dataDir, 'store.json');
  const deadline = Date.now() + 3_000;
  let onDisk: { kv?: Record<string, unknown> } = {};
  while (Object.keys(onDisk.kv ?? {}).length < 100 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    onDisk = JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));
  }
  assert.is(onDisk.kv?.k99, 99);
  await store.close();
});

test.after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
