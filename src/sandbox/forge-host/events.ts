/**
 * Product and lifecycle events to the app's triggers, as Forge delivers them: asynchronously,
 * to every trigger that lists the event, retried up to EVENT_MAX_RETRIES times with backoff
 * when the handler throws. Logs name the trigger and the error kind, never the payload.
 */
import { describeError } from './errors.js';
import { EVENT_MAX_RETRIES, EVENT_RETRY_BASE_MS } from './limits.js';
import type { TriggerDef } from './manifest.js';

export type DeliverFn = (trigger: TriggerDef, event: Record<string, unknown>, retry: { retryCount: number }) => Promise<void>;

export class EventDelivery {
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly triggers: readonly TriggerDef[],
    private readonly deliver: DeliverFn,
    private readonly log: (line: string) => void,
    private readonly retryBaseMs = EVENT_RETRY_BASE_MS,
  ) {}

  /** Queues the event for every trigger listing its type; returns how many were queued. */
  publish(eventType: string, payload: object): number {
    if (this.closed) return 0;
    const event = { ...payload, eventType };
    const targets = this.triggers.filter((t) => t.events.includes(eventType));
    for (const t of targets) this.schedule(t, event, 0, 0);
    return targets.length;
  }

  /** Resolves when nothing is pending (no delivery running or waiting for a retry). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = 0;
    this.settle();
  }

  private schedule(trigger: TriggerDef, event: Record<string, unknown>, attempt: number, delayMs: number): void {
    this.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(trigger, event, attempt);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(trigger: TriggerDef, event: Record<string, unknown>, attempt: number): Promise<void> {
    try {
      await this.deliver(trigger, attempt > 0 ? { ...event, retryContext: { retryCount: attempt, retryReason: 'FUNCTION_PLATFORM_UNKNOWN_ERROR' } } : event, { retryCount: attempt });
    } catch (err) {
      if (this.closed) return;
      const eventType = String(event['eventType']);
      if (attempt < EVENT_MAX_RETRIES) {
        this.log(`trigger ${trigger.key} failed on ${eventType} (attempt ${attempt + 1}): ${describeError(err)}; retrying`);
        this.schedule(trigger, event, attempt + 1, this.retryBaseMs * (attempt + 1));
      } else {
        this.log(`trigger ${trigger.key} failed on ${eventType} (attempt ${attempt + 1}): ${describeError(err)}; giving up`);
      }
    } finally {
      if (!this.closed) {
        this.pending--;
        this.settle();
      }
    }
  }

  private settle(): void {
    if (this.pending > 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
