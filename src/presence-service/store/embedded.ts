import type { Store } from './ports.js';
import { StoreUnavailableError } from './ports.js';
import { FileKeyValueStore } from './file-kv.js';
import { MemoryEphemeralStore } from './memory-ephemeral.js';
import { MemoryBus } from './memory-bus.js';

export interface EmbeddedStoreOptions {
  /** Directory for store.json + store.log (durable data). Created if missing. */
  dataDir: string;
  clock?: () => number;
  /** A background append to store.log failed (disk full...); the data stays in memory and the next write retries. */
  onError?: (err: Error) => void;
}

/**
 * The single-process store: durable data in `${dataDir}/store.json` (snapshot) and
 * `store.log` (changes since, appended), the rest in memory.
 * One process per dataDir: two processes sharing it would overwrite each other's file.
 */
export async function createEmbeddedStore(opts: EmbeddedStoreOptions): Promise<Store> {
  let closed = false;
  const guard = () => {
    if (closed) throw new StoreUnavailableError('store is closed');
  };
  const kv = await FileKeyValueStore.open(opts.dataDir, guard, opts.onError ?? (() => {}));
  const ephemeral = new MemoryEphemeralStore(opts.clock ?? Date.now, guard);
  const bus = new MemoryBus(guard);
  return {
    kind: 'embedded',
    kv,
    ephemeral,
    bus,
    healthy: () => !closed,
    async close() {
      if (closed) return;
      closed = true;
      ephemeral.stop();
      bus.clear();
      await kv.close();
    },
  };
}
