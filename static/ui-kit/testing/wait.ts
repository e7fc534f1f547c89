/** Poll until `cond` holds; fails with `what` after `limitMs` (a hang guard, not a speed assertion). */
export async function waitUntil(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
