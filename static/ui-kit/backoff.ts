/** Reconnect delays: exponential with full jitter, so a restarted service is not hit by every agent at once. */
export const RECONNECT_BASE_MS = 1_000;
/** Agents' pages are back within seconds of a service restart or deploy (a few agents per site: no herd to fear). */
export const RECONNECT_MAX_MS = 5_000;

/** Delay before reconnect attempt `attempt` (0 = first retry). `rand` is injectable for tests. */
export function backoffDelay(attempt: number, rand: () => number = Math.random): number {
  const cap = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.min(attempt, 16));
  // half fixed, half jittered: never zero (no hot loop) and never above the cap
  return Math.round(cap / 2 + rand() * (cap / 2));
}
