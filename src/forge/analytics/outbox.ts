/**
 * Where batching lives. A Forge function lives for one invocation (seconds), so there is
 * no process to hold a buffer: events recorded during an invocation are collected in
 * memory (bounded) and sent when the handler finishes, one batch per sink, retried with
 * backoff within the invocation. A sink that is still down gets the batch parked in
 * Forge storage (bounded per sink); later invocations retry parked batches first. A batch
 * over the cap, older than MAX_PARKED_AGE_MS, or refused as invalid is dropped and
 * counted (`analytics.counters.<sink>`, shown on the admin page). docs/architecture.md
 * says why not Forge's async events queue.
 */
import { randomBytes } from 'node:crypto';
import { kvs, WhereConditions } from '@forge/kvs';
import type { AnalyticsEvent } from './events.js';
import { FLUSH_BACKOFF_MS, MAX_PARKED_AGE_MS, MAX_PARKED_BATCHES, PARKED_RETRIES_PER_FLUSH } from './limits.js';
import { SinkError, type Sink, type SinkName } from './sink.js';

const parkedPrefix = (sink: SinkName) => `analytics.parked.${sink}.`;
const countersKey = (sink: SinkName) => `analytics.counters.${sink}`;

export interface SinkCounters {
  sent: number;
  dropped: number;
  lastError: string | null;
  lastErrorAt: string | null;
}
const NO_COUNTERS: SinkCounters = { sent: 0, dropped: 0, lastError: null, lastErrorAt: null };

interface Parked {
  at: number;
  events: AnalyticsEvent[];
}

export async function readCounters(sink: SinkName): Promise<SinkCounters & { parked: number }> {
  const c = (await kvs.get<SinkCounters>(countersKey(sink))) ?? NO_COUNTERS;
  const parked = await kvs
    .query()
    .where('key', WhereConditions.beginsWith(parkedPrefix(sink)))
    .limit(MAX_PARKED_BATCHES + 1)
    .getMany();
  return { ...NO_COUNTERS, ...c, parked: parked.results.length };
}

async function count(sink: SinkName, change: { sent?: number; dropped?: number; error?: string }): Promise<void> {
  const c = { ...NO_COUNTERS, ...((await kvs.get<SinkCounters>(countersKey(sink))) ?? {}) };
  c.sent += change.sent ?? 0;
  c.dropped += change.dropped ?? 0;
  if (change.error) {
    c.lastError = change.error;
    c.lastErrorAt = new Date().toISOString();
  }
  await kvs.set(countersKey(sink), c);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends with the backoff schedule; resolves to the last error, or null when sent. */
async function trySend(sink: Sink, events: readonly AnalyticsEvent[], backoff: readonly number[]): Promise<SinkError | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      await sink.send(events);
      return null;
    } catch (e) {
      const err = e instanceof SinkError ? e : new SinkError('unavailable', 'unexpected sink failure');
      if (err.kind === 'invalid' || attempt >= backoff.length) return err;
      // Full jitter: invocations of many sites retrying together do not hit the sink in step.
      await pause(Math.round(Math.random() * (backoff[attempt] as number)));
    }
  }
}

async function park(sink: Sink, events: AnalyticsEvent[], nowMs: number, why: string): Promise<void> {
  const existing = await kvs
    .query()
    .where('key', WhereConditions.beginsWith(parkedPrefix(sink.name)))
    .limit(MAX_PARKED_BATCHES)
    .getMany();
  if (existing.results.length >= MAX_PARKED_BATCHES) {
    await count(sink.name, { dropped: events.length, error: `${why}; backlog full, events dropped` });
    return;
  }
  // Keys sort by time, so the oldest parked batch is retried first.
  const key = `${parkedPrefix(sink.name)}${String(nowMs).padStart(15, '0')}.${randomBytes(4).toString('hex')}`;
  await kvs.set(key, { at: nowMs, events } satisfies Parked);
  await count(sink.name, { error: why });
}

/** A few parked batches, oldest first: sent, dropped when too old, or left for later. */
async function retryParked(sink: Sink, nowMs: number): Promise<boolean> {
  const page = await kvs
    .query()
    .where('key', WhereConditions.beginsWith(parkedPrefix(sink.name)))
    .limit(PARKED_RETRIES_PER_FLUSH)
    .getMany<Parked>();
  for (const { key, value } of page.results) {
    if (nowMs - value.at > MAX_PARKED_AGE_MS) {
      await kvs.delete(key);
      await count(sink.name, { dropped: value.events.length, error: 'parked events expired' });
      continue;
    }
    const err = await trySend(sink, value.events, []);
    if (err?.kind === 'unavailable') return false; // still down: leave the rest parked
    await kvs.delete(key);
    await count(sink.name, err ? { dropped: value.events.length, error: err.message } : { sent: value.events.length });
  }
  return true;
}

/** Delivers one invocation's events to one sink. Never throws: analytics never fails a chat. */
export async function deliver(sink: Sink, events: AnalyticsEvent[], nowMs = Date.now(), backoff: readonly number[] = FLUSH_BACKOFF_MS): Promise<void> {
  try {
    const up = await retryParked(sink, nowMs);
    if (!events.length) return;
    if (!up) return park(sink, events, nowMs, 'sink unavailable');
    const err = await trySend(sink, events, backoff);
    if (!err) return count(sink.name, { sent: events.length });
    if (err.kind === 'invalid') return count(sink.name, { dropped: events.length, error: err.message });
    await park(sink, events, nowMs, err.message);
  } catch (e) {
    console.warn('analytics: delivery failed', sink.name, e instanceof Error ? e.name : typeof e);
  }
}
