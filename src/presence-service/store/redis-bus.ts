import type { Bus, Json } from './ports.js';
import { decode, encode } from './json.js';
import { run } from './redis-connection.js';
import type { RedisBackend } from './redis-backend.js';

type Handler = (message: Json) => void;

/**
 * Pub/sub on a dedicated subscriber connection (a subscribed Redis connection can run
 * nothing else). One Redis subscription per channel, fanned out to local handlers; the
 * client re-subscribes by itself after a reconnect. Sharded (SPUBLISH/SSUBSCRIBE) when the
 * backend offers it: on a cluster, a message then travels only within its channel's shard.
 */
export class RedisBus implements Bus {
  private readonly handlers = new Map<string, Set<Handler>>();
  /**
   * One listener function per channel, kept until Redis confirms the unsubscribe. The
   * client keeps listeners in a Set, so re-subscribing after an unsubscribe that failed
   * during an outage reuses the same function instead of delivering everything twice.
   */
  private readonly listeners = new Map<string, (text: string) => void>();
  /** Serialises (un)subscribe per channel, so a quick unsubscribe+subscribe cannot interleave. */
  private readonly pending = new Map<string, Promise<void>>();

  private readonly subscriber: RedisBackend['subscriber'];

  constructor(
    private readonly backend: RedisBackend,
    private readonly ns: string,
  ) {
    this.subscriber = backend.subscriber;
  }

  onGap(fn: () => void): void {
    this.subscriber.onGap?.(fn);
  }

  publish(channel: string, message: Json): Promise<void> {
    const text = encode(message);
    return run(this.backend.commands, async () => void (await this.backend.publish(this.ns + channel, text)));
  }

  async subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    const entry: Handler = (m) => handler(m);
    await this.serial(channel, async () => {
      let set = this.handlers.get(channel);
      if (!set) {
        set = new Set();
        await run(this.subscriber, () => this.subscriber.subscribe(this.ns + channel, this.listenerFor(channel)));
        this.handlers.set(channel, set);
      }
      set.add(entry);
    });
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      const set = this.handlers.get(channel);
      if (set?.delete(entry) && set.size === 0) await this.release(channel);
    };
  }

  private listenerFor(channel: string): (text: string) => void {
    let listener = this.listeners.get(channel);
    if (!listener) this.listeners.set(channel, (listener = (text) => this.dispatch(channel, text)));
    return listener;
  }

  /** Drops the Redis subscription of a channel nobody here listens to any more. */
  private release(channel: string): Promise<void> {
    return this.serial(channel, async () => {
      if (this.handlers.get(channel)?.size) return;
      this.handlers.delete(channel);
      const listener = this.listeners.get(channel);
      if (!listener) return;
      try {
        // Bounded like every other call: an unsubscribe waiting on a dead node would hold this
        // channel's queue, and every later subscribe to it, for good.
        await run(this.subscriber, () => this.subscriber.unsubscribe(this.ns + channel, listener));
        this.listeners.delete(channel);
      } catch {
        // Redis is away: the client restores the subscription on reconnect, and the first
        // message that then arrives without handlers releases it again (dispatch).
      }
    });
  }

  private dispatch(channel: string, text: string): void {
    const set = this.handlers.get(channel);
    if (!set) return void this.release(channel);
    let message: Json;
    try {
      message = decode(text);
    } catch {
      return; // not ours: every publisher here encodes JSON
    }
    for (const handler of set) {
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
    next
      .finally(() => {
        if (this.pending.get(channel) === next) this.pending.delete(channel);
      })
      .catch(() => {});
    return next;
  }
}
