import type { Bus, Json } from './ports.js';
import { decode, encode } from './json.js';
import { run, type RedisClient } from './redis-connection.js';

type Handler = (message: Json) => void;

/**
 * Pub/sub on a dedicated subscriber connection (a subscribed Redis connection can run
 * nothing else). One Redis subscription per channel, fanned out to local handlers; the
 * client re-subscribes by itself after a reconnect.
 */
export class RedisBus implements Bus {
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Serialises (un)subscribe per channel, so a quick unsubscribe+subscribe cannot interleave. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly client: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly ns: string,
  ) {}

  publish(channel: string, message: Json): Promise<void> {
    const text = encode(message);
    return run(this.client, async () => void (await this.client.publish(this.ns + channel, text)));
  }

  async subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    const entry: Handler = (m) => handler(m);
    await this.serial(channel, async () => {
      let set = this.handlers.get(channel);
      if (!set) {
        set = new Set();
        await run(this.subscriber, () => this.subscriber.subscribe(this.ns + channel, (text) => this.dispatch(channel, text)));
        this.handlers.set(channel, set);
      }
      set.add(entry);
    });
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.serial(channel, async () => {
        const set = this.handlers.get(channel);
        if (!set?.delete(entry) || set.size > 0) return;
        this.handlers.delete(channel);
        // While Redis is down the subscription is gone anyway; the client must not restore it later.
        await this.subscriber.unsubscribe(this.ns + channel).catch(() => {});
      });
    };
  }

  private dispatch(channel: string, text: string): void {
    let message: Json;
    try {
      message = decode(text);
    } catch {
      return; // not ours: every publisher encodes JSON
    }
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(message);
      } catch {
        // Handlers must not throw (ports.ts); one bad handler must not starve the others.
      }
    }
  }

  private serial(channel: string, step: () => Promise<void>): Promise<void> {
    const next = (this.pending.get(channel) ?? Promise.resolve()).catch(() => {}).then(step);
    this.pending.set(channel, next);
    void next.finally(() => {
      if (this.pending.get(channel) === next) this.pending.delete(channel);
    }).catch(() => {});
    return next;
  }
}
