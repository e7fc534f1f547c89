/**
 * Keeps sockets honest and their presence fresh, per instance:
 * - every heartbeat interval: ping every socket, and refresh every live socket's presence
 *   TTLs in ONE batch (all store writes issued together: the Redis client pipelines them
 *   into one round trip, the embedded store just writes memory);
 * - every reap check (min(1 s, interval / 4)): cut each socket that, by the next check,
 *   would have been silent (no pong, no frame) for reapAfterMs.
 * So a dead peer is cut between reapAfterMs − one check and reapAfterMs after the last thing
 * it sent (59–60 s with the defaults), whatever the heartbeat phase — never later than the
 * documented REAP_AFTER_MS; a live one answers each ping long before.
 */
import type { WebSocket } from 'ws';
import type { EphemeralStore, Json } from '../store/ports.js';

/** The reaper's granularity: how much earlier than reapAfterMs a silent socket may be cut. */
export const MAX_REAP_CHECK_MS = 1_000;

export function reapCheckMs(heartbeatIntervalMs: number): number {
  return Math.max(10, Math.min(MAX_REAP_CHECK_MS, Math.floor(heartbeatIntervalMs / 4)));
}

/** Presence refreshes of one beat, written to the store together. */
export class BeatBatch {
  /** [setKey, member, data, ttlMs] for touchMember. */
  readonly members: [string, string, Json, number][] = [];
  /** [key, value, ttlMs] for set. */
  readonly values: [string, Json, number][] = [];

  touchMember(setKey: string, member: string, data: Json, ttlMs: number): void {
    this.members.push([setKey, member, data, ttlMs]);
  }

  set(key: string, value: Json, ttlMs: number): void {
    this.values.push([key, value, ttlMs]);
  }

  get size(): number {
    return this.members.length + this.values.length;
  }

  /** Issues every write in the same tick (one pipelined burst) and settles when all did. */
  write(e: EphemeralStore): Promise<unknown> {
    return Promise.all([...this.members.map(([k, m, d, t]) => e.touchMember(k, m, d, t)), ...this.values.map(([k, v, t]) => e.set(k, v, t))]);
  }
}

export interface Beating {
  readonly ws: WebSocket;
  /** Set by the socket on every frame and pong. */
  lastHeard: number;
  /** Called on each beat for a live socket: add its presence refreshes to the batch. */
  onBeat(batch: BeatBatch): void;
  /** Called once when the socket is reaped. */
  onReap(): void;
}

export class Heartbeat {
  private readonly members = new Set<Beating>();
  private readonly beatTimer: NodeJS.Timeout;
  private readonly reapTimer: NodeJS.Timeout;
  /** Silence after which a check cuts: the next check would be too late. */
  private readonly cutAfterMs: number;

  constructor(
    intervalMs: number,
    private readonly reapAfterMs: number,
    private readonly now: () => number,
    /** Writes one beat's batch (server.ts: to the store, failures logged once). */
    private readonly flush: (batch: BeatBatch) => void,
  ) {
    this.beatTimer = setInterval(() => this.beat(), intervalMs);
    this.beatTimer.unref();
    const check = reapCheckMs(intervalMs);
    // Less a little slack for a timer that fires late on a busy machine.
    this.cutAfterMs = reapAfterMs - check - Math.min(50, check / 4);
    this.reapTimer = setInterval(() => this.reap(), check);
    this.reapTimer.unref();
  }

  add(m: Beating): void {
    this.members.add(m);
  }

  remove(m: Beating): void {
    this.members.delete(m);
  }

  get size(): number {
    return this.members.size;
  }

  private beat(): void {
    const batch = new BeatBatch();
    for (const m of this.members) {
      try {
        m.ws.ping();
      } catch {
        // socket closing; the close handler removes it
      }
      m.onBeat(batch);
    }
    if (batch.size > 0) this.flush(batch);
  }

  private reap(): void {
    const t = this.now();
    for (const m of this.members) {
      if (t - m.lastHeard < this.cutAfterMs) continue;
      this.members.delete(m);
      m.onReap();
      m.ws.terminate();
    }
  }

  stop(): void {
    clearInterval(this.beatTimer);
    clearInterval(this.reapTimer);
    this.members.clear();
  }
}
