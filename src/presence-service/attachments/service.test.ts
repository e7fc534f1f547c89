import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AttachmentsPort } from '../attachments-port.js';
import type { BlobStore } from './blob-store.js';
import { createDiskBlobStore } from './disk.js';
import { createAttachments } from './service.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const T = suite<{ dir: string; blobs: BlobStore; att: AttachmentsPort }>('storeBuffer');
T.before(async (ctx) => {
  ctx.dir = await mkdtemp(join(tmpdir(), 'att-buf-'));
  ctx.blobs = createDiskBlobStore({ dir: ctx.dir });
  ctx.att = createAttachments({
    blobs: ctx.blobs,
    publicUrl: 'http://127.0.0.1:1',
    maxUploadBytes: 1024,
    signingKey: randomBytes(32),
    authenticate: async () => null,
    mayAccess: async () => false,
  });
});
T.after(async (ctx) => rm(ctx.dir, { recursive: true, force: true }));

T('stores fetched bytes for a conversation: same bytes, sniffed type, name made to agree', async ({ att, blobs }) => {
  const r = await att.storeBuffer({ installationId: 'site-a', conversationId: 'SUP-3', name: 'photo.html', bytes: PNG, uploader: 'customer' });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.is(r.attachment.mime, 'image/png');
  assert.is(r.attachment.name, 'photo.png');
  assert.is(r.attachment.size, PNG.length);
  assert.ok(r.attachment.url.endsWith(`/v1/attachments/${r.attachment.id}`));
  const got = await blobs.get(`site-a/${r.attachment.id}`);
  const chunks: Buffer[] = [];
  for await (const c of got!.stream) chunks.push(c as Buffer);
  assert.ok(Buffer.concat(chunks).equals(PNG));
  assert.is(got!.meta.conversationId, 'SUP-3');
  const described = await att.describe('site-a', r.attachment.id);
  assert.is(described?.conversationId, 'SUP-3');
});

T('refuses what an upload would refuse: markup, too large, empty', async ({ att }) => {
  const html = await att.storeBuffer({
    installationId: 'site-a',
    conversationId: 'SUP-3',
    name: 'x.txt',
    bytes: Buffer.from('<html><script>1</script>'),
    uploader: 'customer',
  });
  assert.equal(html.ok ? null : html.code, 'unsupported_type');
  const big = await att.storeBuffer({ installationId: 'site-a', conversationId: 'SUP-3', name: 'x.txt', bytes: Buffer.alloc(2048, 97), uploader: 'customer' });
  assert.equal(big.ok ? null : big.code, 'too_large');
  const empty = await att.storeBuffer({ installationId: 'site-a', conversationId: 'SUP-3', name: 'x.txt', bytes: Buffer.alloc(0), uploader: 'customer' });
  assert.equal(empty.ok ? null : empty.code, 'empty');
});

T.run();
