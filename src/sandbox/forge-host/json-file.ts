/** Small JSON files in dataDir, written atomically (temp file + rename) and one write at a time. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export class JsonFileWriter {
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly file: string) {}

  /** Queues a write of the value as it is when the write runs (later calls coalesce naturally). */
  write(snapshot: () => unknown): Promise<void> {
    const next = this.chain.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(snapshot()), { mode: 0o600 });
      await rename(tmp, this.file);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  flush(): Promise<void> {
    return this.chain;
  }
}
