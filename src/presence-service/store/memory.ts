import type { Store } from './ports.js';
import { StoreUnavailableError } from './ports.js';
import { FileKeyValueStore } from './memory-kv.js';
import { MemoryEphemeralStore } from './memory-ephemeral.js';
import { MemoryBus } from './memory-bus.js';

export interface EmbeddedStoreOptions {
  /** Directory for store.json (durable data). Created if missing. */
  dataDir: string;
  clock?: () => number;
}

/** The single-process store: durable data in `${dataDir}/store.json`, the rest in memory. */
export async function createEmbeddedStore(opts: EmbeddedStoreOptions): Promise<Store> {
  let closed = false;
  const guard = () => {
    if (closed) throw new StoreUnavailableError('store is closed');
  };
  const kv = await FileKeyValueStore.open(opts.dataDir, guard);
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
      await kv.flush();
    },
  };
}
