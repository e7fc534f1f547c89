/** A clock tests move by hand, so TTL and schedule logic run without real waiting. */
export class FakeClock {
  private current: number;

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.current = start;
  }

  readonly now = (): number => this.current;

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('FakeClock.advance needs a non-negative number of ms');
    this.current += ms;
  }
}
