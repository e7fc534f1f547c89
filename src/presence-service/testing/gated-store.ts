import { suite } from 'uvu';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../store/embedded.js';
import { StoreUnavailableError, type Store } from '../store/ports.js';
import { startHarness, type Harness } from './harness.js';

/** What a test does to the store's pub/sub: the sockets' listening and the service's publishing. */
export interface StoreGate {
  /** Refuse every subscription, as Redis does while it restarts. */
  refuseJoins: boolean;
  /** Refuse every publish, as Redis does while a master fails over. */
  refusePublishes: boolean;
  /** Subscriptions made from now on wait until the returned function runs (a slow Redis). */
  holdJoins(): () => void;
}

/**
 * The embedded store with its bus subscriptions refused or held, and its publishes refused, on demand. The bus has no
 * `subscribers()`, as with Redis: the service cannot see who listens and always publishes.
 */
export async function gatedStore(): Promise<{ store: Store; gate: StoreGate }> {
  const store = await createEmbeddedStore({ dataDir: mkdtempSync(join(tmpdir(), 'gated-store-')) });
  const bus = store.bus;
  let held: Promise<void> | null = null;
  const gate: StoreGate = {
    refuseJoins: false,
    refusePublishes: false,
    holdJoins() {
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
      publish: async (channel, message) => {
        if (gate.refusePublishes) throw new StoreUnavailableError('redis is not connected');
        return bus.publish(channel, message);
      },
      subscribe: async (channel, handler) => {
        if (gate.refuseJoins) throw new StoreUnavailableError('redis is not connected');
        if (held) await held;
        return bus.subscribe(channel, handler);
      },
    },
  };
  return { store: gated, gate };
}

/** A uvu suite with a service harness on a gated store: `h` and `gate`, started before the suite and closed after. */
export function gatedSuite(name: string) {
  const s = suite<{ h: Harness; gate: StoreGate }>(name);
  s.before(async (ctx) => {
    const { store, gate } = await gatedStore();
    ctx.gate = gate;
    ctx.h = await startHarness({ store });
  });
  s.after(async (ctx) => ctx.h.close());
  return s;
}
