/** Reconnect delays: exponential with full jitter, so many widgets dropped at once do not return in lockstep. */
export const BACKOFF_BASE_MS = 1_000;
/** Low enough that a restarted or redeployed service has its widgets back within seconds; jitter spreads them. */
export const BACKOFF_CAP_MS = 8_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.floor(random() * ceiling);
}
