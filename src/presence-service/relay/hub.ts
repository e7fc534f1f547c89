/**
 * Local fan-out over the shared bus. Every delivery to a socket goes through
 * store.bus, so a frame published on instance A reaches sockets on instance B. The hub
 * subscribes to a channel once per instance, while at least one local socket listens,
 * and hands each bus message to those sockets.
 */
import type { Bus, Json } from '../store/ports.js';
import type { Logger } from '../log.js';

/** What travels on a channel: a frame for some of the listeners. */
export interface Envelope {
  /** Who should get it: sockets filter on their own role. */
  to: 'customer' | 'agent' | 'all';
  frame: Json;
  /** Socket id that caused it (not echoed back to it). */
  except?: string;
}

export interface Listener {
  readonly id: string;
  readonly role: 'customer' | 'agent';
  deliver(envelope: Envelope): void;
}

export class Hub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly unsubscribes = new Map<string, Promise<() => Promise<void>>>();

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {}

  publish(channel: string, envelope: Envelope): Promise<void> {
    return this.bus.publish(channel, envelope as unknown as Json);
  }

  /** Resolves once the bus subscription is active (so a publish right after is seen). */
  async join(channel: string, listener: Listener): Promise<void> {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    let sub = this.unsubscribes.get(channel);
    if (!sub) {
      sub = this.bus.subscribe(channel, (m) => this.dispatch(channel, m));
      this.unsubscribes.set(channel, sub);
    }
    try {
      await sub;
    } catch (err) {
      // Not listening after all (store down): forget it, so a later join subscribes afresh.
      if (this.unsubscribes.get(channel) === sub) this.unsubscribes.delete(channel);
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(channel) === set) this.listeners.delete(channel);
      throw err;
    }
  }

  async leave(channel: string, listener: Listener): Promise<void> {
    const set = this.listeners.get(channel);
    if (!set || !set.delete(listener) || set.size > 0) return;
    this.listeners.delete(channel);
    const sub = this.unsubscribes.get(channel);
    this.unsubscribes.delete(channel);
    try {
      await (await sub)?.();
    } catch (err) {
      this.log.warn('bus.unsubscribe_failed', { err });
    }
  }

  async leaveAll(listener: Listener): Promise<void> {
    const channels = [...this.listeners].filter(([, s]) => s.has(listener)).map(([c]) => c);
    await Promise.all(channels.map((c) => this.leave(c, listener)));
  }

  localCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  private dispatch(channel: string, message: Json): void {
    const env = message as unknown as Envelope;
    for (const l of this.listeners.get(channel) ?? []) {
      if (env.except === l.id) continue;
      if (env.to !== 'all' && env.to !== l.role) continue;
      try {
        l.deliver(env);
      } catch (err) {
        this.log.error('hub.deliver_failed', { err });
      }
    }
  }

  async close(): Promise<void> {
    const subs = [...this.unsubscribes.values()];
    this.unsubscribes.clear();
    this.listeners.clear();
    await Promise.allSettled(subs.map(async (s) => (await s)()));
  }
}
