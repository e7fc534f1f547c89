import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeStaleSpools, SpoolLimitError, spoolToTemp, STALE_SPOOL_MS } from './spool.js';

let dir: string;
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'att-spool-unit-'));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('spools a stream and removes the file on dispose', async () => {
  const s = await spoolToTemp(Readable.from([Buffer.from('abc'), Buffer.from('de')]), { dir });
  assert.is(s.size, 5);
  assert.equal((await readdir(dir)).length, 1);
  await s.dispose();
  assert.equal(await readdir(dir), []);
});

test('stops at the first byte over the limit and leaves no file', async () => {
  let pulled = 0;
  const endless = new Readable({
    read() {
      pulled++;
      this.push(Buffer.alloc(1000));
    },
  });
  await spoolToTemp(endless, { dir, limit: 4500 }).then(
    () => assert.unreachable('no limit error'),
    (err) => assert.instance(err, SpoolLimitError),
  );
  endless.destroy();
  assert.ok(pulled < 50, `kept reading after the limit (${pulled} chunks)`);
  assert.equal(await readdir(dir), []);
});

test('removes spool files a crash left behind, and only those', async () => {
  const stale = join(dir, 'jsm-chat-spool-dead');
  const fresh = join(dir, 'jsm-chat-spool-live');
  const other = join(dir, 'somebody-elses-file');
  for (const p of [stale, fresh, other]) await writeFile(p, 'x');
  const old = new Date(Date.now() - STALE_SPOOL_MS - 60_000);
  await utimes(stale, old, old);
  await utimes(other, old, old);
  assert.is(await removeStaleSpools(dir), 1);
  assert.equal((await readdir(dir)).sort(), ['jsm-chat-spool-live', 'somebody-elses-file']);
});

test.run();
