/**
 * Injected rate limiting, so the app's backoff is exercised on every run.
 *
 * Jira answers 429 with `Retry-After` (seconds) and `X-RateLimit-Reset`; a request
 * reissued before the period ends "will fail and return the same or longer Retry-After
 * period". Budgets are per caller: Forge `asApp()` spends the App budget, `asUser()` the
 * App + user one. The stand-in rejects every Nth request of the app runtime
 * (deterministic, so tests are repeatable) and then keeps that budget closed until the
 * period ends.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */

export interface RateLimitOptions {
  /** Reject every Nth request of the app runtime (0 or undefined: never). */
  everyNth: number;
  /** The Retry-After answered, in whole seconds (Jira sends integers). Default 1. */
  retryAfterSeconds?: number;
}

export interface Rejection {
  retryAfterSeconds: number;
  headers: Record<string, string>;
}

export class RateLimiter {
  private count = 0;
  /** How many 429s were answered (for tests and reports). */
  rejected = 0;
  private closedUntil = new Map<string, number>();

  constructor(
    private readonly opts: RateLimitOptions | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return !!this.opts && this.opts.everyNth > 0;
  }

  /** Undefined when the request may proceed; else the 429's Retry-After and headers. */
  check(budget: string): Rejection | undefined {
    if (!this.opts || !(this.opts.everyNth > 0)) return undefined;
    const now = this.now();
    const until = this.closedUntil.get(budget) ?? 0;
    if (until > now) return this.reject(until, now);
    this.count++;
    if (this.count % this.opts.everyNth !== 0) return undefined;
    const period = Math.max(0, this.opts.retryAfterSeconds ?? 1) * 1000;
    const next = now + period;
    this.closedUntil.set(budget, next);
    return this.reject(next, now);
  }

  private reject(until: number, now: number): Rejection {
    this.rejected++;
    const retryAfterSeconds = Math.ceil((until - now) / 1000);
    return {
      retryAfterSeconds,
      headers: {
        'Retry-After': String(retryAfterSeconds),
        // "yyyy-MM-ddTHH:mmZ", the request time plus the Retry-After period.
        'X-RateLimit-Reset': new Date(until).toISOString().slice(0, 16) + 'Z',
        'RateLimit-Reason': 'jira-quota-based',
      },
    };
  }
}
