/**
 * Per client IP, per instance: a token bucket for WebSocket handshakes and a count of open
 * sockets. Kept in this process's memory, not the shared store: a handshake then costs no
 * store round trip, and a busy corporate NAT (thousands of visitors behind one address) is
 * judged by what it does to this instance. With N instances behind a load balancer an IP
 * may hold up to N × socketsPerIp sockets in all; size the limits per instance.
 */
import type { ServiceLimits } from '../limits.js';

/** How often idle buckets (full again) are forgotten. */
const PRUNE_INTERVAL_MS = 60_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class IpLimits {
  private readonly buckets = new Map<string, Bucket>();
  /** Open sockets per address, with the one copy of the address string its sockets keep. */
  private readonly sockets = new Map<string, { ip: string; n: number }>();
  private readonly pruner: NodeJS.Timeout;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(
    limits: Pick<ServiceLimits, 'handshakesPerIpPerMin' | 'handshakeBurst' | 'socketsPerIp'>,
    private readonly now: () => number,
  ) {
    this.capacity = limits.handshakeBurst;
    this.perMs = limits.handshakesPerIpPerMin / 60_000;
    this.maxSockets = limits.socketsPerIp;
    this.pruner = setInterval(() => this.prune(), PRUNE_INTERVAL_MS);
    this.pruner.unref();
  }

  private readonly maxSockets: number;

  /** Takes one handshake token; false when the bucket is empty. */
  handshake(ip: string): boolean {
    const t = this.now();
    let b = this.buckets.get(ip);
    if (!b) this.buckets.set(ip, (b = { tokens: this.capacity, at: t }));
    b.tokens = Math.min(this.capacity, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** True when the IP already holds socketsPerIp sockets here. */
  full(ip: string): boolean {
    return (this.sockets.get(ip)?.n ?? 0) >= this.maxSockets;
  }

  /** Counts a socket of `ip`; returns the address string every socket of `ip` shares. */
  opened(ip: string): string {
    const entry = this.sockets.get(ip);
    if (entry) {
      entry.n++;
      return entry.ip;
    }
    this.sockets.set(ip, { ip, n: 1 });
    return ip;
  }

  closed(ip: string): void {
    const entry = this.sockets.get(ip);
    if (!entry) return;
    if (--entry.n <= 0) this.sockets.delete(ip);
  }

  private prune(): void {
    const t = this.now();
    for (const [ip, b] of this.buckets) if (b.tokens + (t - b.at) * this.perMs >= this.capacity) this.buckets.delete(ip);
  }

  stop(): void {
    clearInterval(this.pruner);
  }
}
