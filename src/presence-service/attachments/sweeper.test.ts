import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ATTACHMENT_RETENTION_MS } from '../../protocol/limits.js';
import { meta } from './blob-contract.js';
import { createDiskBlobStore } from './disk.js';
import { newAttachmentId } from './blob-store.js';
import { createSweeper } from './sweeper.js';

let dir: string;
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'att-sweep-'));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('deletes what is older than 7 days by the clock and keeps the rest', async () => {
  const blobs = createDiskBlobStore({ dir });
  const now = Date.UTC(2026, 10, 29, 12);
  const old = `site-a/${newAttachmentId()}`;
  const edge = `site-b/${newAttachmentId()}`;
  const young = `site-a/${newAttachmentId()}`;
  await blobs.put(old, Buffer.from('o'), meta({ uploadedAt: now - ATTACHMENT_RETENTION_MS - 1 }));
  await blobs.put(edge, Buffer.from('e'), meta({ installationId: 'site-b', uploadedAt: now - ATTACHMENT_RETENTION_MS + 1 }));
  await blobs.put(young, Buffer.from('y'), meta({ uploadedAt: now - 1000 }));
  const sweeper = createSweeper({ blobs, clock: () => now, log: () => {} });
  assert.is(await sweeper.sweep(), 1);
  assert.is(await blobs.head(old), null);
  assert.ok(await blobs.head(edge));
  assert.ok(await blobs.head(young));
});

test('overlapping sweeps share one pass', async () => {
  const blobs = createDiskBlobStore({ dir });
  await blobs.put(`site-a/${newAttachmentId()}`, Buffer.from('o'), meta({ uploadedAt: 0 }));
  const sweeper = createSweeper({ blobs, clock: () => ATTACHMENT_RETENTION_MS * 2, log: () => {} });
  const [a, b] = await Promise.all([sweeper.sweep(), sweeper.sweep()]);
  assert.equal([a, b], [1, 1]);
  assert.is(await sweeper.sweep(), 0);
});

test('start runs the start-up step, then a first sweep; stop leaves no timer behind', async () => {
  const blobs = createDiskBlobStore({ dir });
  const key = `site-a/${newAttachmentId()}`;
  await blobs.put(key, Buffer.from('o'), meta({ uploadedAt: 0 }));
  const order: string[] = [];
  let swept!: () => void;
  const done = new Promise<void>((r) => (swept = r));
  const sweeper = createSweeper({
    blobs,
    clock: () => ATTACHMENT_RETENTION_MS * 2,
    log: (_level, msg) => {
      order.push(msg);
      if (/swept/.test(msg)) swept();
    },
    beforeFirstSweep: async () => {
      order.push('lifecycle');
    },
  });
  sweeper.start();
  await done;
  sweeper.stop();
  assert.equal(order, ['lifecycle', 'attachments: swept expired files']);
  assert.is(await blobs.head(key), null);
});

test.run();
