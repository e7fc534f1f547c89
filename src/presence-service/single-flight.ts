/**
 * Concurrent calls with the same key share one in-flight promise; nothing is kept once it
 * settles, so no answer is older than the read that produced it. Used where one event
 * makes every socket of a project read the same data at once (an agent's status change
 * re-evaluates availability for every visitor: one read per instance instead of one per
 * socket).
 */
export interface SingleFlight<A extends unknown[], V> {
  (...args: A): Promise<V>;
  /** Drop an in-flight read so later callers start a fresh one (after a write). */
  forget(key: string): void;
}

export function singleFlight<A extends unknown[], V>(keyOf: (...args: A) => string, fn: (...args: A) => Promise<V>): SingleFlight<A, V> {
  const inflight = new Map<string, Promise<V>>();
  const call = ((...args: A) => {
    const key = keyOf(...args);
    const running = inflight.get(key);
    if (running) return running;
    const p = fn(...args).finally(() => {
      if (inflight.get(key) === p) inflight.delete(key);
    });
    inflight.set(key, p);
    return p;
  }) as SingleFlight<A, V>;
  call.forget = (key) => void inflight.delete(key);
  return call;
}
