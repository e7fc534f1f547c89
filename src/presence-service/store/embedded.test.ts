import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { storeContract } from './contract.js';
import { createEmbeddedStore } from './embedded.js';
import { FakeClock } from '../testing/clock.js';
import { waitUntil } from '../testing/wait.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-store-'));
  dirs.push(dir);
  return dir;
};

storeContract(
  'embedded',
  async () => {
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
  },
  { peer: 'the embedded store lives in one process: there is no second instance on its backend' },
);

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

/** What a process starting now would read: the snapshot with the log replayed over it. */
async function onDisk(dataDir: string): Promise<Record<string, unknown>> {
  const snap = JSON.parse(await readFile(path.join(dataDir, 'store.json'), 'utf8').catch(() => '{"kv":{}}')) as { kv: Record<string, unknown> };
  const log = await readFile(path.join(dataDir, 'store.log'), 'utf8').catch(() => '');
  for (const line of log.split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { k: string; v?: unknown; d?: 1 };
    if (e.d) delete snap.kv[e.k];
    else snap.kv[e.k] = e.v;
  }
  return snap.kv;
}

test('embedded store coalesces writes and has them on disk shortly after, without close()', async () => {
  const dataDir = await tempDir();
  const store = await createEmbeddedStore({ dataDir });
  for (let i = 0; i < 100; i++) await store.kv.set(`k${i}`, i);
  let kv: Record<string, unknown> = {};
  await waitUntil(async () => Object.keys((kv = await onDisk(dataDir))).length === 100, 'all 100 writes on disk', 3_000, 20);
  assert.is(kv.k99, 99);
  await store.close();
});

test('a change is appended to store.log; store.json is not rewritten until compaction (close)', async () => {
  const dataDir = await tempDir();
  const first = await createEmbeddedStore({ dataDir });
  for (let i = 0; i < 50; i++) await first.kv.set(`big${i}`, 'x'.repeat(1000));
  await first.close();
  const snapshot = await stat(path.join(dataDir, 'store.json'));
  const store = await createEmbeddedStore({ dataDir });
  await store.kv.set('one', 1);
  await store.kv.delete('big0');
  await (store.kv as unknown as { flush(): Promise<void> }).flush();
  const log = await readFile(path.join(dataDir, 'store.log'), 'utf8');
  assert.equal(
    log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    [
      { k: 'one', v: 1 },
      { k: 'big0', d: 1 },
    ],
  );
  assert.is((await stat(path.join(dataDir, 'store.json'))).mtimeMs, snapshot.mtimeMs, 'snapshot untouched');
  await store.close();
  assert.is(await readFile(path.join(dataDir, 'store.log'), 'utf8'), '', 'compacted on close');
  const kv = JSON.parse(await readFile(path.join(dataDir, 'store.json'), 'utf8')).kv;
  assert.is(kv.one, 1);
  assert.is(kv.big0, undefined);
});

test('reopening replays the log over the snapshot; a torn last line (crash mid-append) is ignored', async () => {
  const dataDir = await tempDir();
  await writeFile(path.join(dataDir, 'store.json'), JSON.stringify({ version: 1, kv: { a: 1, b: 2 } }));
  await writeFile(path.join(dataDir, 'store.log'), '{"k":"a","v":10}\n{"k":"b","d":1}\n{"k":"c","v":{"x"');
  const store = await createEmbeddedStore({ dataDir });
  assert.is(await store.kv.get('a'), 10);
  assert.is(await store.kv.get('b'), null);
  assert.is(await store.kv.get('c'), null);
  await store.close();
});

test.after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

test.run();
