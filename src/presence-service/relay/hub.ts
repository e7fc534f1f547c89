/**
 * Local fan-out over the shared bus. Every delivery to a socket goes through
 * store.bus, so a frame published on instance A reaches sockets on instance B. The hub
 * subscribes to a channel once per instance, while at least one local socket listens,
 * and hands each bus message to those sockets. Each listener's own channels are kept
 * beside it, so a closing socket leaves in O(its channels), not O(all channels).
 */
import { DONE, type Bus, type Json } from '../store/ports.js';
import type { Logger } from '../log.js';

/** What travels on a channel: a frame for some of the listeners. */
export interface Envelope {
  /** Who should get it: sockets filter on their own role. */
  to: 'customer' | 'agent' | 'all';
  frame: Json;
  /** Socket id that caused it (not echoed back to it). */
  except?: string;
}

/**
 * After a publish of news the store refused: the waits before each try again, about 16 s in
 * all (a Redis Cluster failover takes a few seconds, a master restart about as long).
 */
export const ANNOUNCE_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1_000, 2_000, 4_000, 8_000];

export interface Listener {
  readonly id: string;
  readonly role: 'customer' | 'agent';
  deliver(envelope: Envelope): void;
}

export class Hub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly unsubscribes = new Map<string, Promise<() => Promise<void>>>();
  /** The channels each listener is in (a short array: a socket is in a handful). */
  private readonly joined = new Map<Listener, string[]>();

  /** The bus's subscriber count, where it can tell (read once: the store's ports are proxies). */
  private readonly subscribers: ((channel: string) => number) | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {
    this.subscribers = bus.subscribers?.bind(bus);
  }

  publish(channel: string, envelope: Envelope): Promise<void> {
    if (!this.reaches(channel, envelope.to, envelope.except)) return DONE;
    return this.bus.publish(channel, envelope as unknown as Json);
  }

  /**
   * Publishes news of something already done that nobody else will repeat: a customer message
   * Jira has and the customer was told of. Live-only frames (typing, seen) are not news, and a
   * relayed reply is repeated by the app when its call fails. A publish the store refuses
   * (Redis failing over) is tried again in the background after each of ANNOUNCE_RETRY_DELAYS_MS,
   * so an agent's page watching from another instance still gets the message, late rather than
   * never; the returned promise settles after the first try and never rejects.
   */
  announce(channel: string, envelope: Envelope): Promise<void> {
    const first = this.publish(channel, envelope);
    if (first === DONE) return DONE;
    return first.catch((err: unknown) => {
      this.log.warn('hub.announce_retrying', { err });
      this.retry(channel, envelope, 0);
    });
  }

  private retry(channel: string, envelope: Envelope, attempt: number): void {
    const delay = ANNOUNCE_RETRY_DELAYS_MS[attempt];
    if (delay === undefined) return void this.log.error('hub.announce_lost', { tries: attempt + 1 });
    setTimeout(() => {
      this.bus.publish(channel, envelope as unknown as Json).catch(() => this.retry(channel, envelope, attempt + 1));
    }, delay).unref();
  }

  /**
   * Whether an envelope for `to`, not for `except`, could reach anyone on this channel. False
   * only where the hub sees every recipient (an in-process bus on which this hub is the
   * channel's only subscriber) and none of its listeners would take it: a visitor's own
   * message with no agent and no other tab watching. Such an envelope is not published, and a
   * caller that asks first need not even build it (a customer message's copies for agents).
   */
  reaches(channel: string, to: Envelope['to'], except?: string): boolean {
    if (this.subscribers?.(channel) !== (this.unsubscribes.has(channel) ? 1 : 0)) return true;
    const set = this.listeners.get(channel);
    if (set) for (const l of set) if (takes(l, to, except)) return true;
    return false;
  }

  /** Resolves once the bus subscription is active (so a publish right after is seen). */
  async join(channel: string, listener: Listener): Promise<void> {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    if (!set.has(listener)) {
      set.add(listener);
      const mine = this.joined.get(listener);
      if (mine) mine.push(channel);
      else this.joined.set(listener, [channel]);
    }
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
      if (set.delete(listener)) this.forget(listener, channel);
      if (set.size === 0 && this.listeners.get(channel) === set) this.listeners.delete(channel);
      throw err;
    }
  }

  async leave(channel: string, listener: Listener): Promise<void> {
    const set = this.listeners.get(channel);
    if (!set || !set.delete(listener)) return;
    this.forget(listener, channel);
    if (set.size > 0) return;
    this.listeners.delete(channel);
    const sub = this.unsubscribes.get(channel);
    this.unsubscribes.delete(channel);
    try {
      await (
        await sub
      )?.();
    } catch (err) {
      this.log.warn('bus.unsubscribe_failed', { err });
    }
  }

  async leaveAll(listener: Listener): Promise<void> {
    const channels = this.joined.get(listener);
    if (!channels) return;
    await Promise.all([...channels].map((c) => this.leave(c, listener)));
  }

  private forget(listener: Listener, channel: string): void {
    const mine = this.joined.get(listener);
    if (!mine) return;
    const i = mine.indexOf(channel);
    if (i >= 0) mine.splice(i, 1);
    if (mine.length === 0) this.joined.delete(listener);
  }

  localCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  private dispatch(channel: string, message: Json): void {
    const env = message as unknown as Envelope;
    for (const l of this.listeners.get(channel) ?? []) {
      if (!takes(l, env.to, env.except)) continue;
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
    this.joined.clear();
    await Promise.allSettled(subs.map(async (s) => (await s)()));
  }
}

/** Whether a listener gets an envelope: not the socket that caused it, and of the role it is for. */
function takes(l: Listener, to: Envelope['to'], except: string | undefined): boolean {
  return except !== l.id && (to === 'all' || to === l.role);
}
