/**
 * Graceful drain (SIGTERM): what a shutting-down instance owes its clients. In order:
 * /readyz answers 503 while the balancer notices (notReadyMs); the listener closes; every
 * socket is told to reconnect elsewhere (close 1012, docs/protocol.md) at a random moment
 * within spreadMs, so they do not all land on the next instance at once; uploads, app calls
 * and socket cleanups in flight finish; then the service closes. timeoutMs bounds it all.
 */

export interface DrainOptions {
  /** How long /readyz answers 503 before the listener closes (balancer health-check period). */
  notReadyMs: number;
  /** Sockets are closed at random moments within this window. */
  spreadMs: number;
  /** From the start of the drain to a forced close, whatever is still in flight. */
  timeoutMs: number;
}

export const DRAIN_DEFAULTS: DrainOptions = Object.freeze({ notReadyMs: 5_000, spreadMs: 2_000, timeoutMs: 25_000 });

/** Counts work in flight (HTTP requests, app calls) and tells when none is left. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  /** Counts one unit until `done` is called (idempotent). */
  begin(): () => void {
    this.enter();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.leave();
    };
  }

  /** begin() without a closure, for work with its own single end (a socket's close event). */
  enter(): void {
    this.count++;
  }

  leave(): void {
    if (this.count === 0) return;
    this.count--;
    if (this.count === 0) for (const w of this.waiters.splice(0)) w();
  }

  track<T>(work: Promise<T>): Promise<T> {
    const done = this.begin();
    return work.finally(done);
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Resolves when `work` settles or `ms` pass, whichever is first; true when work finished. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
