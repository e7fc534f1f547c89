import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidBlobKeyError, newAttachmentId, type BlobMeta, type BlobStore } from './blob-store.js';

/**
 * The one contract both adapters must meet. disk.test.ts and s3.test.ts run it; each
 * adapter's own test file adds only what is specific to it.
 */
export interface ContractFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

export function meta(over: Partial<BlobMeta> = {}): BlobMeta {
  return {
    installationId: 'site-a',
    conversationId: 'SUP-12',
    name: 'Bericht – März ✓.pdf',
    mime: 'application/pdf',
    uploadedAt: Date.now(),
    uploader: 'customer',
    ...over,
  };
}

/** Odd-sized chunks, so framing bugs (aws-chunked, partial writes) cannot hide. */
export function chunked(bytes: Buffer, chunk = 7_919): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return Readable.from(parts);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Uint8Array));
  return Buffer.concat(parts);
}

async function keysOf(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out.sort();
}

export function runBlobStoreContract(name: string, setup: () => Promise<ContractFixture>): void {
  const t = suite<{ fx?: ContractFixture }>(`BlobStore contract (${name})`, {});
  t.before(async (ctx) => {
    ctx.fx = await setup();
  });
  t.after(async (ctx) => {
    await ctx.fx?.cleanup();
  });

  t('a streamed upload of a few hundred KB comes back byte for byte', async ({ fx }) => {
    const bytes = randomBytes(300 * 1024 + 17);
    const key = `site-a/${newAttachmentId()}`;
    const put = await fx!.store.put(key, chunked(bytes), meta());
    assert.is(put.size, bytes.length);
    const got = await fx!.store.get(key);
    assert.ok(got);
    assert.is(got.size, bytes.length);
    const back = await readAll(got.stream);
    assert.is(back.length, bytes.length);
    assert.ok(back.equals(bytes), 'stored bytes differ from the bytes sent');
  });

  t('head and get return the metadata as stored, unicode name included', async ({ fx }) => {
    const key = `site-a/${newAttachmentId()}`;
    const m = meta({ uploader: 'agent', mime: 'image/png', name: 'Скриншот 1.png' });
    await fx!.store.put(key, Buffer.from('hello'), m);
    const h = await fx!.store.head(key);
    assert.equal(h, { ...m, size: 5 });
    const g = await fx!.store.get(key);
    assert.equal(g?.meta, m);
    assert.is((await readAll(g!.stream)).toString(), 'hello');
  });

  t('a missing key is null for head and get, and deleting it is no error', async ({ fx }) => {
    const key = `site-a/${newAttachmentId()}`;
    assert.is(await fx!.store.head(key), null);
    assert.is(await fx!.store.get(key), null);
    await fx!.store.delete(key);
  });

  t('delete removes the object for head, get and listing', async ({ fx }) => {
    const key = `site-b/${newAttachmentId()}`;
    await fx!.store.put(key, Buffer.from('bye'), meta({ installationId: 'site-b' }));
    await fx!.store.delete(key);
    assert.is(await fx!.store.head(key), null);
    assert.is(await fx!.store.get(key), null);
    assert.not.ok((await keysOf(fx!.store.listOlderThan(Date.now() + 3_600_000))).includes(key));
  });

  t('listOlderThan lists objects stored before the cutoff, across sites, and not after', async ({ fx }) => {
    const t0 = Date.now();
    const a = `site-a/${newAttachmentId()}`;
    const b = `site-b/${newAttachmentId()}`;
    await fx!.store.put(a, Buffer.from('a'), meta({ uploadedAt: t0 }));
    await fx!.store.put(b, Buffer.from('b'), meta({ installationId: 'site-b', uploadedAt: t0 }));
    const before = await keysOf(fx!.store.listOlderThan(t0 - 60_000));
    assert.not.ok(before.includes(a) || before.includes(b), 'listed objects younger than the cutoff');
    const after = await keysOf(fx!.store.listOlderThan(t0 + 60_000));
    assert.ok(after.includes(a) && after.includes(b), 'did not list objects older than the cutoff');
    for (const k of after) assert.match(k, /^[A-Za-z0-9-]+\/[A-Za-z0-9_-]{16,64}$/);
  });

  t('a body that fails half-way leaves nothing behind', async ({ fx }) => {
    const key = `site-a/${newAttachmentId()}`;
    const failing = new Readable({
      read() {
        this.push(randomBytes(64 * 1024));
        this.destroy(new Error('client went away'));
      },
    });
    await fx!.store.put(key, failing, meta()).then(
      () => assert.unreachable('put should have failed'),
      (err: Error) => assert.match(err.message, /client went away/),
    );
    assert.is(await fx!.store.head(key), null);
    assert.not.ok((await keysOf(fx!.store.listOlderThan(Date.now() + 3_600_000))).includes(key));
  });

  t('keys that could leave their site scope are refused', async ({ fx }) => {
    for (const bad of ['../etc/passwdpasswdpasswd', 'site-a/../../x', 'site-a', 'site-a/short', 'a/b/cccccccccccccccccc']) {
      await fx!.store.put(bad, Buffer.from('x'), meta()).then(
        () => assert.unreachable(`accepted ${bad}`),
        (err) => assert.instance(err, InvalidBlobKeyError),
      );
    }
  });

  t.run();
}
