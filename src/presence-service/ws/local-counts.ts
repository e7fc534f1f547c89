/**
 * Counts per key in this process (sockets per visitor token). Check-and-add is one
 * synchronous step, so two sockets racing in cannot both take the last place.
 */
export class LocalCounts {
  private readonly counts = new Map<string, number>();

  /** Adds one unless the key already has `max`; false when full. */
  tryAdd(key: string, max: number): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  remove(key: string): void {
    const n = (this.counts.get(key) ?? 0) - 1;
    if (n > 0) this.counts.set(key, n);
    else this.counts.delete(key);
  }
}
