import { DONE, type Bus, type Json } from './ports.js';

type Handler = (message: Json) => void;

/**
 * In-process fan-out. Delivery is asynchronous, like Redis pub/sub, so publishers never run
 * handlers inline. The message itself is delivered, not a JSON copy: published messages are
 * read-only (ports.ts), so sharing one is safe and costs no stringify and parse.
 */
export class MemoryBus implements Bus {
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(private readonly guard: () => void) {}

  // Not async: the shared DONE (ports.ts) instead of a promise per publish.
  publish(channel: string, message: Json): Promise<void> {
    try {
      this.guard();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const handlers = this.handlers.get(channel);
    if (!handlers) return DONE;
    for (const handler of handlers) {
      queueMicrotask(() => {
        try {
          handler(message);
        } catch {
          // Handlers must not throw (see ports.ts); one bad handler must not starve the others.
        }
      });
    }
    return DONE;
  }

  async subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    this.guard();
    // Wrapped, so the same function subscribed twice gets two independent subscriptions.
    const entry: Handler = (m) => handler(m);
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(entry);
    return async () => {
      set.delete(entry);
      if (set.size === 0 && this.handlers.get(channel) === set) this.handlers.delete(channel);
    };
  }

  subscribers(channel: string): number {
    return this.handlers.get(channel)?.size ?? 0;
  }

  clear(): void {
    this.handlers.clear();
  }
}
