/**
 * Pings every socket on an interval; a socket that has not answered (pong or any frame)
 * for reapAfterMs is terminated, so dead TCP connections do not hold presence.
 * Each beat also lets the session refresh its presence TTLs.
 */
import type { WebSocket } from 'ws';

export interface Beating {
  readonly ws: WebSocket;
  lastHeard: number;
  /** Called on each beat for a live socket (touch presence TTLs). */
  onBeat(): void;
  /** Called once when the socket is reaped. */
  onReap(): void;
}

export class Heartbeat {
  private readonly members = new Set<Beating>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    intervalMs: number,
    private readonly reapAfterMs: number,
    private readonly now: () => number,
  ) {
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  add(m: Beating): void {
    this.members.add(m);
    m.ws.on('pong', () => (m.lastHeard = this.now()));
  }

  remove(m: Beating): void {
    this.members.delete(m);
  }

  private beat(): void {
    const t = this.now();
    for (const m of this.members) {
      if (t - m.lastHeard >= this.reapAfterMs) {
        this.members.delete(m);
        m.onReap();
        m.ws.terminate();
        continue;
      }
      try {
        m.ws.ping();
      } catch {
        // socket closing; the close handler removes it
      }
      m.onBeat();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.members.clear();
  }
}
