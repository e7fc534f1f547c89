import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Json, KeyValueStore } from './ports.js';
import { decode, encode } from './json.js';

/** A detached copy, exactly as a JSON round trip would give it (no shared references, no undefined). */
const copy = <T extends Json>(value: T): T => decode<T>(encode(value))!;

/** Writes within this window are coalesced into one file write. */
const FLUSH_DELAY_MS = 50;
const FILE_NAME = 'store.json';
const FILE_VERSION = 1;

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

/**
 * Durable key-value data in one JSON file under dataDir. Reads are served from memory;
 * writes land in memory at once and reach disk shortly after (temp file + rename, so a
 * crash leaves either the old or the new file, never half of one).
 */
export class FileKeyValueStore implements KeyValueStore {
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly data: Map<string, Json>,
    private readonly guard: () => void,
    private readonly onError: (err: Error) => void,
  ) {}

  static async open(dataDir: string, guard: () => void, onError: (err: Error) => void): Promise<FileKeyValueStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, FILE_NAME);
    return new FileKeyValueStore(file, await load(file), guard, onError);
  }

  async get<T extends Json = Json>(key: string): Promise<T | null> {
    this.guard();
    const value = this.data.get(key);
    return value === undefined ? null : copy(value as T);
  }

  async set(key: string, value: Json): Promise<void> {
    this.guard();
    this.data.set(key, copy(value));
    this.schedule();
  }

  async setIfAbsent(key: string, value: Json): Promise<boolean> {
    this.guard();
    if (this.data.has(key)) return false;
    await this.set(key, value);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.guard();
    if (this.data.delete(key)) this.schedule();
  }

  async keys(prefix: string): Promise<string[]> {
    this.guard();
    return [...this.data.keys()].filter((k) => k.startsWith(prefix));
  }

  /** Writes pending changes now; resolves when they are on disk. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    // Chained, so two flushes never race on the temp file.
    this.flushing = this.flushing.catch(() => {}).then(() => this.write());
    return this.flushing;
  }

  private schedule(): void {
    this.dirty = true;
    this.flushTimer ??= setTimeout(() => {
      this.flush().catch((err: Error) => this.onError(err));
    }, FLUSH_DELAY_MS);
  }

  private async write(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const body: FileShape = { version: FILE_VERSION, kv: Object.fromEntries(this.data) };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      const handle = await open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(body));
        await handle.sync(); // the rename must not reach the disk before the data does
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      this.dirty = true; // the data is still in memory; the next write or close() tries again
      throw err;
    }
  }
}

async function load(file: string): Promise<Map<string, Json>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  let parsed: Partial<FileShape>;
  try {
    parsed = JSON.parse(text) as Partial<FileShape>;
  } catch {
    throw new StoreFileError(file);
  }
  if (parsed.version !== FILE_VERSION || typeof parsed.kv !== 'object' || parsed.kv === null) throw new StoreFileError(file);
  return new Map(Object.entries(parsed.kv));
}
