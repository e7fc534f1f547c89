import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meta, runBlobStoreContract } from './blob-contract.js';
import { createDiskBlobStore } from './disk.js';
import { newAttachmentId } from './blob-store.js';

runBlobStoreContract('disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'att-disk-'));
  return { store: createDiskBlobStore({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

test('disk: a failed put leaves no partial file in the site folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'att-disk-'));
  try {
    const store = createDiskBlobStore({ dir });
    await store.put(`site-a/${newAttachmentId()}`, Buffer.from('kept'), meta());
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000, 1));
        this.destroy(new Error('boom'));
      },
    });
    await store.put(`site-a/${newAttachmentId()}`, failing, meta()).catch(() => {});
    const files = await readdir(join(dir, 'site-a'));
    assert.is(files.length, 2, `expected one object (data + meta), found ${files.join(', ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
