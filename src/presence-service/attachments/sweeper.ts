import { ATTACHMENT_RETENTION_MS } from '../../protocol/limits.js';
import type { BlobStore } from './blob-store.js';
import type { Log } from './service.js';

/** How often the sweeper runs; with 7-day retention a file outlives it by under an hour. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface Sweeper {
  /** Deletes every object older than the retention; resolves to how many it deleted. */
  sweep(): Promise<number>;
  start(): void;
  stop(): void;
}

export interface SweeperOptions {
  blobs: BlobStore;
  clock: () => number;
  log: Log;
  /** Once, before the first background sweep (S3: put the lifecycle rule in place). */
  beforeFirstSweep?: () => Promise<void>;
  /** After each sweep, best effort (remove spool files a crash left behind). */
  afterSweep?: () => Promise<void>;
}

export function createSweeper(o: SweeperOptions): Sweeper {
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function sweepOnce(): Promise<number> {
    const cutoff = o.clock() - ATTACHMENT_RETENTION_MS;
    let deleted = 0;
    for await (const key of o.blobs.listOlderThan(cutoff)) {
      try {
        await o.blobs.delete(key);
        deleted++;
      } catch (err) {
        // One stubborn object must not keep the rest: it is retried next hour.
        o.log('warn', 'attachments: sweeper could not delete an object', { key, error: (err as Error).name });
      }
    }
    if (deleted > 0) o.log('info', 'attachments: swept expired files', { deleted });
    await o.afterSweep?.().catch(() => {});
    return deleted;
  }

  function sweep(): Promise<number> {
    // Overlapping sweeps would race on the same keys: share the one in flight.
    running ??= sweepOnce().finally(() => {
      running = null;
    });
    return running;
  }

  const background = () => {
    sweep().catch((err) => o.log('error', 'attachments: sweep failed', { error: (err as Error).name, message: (err as Error).message }));
  };

  return {
    sweep,
    start() {
      if (timer) return;
      timer = setInterval(background, SWEEP_INTERVAL_MS);
      timer.unref();
      const first = o.beforeFirstSweep ? o.beforeFirstSweep().catch(() => {}) : Promise.resolve();
      void first.then(() => {
        if (timer) background();
      });
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
