import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../store/embedded.js';
import { StoreUnavailableError, type Store } from '../store/ports.js';

/** What a test does to the store's subscriptions (the sockets' listening). */
export interface JoinGate {
  /** Refuse every subscription, as Redis does while it restarts. */
  refuse: boolean;
  /** Subscriptions made from now on wait until the returned function runs (a slow Redis). */
  hold(): () => void;
}

/**
 * The embedded store with its bus subscriptions refused or held on demand. The bus has no
 * `subscribers()`, as with Redis: the service cannot see who listens and always publishes.
 */
export async function gatedStore(): Promise<{ store: Store; joins: JoinGate }> {
  const store = await createEmbeddedStore({ dataDir: mkdtempSync(join(tmpdir(), 'gated-store-')) });
  const bus = store.bus;
  let held: Promise<void> | null = null;
  const joins: JoinGate = {
    refuse: false,
    hold() {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      held = gate;
      return () => {
        if (held === gate) held = null;
        release();
      };
    },
  };
  const gated: Store = {
    ...store,
    close: () => store.close(),
    healthy: () => store.healthy(),
    bus: {
      publish: (channel, message) => bus.publish(channel, message),
      subscribe: async (channel, handler) => {
        if (joins.refuse) throw new StoreUnavailableError('redis is not connected');
        if (held) await held;
        return bus.subscribe(channel, handler);
      },
    },
  };
  return { store: gated, joins };
}
