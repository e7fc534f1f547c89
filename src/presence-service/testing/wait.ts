export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until `cond` holds (pub/sub delivery and reconnects are asynchronous); fails naming
 * `what` once `limitMs` has passed. A hang guard, not a speed assertion.
 */
export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, limitMs: number, pollMs = 50): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}
