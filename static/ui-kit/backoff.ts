/**
 * Reconnect delays for every browser socket (the agents' pages and the widget): exponential
 * with jitter, so many clients dropped at once do not come back in lockstep. Free of
 * imports, so the widget bundles only this function.
 */

/** Attempt 0 waits up to this long; each further attempt doubles it, up to the policy's cap. */
export const BACKOFF_BASE_MS = 1_000;

/** Agents' pages are back within seconds of a service restart or deploy (a few agents per site: no herd to fear). */
export const AGENT_RECONNECT_CAP_MS = 5_000;
/** Half of each agent delay is fixed: never zero (no hot loop). The widget's policy is in its connection.ts. */
export const AGENT_RECONNECT_FIXED = 0.5;
/**
 * After a reconnect, how long an agent's page waits for the service to answer its `watch` before it
 * reads history anyway: a service older than the `watching` answer never sends one, and reading
 * late beats never.
 */
export const WATCH_ANSWER_WAIT_MS = 5_000;

/**
 * Delay before reconnect attempt `attempt` (0 = first retry), capped at `capMs`. `fixed` is
 * the share of the delay that is not jittered: 0 is full jitter (may be 0 ms), 0.5 keeps
 * every delay in the upper half (never a hot loop). `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, capMs: number, fixed = 0, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.floor(ceiling * (fixed + random() * (1 - fixed)));
}
