import { mkdir, open, readFile, rename, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Json, KeyValueStore } from './ports.js';
import { decode, encode } from './json.js';

/** A detached copy, exactly as a JSON round trip would give it (no shared references, no undefined). */
const copy = <T extends Json>(value: T): T => decode<T>(encode(value))!;

/** Writes within this window are coalesced into one append. */
const FLUSH_DELAY_MS = 50;
const FILE_NAME = 'store.json';
const LOG_NAME = 'store.log';
const FILE_VERSION = 1;
/** The log is folded into store.json once it outgrows the snapshot (and this floor). */
const COMPACT_MIN_LOG_BYTES = 1024 * 1024;

export class StoreFileError extends Error {
  readonly code = 'store_file_invalid';
  constructor(file: string) {
    super(`${file} is not a store file of version ${FILE_VERSION}; refusing to start with it (move it away to start empty)`);
    this.name = 'StoreFileError';
  }
}

interface FileShape {
  version: number;
  kv: Record<string, Json>;
}

/** One line of store.log: a set (`v`) or a delete (`d`). */
type LogLine = { k: string; v: Json } | { k: string; d: 1 };

/**
 * Durable key-value data under dataDir: a snapshot (`store.json`) plus an append-only log
 * of changes since (`store.log`, one JSON line per change). Reads are served from memory;
 * writes land in memory at once and reach disk shortly after as ONE append of the changed
 * keys (fsync'd), however large the store — not a rewrite of everything. When the log
 * outgrows the snapshot it is compacted: a new snapshot (temp file + rename, so a crash
 * leaves the old or the new one, never half) and an empty log. Opening replays the log over
 * the snapshot; a torn last line (crash mid-append) is ignored. close() compacts.
 */
export class FileKeyValueStore implements KeyValueStore {
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Keys changed since the last append (value read from `data` at append time). */
  private readonly changed = new Set<string>();
  private log: FileHandle | null = null;
  private logBytes: number;
  private snapshotBytes: number;

  private constructor(
    private readonly file: string,
    private readonly logFile: string,
    private readonly data: Map<string, Json>,
    sizes: { snapshot: number; log: number },
    private readonly guard: () => void,
    private readonly onError: (err: Error) => void,
  ) {
    this.snapshotBytes = sizes.snapshot;
    this.logBytes = sizes.log;
  }

  static async open(dataDir: string, guard: () => void, onError: (err: Error) => void): Promise<FileKeyValueStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, FILE_NAME);
    const logFile = path.join(dataDir, LOG_NAME);
    const { data, snapshot, log } = await load(file, logFile);
    return new FileKeyValueStore(file, logFile, data, { snapshot, log }, guard, onError);
  }

  async get<T extends Json = Json>(key: string): Promise<T | null> {
    this.guard();
    const value = this.data.get(key);
    return value === undefined ? null : copy(value as T);
  }

  async set(key: string, value: Json): Promise<void> {
    this.guard();
    this.data.set(key, copy(value));
    this.schedule(key);
  }

  async setIfAbsent(key: string, value: Json): Promise<boolean> {
    this.guard();
    if (this.data.has(key)) return false;
    await this.set(key, value);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.guard();
    if (this.data.delete(key)) this.schedule(key);
  }

  async keys(prefix: string): Promise<string[]> {
    this.guard();
    return [...this.data.keys()].filter((k) => k.startsWith(prefix));
  }

  /** Writes pending changes now; resolves when they are on disk. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    // Chained, so two flushes never interleave their appends or compactions.
    this.flushing = this.flushing.catch(() => {}).then(() => this.append());
    return this.flushing;
  }

  /** Folds the log into a fresh snapshot (close(), and when the log grows large). */
  async compact(): Promise<void> {
    await this.flush();
    this.flushing = this.flushing.catch(() => {}).then(() => this.rewrite());
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.compact();
    await this.log?.close();
    this.log = null;
  }

  private schedule(key: string): void {
    this.changed.add(key);
    this.flushTimer ??= setTimeout(() => {
      this.flush().catch((err: Error) => this.onError(err));
    }, FLUSH_DELAY_MS);
  }

  private async append(): Promise<void> {
    if (this.changed.size === 0) return;
    const keys = [...this.changed];
    this.changed.clear();
    let text = '';
    for (const k of keys) {
      const v = this.data.get(k);
      text += JSON.stringify(v === undefined ? { k, d: 1 } : { k, v }) + '\n';
    }
    try {
      this.log ??= await open(this.logFile, 'a', 0o600);
      await this.log.appendFile(text);
      await this.log.sync();
      this.logBytes += Buffer.byteLength(text);
    } catch (err) {
      // The data is still in memory; the next write or close() tries again.
      for (const k of keys) this.changed.add(k);
      throw err;
    }
    if (this.logBytes > Math.max(COMPACT_MIN_LOG_BYTES, this.snapshotBytes)) await this.rewrite();
  }

  private async rewrite(): Promise<void> {
    if (this.logBytes === 0 && this.changed.size === 0) return;
    const text = JSON.stringify({ version: FILE_VERSION, kv: Object.fromEntries(this.data) } satisfies FileShape);
    const tmp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync(); // the rename must not reach the disk before the data does
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
    // Only now is the log redundant: a crash before this line replays it over the new snapshot (same result).
    await this.log?.close();
    this.log = null;
    await truncate(this.logFile, 0).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    this.snapshotBytes = Buffer.byteLength(text);
    this.logBytes = 0;
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function load(file: string, logFile: string): Promise<{ data: Map<string, Json>; snapshot: number; log: number }> {
  const text = await readText(file);
  let data = new Map<string, Json>();
  if (text !== null) {
    let parsed: Partial<FileShape>;
    try {
      parsed = JSON.parse(text) as Partial<FileShape>;
    } catch {
      throw new StoreFileError(file);
    }
    if (parsed.version !== FILE_VERSION || typeof parsed.kv !== 'object' || parsed.kv === null) throw new StoreFileError(file);
    data = new Map(Object.entries(parsed.kv));
  }
  const log = (await readText(logFile)) ?? '';
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    let entry: LogLine;
    try {
      entry = JSON.parse(line) as LogLine;
    } catch {
      // A crash mid-append tears only the last line; anything earlier is damage we refuse.
      if (i >= lines.length - 2) break;
      throw new StoreFileError(logFile);
    }
    if ('d' in entry) data.delete(entry.k);
    else data.set(entry.k, entry.v);
  }
  return { data, snapshot: Buffer.byteLength(text ?? ''), log: Buffer.byteLength(log) };
}
