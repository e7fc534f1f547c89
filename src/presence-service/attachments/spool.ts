import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes a stream to a private temp file, counting bytes as they pass and giving up the
 * moment the limit is crossed. Uploads go through here because the type can only be
 * judged on the whole file (UTF-8 text, OOXML zips) and S3 PutObject needs a length;
 * 10 MiB on disk beats 10 MiB per concurrent upload in memory. The file is always removed
 * by `dispose` (and on failure, before the error is thrown).
 */
/** A spool file this old belongs to a process that died mid-upload. */
export const STALE_SPOOL_MS = 60 * 60 * 1000;
const SPOOL_PREFIX = 'jsm-chat-spool-';

export interface Spooled {
  path: string;
  size: number;
  dispose(): Promise<void>;
}

export class SpoolLimitError extends Error {
  readonly code = 'too_large';
  constructor(readonly limit: number) {
    super(`body exceeds ${limit} bytes`);
    this.name = 'SpoolLimitError';
  }
}

/** The sender went away before the end of the body. */
export class SpoolAbortedError extends Error {
  readonly code = 'aborted';
  constructor() {
    super('body ended early');
    this.name = 'SpoolAbortedError';
  }
}

export async function spoolToTemp(source: Readable, o: { limit?: number; dir?: string; onChunk?: (chunk: Buffer) => void } = {}): Promise<Spooled> {
  const path = join(o.dir ?? tmpdir(), SPOOL_PREFIX + randomBytes(12).toString('hex'));
  const limit = o.limit ?? Infinity;
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) return done(new SpoolLimitError(limit));
      o.onChunk?.(chunk);
      done(null, chunk);
    },
  });
  const dispose = () => rm(path, { force: true });
  // The source is piped, not pipelined: pipeline() would destroy an HTTP request on
  // error, and with it the socket the 413 still has to be written to.
  const written = pipeline(counter, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
  const onError = (err: Error) => counter.destroy(err);
  const onClose = () => {
    if (!source.readableEnded) counter.destroy(new SpoolAbortedError());
  };
  source.on('error', onError);
  source.on('close', onClose);
  source.pipe(counter);
  try {
    await written;
  } catch (err) {
    source.unpipe(counter);
    await dispose();
    throw err;
  } finally {
    source.off('error', onError);
    source.off('close', onClose);
  }
  return { path, size, dispose };
}

/** Removes spool files left by a crash. File times are wall-clock, so this uses Date.now(). */
export async function removeStaleSpools(dir = tmpdir(), nowMs = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(SPOOL_PREFIX)) continue;
    const path = join(dir, name);
    const s = await stat(path).catch(() => null);
    if (s?.isFile() && nowMs - s.mtimeMs > STALE_SPOOL_MS) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
