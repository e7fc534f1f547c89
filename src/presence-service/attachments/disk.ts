import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { parseBlobKey, type BlobMeta, type BlobStore } from './blob-store.js';

/**
 * Embedded adapter: `<dir>/<installationId>/<id>` holds the bytes, `<id>.meta.json` beside it
 * the metadata. Both are written under a temporary name and renamed into place, data
 * first, so a reader sees either a whole object or none.
 */
const META_SUFFIX = '.meta.json';
const PART_MARK = '.part-';

const StoredMeta = z.object({
  installationId: z.string(),
  conversationId: z.string(),
  name: z.string(),
  mime: z.string(),
  uploadedAt: z.number(),
  uploader: z.enum(['customer', 'agent']),
});

export function createDiskBlobStore(o: { dir: string }): BlobStore {
  const root = o.dir;
  const paths = (key: string) => {
    const { installationId, id } = parseBlobKey(key);
    const dir = join(root, installationId);
    return { dir, data: join(dir, id), meta: join(dir, id + META_SUFFIX) };
  };

  async function readMeta(path: string): Promise<BlobMeta | null> {
    try {
      return StoredMeta.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async function head(key: string) {
    const p = paths(key);
    const meta = await readMeta(p.meta);
    if (!meta) return null;
    try {
      return { ...meta, size: (await stat(p.data)).size };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  return {
    kind: 'disk',

    async put(key, body, meta) {
      const p = paths(key);
      await mkdir(p.dir, { recursive: true, mode: 0o700 });
      const tag = PART_MARK + randomBytes(6).toString('hex');
      const dataPart = p.data + tag;
      const metaPart = p.meta + tag;
      try {
        const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
        await pipeline(source, createWriteStream(dataPart, { mode: 0o600, flags: 'wx' }));
        await writeFile(metaPart, JSON.stringify(StoredMeta.parse(meta)), { mode: 0o600, flag: 'wx' });
        const size = (await stat(dataPart)).size;
        await rename(dataPart, p.data);
        await rename(metaPart, p.meta);
        return { size };
      } catch (err) {
        await Promise.all([rm(dataPart, { force: true }), rm(metaPart, { force: true }), rm(p.data, { force: true }), rm(p.meta, { force: true })]);
        throw err;
      }
    },

    head,

    async get(key) {
      const p = paths(key);
      const meta = await readMeta(p.meta);
      if (!meta) return null;
      try {
        // Open before answering so a sweep between head and read yields null, not a broken stream.
        const fh = await open(p.data, 'r');
        const size = (await fh.stat()).size;
        return { stream: fh.createReadStream(), meta, size };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      const p = paths(key);
      // Meta first: without it the object is invisible, even if removing the data fails.
      await rm(p.meta, { force: true });
      await rm(p.data, { force: true });
    },

    async *listOlderThan(cutoffMs) {
      let clouds: string[];
      try {
        clouds = await readdir(root);
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      for (const installationId of clouds) {
        let names: string[];
        try {
          names = await readdir(join(root, installationId));
        } catch {
          continue;
        }
        for (const name of names) {
          if (name.endsWith(META_SUFFIX) || name.includes(PART_MARK)) continue;
          const key = `${installationId}/${name}`;
          try {
            parseBlobKey(key);
          } catch {
            continue;
          }
          const meta = await readMeta(join(root, installationId, name + META_SUFFIX));
          // Data without meta is a put that crashed between renames: age it by mtime.
          const at = meta
            ? meta.uploadedAt
            : await stat(join(root, installationId, name)).then(
                (s) => s.mtimeMs,
                () => Infinity,
              );
          if (at < cutoffMs) yield key;
        }
      }
    },
  };
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
