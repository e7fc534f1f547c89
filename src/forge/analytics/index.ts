/**
 * The app's analytics: `track()` where something happens, `withAnalytics()` around every
 * Forge handler (src/forge/index.ts). The switch is read before anything is buffered: with
 * analytics off, or no sink configured, `track` returns at once and nothing is kept, not
 * even in memory. Ids are pseudonymised as the event is recorded (pseudonym.ts), so the
 * buffer never holds an account id; the event schema (events.ts) is strict.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { AnalyticsEvent, type CountEventName, type EventName } from './events.js';
import { bigQuerySink } from './bigquery.js';
import { ga4Sink } from './ga4.js';
import { MAX_EVENTS_PER_INVOCATION } from './limits.js';
import { deliver } from './outbox.js';
import { installationKey, pseudonymizer, type Pseudonymize } from './pseudonym.js';
import { DEFAULT_SETTINGS, readBigQueryKey, readGa4Secret, readSettings, type AnalyticsSettings } from './settings.js';
import type { Sink } from './sink.js';

/** What the app knows about a chat when something happens in it (raw ids stay here). */
export interface ChatFacts {
  issueKey: string;
  projectKey: string;
  customerAccountId: string;
  channel: 'web' | 'whatsapp';
}
export interface EventDetails {
  at?: number;
  agentAccountId?: string;
  sender?: 'customer' | 'agent';
  attachment?: boolean;
  seconds?: number;
  rating?: number;
}

interface Ready {
  settings: AnalyticsSettings;
  pseudo: Pseudonymize;
}
class Collector {
  ready: Promise<Ready | null> | null = null;
  readonly events: AnalyticsEvent[] = [];
  overflow = 0;
}
const scope = new AsyncLocalStorage<Collector>();

const sinksConfigured = (s: AnalyticsSettings) => s.enabled && (s.ga4 !== null || s.bigquery !== null);

/** Settings and key, read once per invocation and only when something is tracked. */
function ready(c: Collector): Promise<Ready | null> {
  c.ready ??= (async () => {
    const settings = await readSettings();
    if (!sinksConfigured(settings)) return null;
    return { settings, pseudo: pseudonymizer(await installationKey()) };
  })().catch(() => null);
  return c.ready;
}

/** Buffers the event `make` builds, when analytics is on and the invocation has room; false when it was not kept. */
async function record(make: (pseudo: Pseudonymize) => unknown): Promise<boolean> {
  const c = scope.getStore();
  if (!c) return false;
  try {
    const r = await ready(c);
    if (!r) return false;
    if (c.events.length >= MAX_EVENTS_PER_INVOCATION) {
      c.overflow++;
      return false;
    }
    c.events.push(AnalyticsEvent.parse(make(r.pseudo)));
    return true;
  } catch (e) {
    console.warn('analytics: event not recorded', e instanceof Error ? e.name : typeof e);
    return false;
  }
}

/** Records one event for this invocation. Never throws and never slows a chat down by more than a storage read. */
export async function track(name: EventName, chat: ChatFacts, details: EventDetails = {}): Promise<void> {
  await record((pseudo) => ({
    id: randomBytes(16).toString('hex'),
    name,
    at: details.at ?? Date.now(),
    visitor: pseudo('visitor', chat.customerAccountId),
    conversation: pseudo('conversation', chat.issueKey),
    project: pseudo('project', chat.projectKey),
    channel: chat.channel,
    ...(details.agentAccountId ? { agent: pseudo('agent', details.agentAccountId) } : {}),
    ...(details.sender ? { sender: details.sender } : {}),
    ...(details.attachment !== undefined ? { attachment: details.attachment } : {}),
    ...(details.seconds !== undefined ? { seconds: Math.max(0, Math.round(details.seconds)) } : {}),
    ...(details.rating !== undefined ? { rating: details.rating } : {}),
  }));
}

/**
 * Records a count the presence service forwarded (widget_loaded, chat_opened of one
 * project). False when analytics is off or no sink is configured: the count is dropped here.
 */
export function trackCount(name: CountEventName, projectKey: string, count: number, at = Date.now()): Promise<boolean> {
  return record((pseudo) => ({ id: randomBytes(16).toString('hex'), name, at, project: pseudo('project', projectKey), channel: 'web', count }));
}

/** The installation's missed-chat threshold (minutes), for code that decides "missed". */
export async function missedAfterMs(): Promise<number> {
  const c = scope.getStore();
  const r = c ? await ready(c) : null;
  const settings = r?.settings ?? (await readSettings().catch(() => DEFAULT_SETTINGS));
  return settings.missedAfterMinutes * 60_000;
}

async function sinksOf(settings: AnalyticsSettings): Promise<Sink[]> {
  const out: Sink[] = [];
  if (settings.ga4) {
    const secret = await readGa4Secret();
    if (secret) out.push(ga4Sink(settings.ga4, secret));
  }
  if (settings.bigquery) {
    const key = await readBigQueryKey();
    if (key) out.push(bigQuerySink(settings.bigquery, key));
  }
  return out;
}

async function flush(c: Collector): Promise<void> {
  if (!c.events.length) return;
  const r = await ready(c);
  if (!r) return;
  // Re-read the switch: an admin who turned analytics off during this invocation wins.
  const now = await readSettings();
  if (!sinksConfigured(now)) return;
  if (c.overflow) console.warn('analytics: per-invocation cap reached, events dropped', c.overflow);
  const events = c.events.splice(0);
  await Promise.all((await sinksOf(now)).map((s) => deliver(s, events)));
}

/** Wraps a Forge handler: events it tracks are sent when it finishes (outbox.ts). */
export function withAnalytics<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const c = new Collector();
    try {
      return await scope.run(c, () => handler(...args));
    } finally {
      await flush(c).catch((e) => console.warn('analytics: flush failed', e instanceof Error ? e.name : typeof e));
    }
  };
}
