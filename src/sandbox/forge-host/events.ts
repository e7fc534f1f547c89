/**
 * Product and lifecycle events to the app's triggers, as Atlassian documents their delivery
 * (https://developer.atlassian.com/platform/forge/events-reference/product_events/):
 *
 * - Asynchronous and late: every event waits `delayMs` (EVENT_DELAY_DEFAULT_MS unless
 *   configured) before its handler runs. Forge guarantees "at least once" delivery, not when.
 * - Filtered first by the trigger's manifest `filter` (trigger-filter.ts): dropped events
 *   are never queued.
 * - Retried when the handler RETURNS an InvocationError (@forge/events), after its retryAfter,
 *   at most EVENT_MAX_RETRIES times, with `retryContext {retryCount, retryReason, retryData}`
 *   added to the payload. That mechanism is documented for Atlassian app (product) events;
 *   for Forge lifecycle events (avi:forge:*) the docs are silent, so a retry request there is
 *   logged and not honoured.
 * - A handler that THROWS is not retried: the docs name two kinds of retry, the app's
 *   returned InvocationError and the platform's own for "platform level errors" (the retries
 *   EAP names out-of-memory, function time outs and rate limiting). An exception is neither.
 *   Of the platform errors the host can only produce a timeout: that one is retried, with
 *   retryReason FUNCTION_TIME_OUT, so handlers must be idempotent.
 *
 * Logs name the trigger, the event type and the error kind, never the payload.
 */
import { describeError, ForgeHostError } from './errors.js';
import { retryRequestOf } from './invocation-error.js';
import { EVENT_MAX_RETRIES, EVENT_RETRY_BASE_MS } from './limits.js';
import { applyFilter, type TriggerFilter } from './trigger-filter.js';

export interface EventTrigger {
  readonly key: string;
  readonly functionKey: string;
  /** Event type -> the filter Forge applies before invoking (undefined: none). */
  readonly events: ReadonlyMap<string, TriggerFilter | undefined>;
}

/** Runs the trigger's handler and resolves with what it returned. */
export type DeliverFn = (trigger: EventTrigger, event: Record<string, unknown>) => Promise<unknown>;

export interface EventDeliveryOptions {
  /** How long an event waits before delivery. */
  delayMs: number;
  /** The app's own account: `ignoreSelf` drops events whose `atlassianId` is this. */
  appAccountId: string;
  /** Backoff base of platform retries (timeouts). */
  retryBaseMs?: number;
  log: (line: string) => void;
}

type RetryContext = { retryCount: number; retryReason: string; retryData?: unknown };

const isLifecycle = (eventType: string) => eventType.startsWith('avi:forge:');

export class EventDelivery {
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly triggers: readonly EventTrigger[],
    private readonly deliver: DeliverFn,
    private readonly opts: EventDeliveryOptions,
  ) {}

  /** Queues the event for every trigger that lists it and whose filter admits it; returns how many. */
  publish(eventType: string, payload: object): number {
    if (this.closed) return 0;
    const event = { ...payload, eventType } as Record<string, unknown>;
    let queued = 0;
    for (const t of this.triggers) {
      if (!t.events.has(eventType)) continue;
      const verdict = applyFilter(t.events.get(eventType), t.key, event, this.opts.appAccountId);
      if (verdict.log) this.opts.log(verdict.log);
      if (!verdict.deliver) continue;
      this.schedule(t, event, undefined, this.opts.delayMs);
      queued++;
    }
    return queued;
  }

  /** Resolves when nothing is pending: no event waiting for its delay or a retry, none running. */
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

  private schedule(trigger: EventTrigger, event: Record<string, unknown>, retry: RetryContext | undefined, delayMs: number): void {
    this.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(trigger, event, retry);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(trigger: EventTrigger, event: Record<string, unknown>, retry: RetryContext | undefined): Promise<void> {
    const eventType = String(event['eventType']);
    const n = retry?.retryCount ?? 0;
    const where = `trigger ${trigger.key} on ${eventType} (attempt ${n + 1})`;
    try {
      const returned = await this.deliver(trigger, retry ? { ...event, retryContext: retry } : event);
      if (this.closed) return;
      const req = retryRequestOf(returned);
      if (req.kind === 'malformed') this.opts.log(`${where} returned a malformed InvocationError (${req.why}); not retried`);
      if (req.kind !== 'retry') return;
      if (isLifecycle(eventType)) {
        this.opts.log(`${where} returned an InvocationError; retries are documented for Atlassian app events only: not retried`);
      } else if (n >= EVENT_MAX_RETRIES) {
        this.opts.log(`${where} returned an InvocationError after ${EVENT_MAX_RETRIES} retries; giving up`);
      } else {
        this.opts.log(`${where} asked for a retry (${req.retryReason}) in ${req.retryAfterS} s`);
        const ctx: RetryContext = { retryCount: n + 1, retryReason: req.retryReason, ...(req.retryData !== undefined ? { retryData: req.retryData } : {}) };
        this.schedule(trigger, event, ctx, req.retryAfterS * 1000);
      }
    } catch (err) {
      if (this.closed) return;
      const timedOut = err instanceof ForgeHostError && err.code === 'FUNCTION_TIMEOUT';
      if (!timedOut) {
        this.opts.log(`${where} threw ${describeError(err)}; not retried (only a returned InvocationError asks for a retry)`);
      } else if (n >= EVENT_MAX_RETRIES) {
        this.opts.log(`${where} timed out after ${EVENT_MAX_RETRIES} retries; giving up`);
      } else {
        this.opts.log(`${where} timed out; the platform retries it`);
        this.schedule(trigger, event, { retryCount: n + 1, retryReason: 'FUNCTION_TIME_OUT' }, (this.opts.retryBaseMs ?? EVENT_RETRY_BASE_MS) * 2 ** n);
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
