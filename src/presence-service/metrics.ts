/**
 * Prometheus metrics (prom-client) at GET /metrics. One registry per service instance, so
 * several services in one process (tests) never share counters. Labels are low-cardinality
 * and carry no personal data or ids: roles, directions, call types, outcomes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DONE } from './store/ports.js';

/** Seconds; app calls wait on Jira (hundreds of ms), relays on the store and sockets. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A metric's values as prom-client's registry reads them for the text format. */
interface PromValues {
  name: string;
  help: string;
  type: string;
  values: unknown[];
  aggregator: string;
}

/** One (call, outcome) series of CallLatency: bucket counts as plain numbers. */
interface CallSeries {
  readonly labels: { call: string; outcome: 'ok' | 'error' };
  /** Per bucket (LATENCY_BUCKETS), not cumulative. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/**
 * jsmchat_app_call_duration_seconds. Every customer message is an app call, and prom-client's
 * labelled observe() checks and hashes its labels each time (a closure, two objects and a
 * string per message); here each (call, outcome) series is found by two lookups and counted in
 * plain numbers, then laid out at scrape time exactly as prom-client lays out a histogram
 * (its own observe() still works alongside: both are reported).
 */
export class CallLatency extends Histogram<'call' | 'outcome'> {
  /** By call type: [ok, error], each made at its first observation (as prom-client would). */
  private readonly byCall = new Map<string, [CallSeries | undefined, CallSeries | undefined]>();
  /** In order of first observation: prom-client's order. */
  private readonly series: CallSeries[] = [];

  constructor(
    private readonly metricName: string,
    help: string,
    registers: Registry[],
  ) {
    super({ name: metricName, help, labelNames: ['call', 'outcome'], buckets: LATENCY_BUCKETS, registers });
  }

  record(call: string, ok: boolean, seconds: number): void {
    let pair = this.byCall.get(call);
    if (!pair) this.byCall.set(call, (pair = [undefined, undefined]));
    const i = ok ? 0 : 1;
    let s = pair[i];
    if (!s) {
      s = { labels: { call, outcome: ok ? 'ok' : 'error' }, counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      pair[i] = s;
      this.series.push(s);
    }
    // The first bound at or above the value, as prom-client's findBound (none: only +Inf counts it).
    for (let b = 0; b < LATENCY_BUCKETS.length; b++) {
      if (seconds <= LATENCY_BUCKETS[b]!) {
        s.counts[b]! += 1;
        break;
      }
    }
    s.sum += seconds;
    s.count += 1;
  }

  /** What the registry formats: prom-client's own series, then these, in its histogram layout (buckets, +Inf, _sum, _count). */
  async getForPromString(): Promise<PromValues> {
    const out = await (Histogram.prototype as unknown as { getForPromString(this: Histogram): Promise<PromValues> }).getForPromString.call(this);
    const bucket = `${this.metricName}_bucket`;
    for (const s of this.series) {
      let acc = 0;
      for (let b = 0; b < LATENCY_BUCKETS.length; b++) {
        acc += s.counts[b]!;
        out.values.push({ labels: { le: LATENCY_BUCKETS[b] }, sharedLabels: s.labels, value: acc, metricName: bucket, exemplar: null });
      }
      out.values.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.metricName}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.metricName}_count`, exemplar: undefined },
      );
    }
    return out;
  }

  override reset(): void {
    super.reset();
    // Also called by prom-client's constructor, before this class's fields exist.
    if (this.series as CallSeries[] | undefined) {
      this.series.length = 0;
      this.byCall.clear();
    }
  }
}

export interface MetricSources {
  /** Open sockets per role, read at scrape time. */
  sockets(): { customer: number; agent: number };
  /** Sites (installations) with at least one authenticated socket here, read at scrape time. */
  tenants(): number;
}

export class Metrics {
  readonly registry = new Registry();
  /**
   * WebSocket frames as plain numbers: counted on every frame (a labelled counter hashes its
   * labels on each inc), read into jsmchat_ws_frames_total at scrape time.
   */
  readonly frameCounts = { in: { customer: 0, agent: 0 }, out: { customer: 0, agent: 0 } };
  readonly relaySeconds: Histogram<'outcome'>;
  readonly appCallSeconds: CallLatency;
  readonly storeErrors: Counter<'port'>;
  readonly uploadBytes: Counter;
  readonly rateLimited: Counter<'where'>;

  constructor(sources: MetricSources, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'jsmchat_' });
    new Gauge({
      name: 'jsmchat_sockets',
      help: 'Open WebSockets on this instance, by role.',
      labelNames: ['role'],
      registers,
      collect() {
        const s = sources.sockets();
        this.set({ role: 'customer' }, s.customer);
        this.set({ role: 'agent' }, s.agent);
      },
    });
    new Gauge({
      name: 'jsmchat_tenants',
      help: 'Sites (installations) with at least one authenticated socket on this instance.',
      registers,
      collect() {
        this.set(sources.tenants());
      },
    });
    const frameCounts = this.frameCounts;
    new Counter({
      name: 'jsmchat_ws_frames_total',
      help: 'WebSocket frames received (in) and sent (out).',
      labelNames: ['direction', 'role'],
      registers,
      collect() {
        this.reset();
        for (const direction of ['in', 'out'] as const) {
          for (const role of ['customer', 'agent'] as const) this.inc({ direction, role }, frameCounts[direction][role]);
        }
      },
    });
    this.relaySeconds = new Histogram({
      name: 'jsmchat_relay_duration_seconds',
      help: 'Forge Remote relay calls (a message from Jira to live sockets), from request to answer.',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.appCallSeconds = new CallLatency('jsmchat_app_call_duration_seconds', "Calls to the app's webtrigger, by call type and outcome.", registers);
    this.storeErrors = new Counter({
      name: 'jsmchat_store_errors_total',
      help: 'Store operations that failed because the store was unreachable, by port.',
      labelNames: ['port'],
      registers,
    });
    this.uploadBytes = new Counter({ name: 'jsmchat_upload_bytes_total', help: 'Bytes of attachments accepted (201) by uploads.', registers });
    this.rateLimited = new Counter({
      name: 'jsmchat_rate_limited_total',
      help: 'Requests, frames and sockets refused by a rate limit, by where.',
      labelNames: ['where'],
      registers,
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * The store with every rejected call counted when the cause is an outage
 * (StoreUnavailableError). Callers see the same promises, rejections included.
 */
const SYNC_METHODS: ReadonlySet<PropertyKey> = new Set(['subscribers']);

export function countStoreErrors<S extends { kv: object; ephemeral: object; bus: object }>(store: S, count: (port: string) => void): S {
  const wrap = <T extends object>(target: T, port: string): T => {
    const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
    return new Proxy(target, {
      get(t, p, r) {
        const v = Reflect.get(t, p, r);
        if (typeof v !== 'function') return v;
        let m = methods.get(p);
        if (!m) {
          // A count (Bus.subscribers, asked on every publish) returns no promise: nothing to watch.
          if (SYNC_METHODS.has(p)) m = v.bind(t) as (...args: unknown[]) => unknown;
          else
            m = (...args: unknown[]) => {
              const out = v.apply(t, args);
              // DONE cannot reject: no reaction (a promise and a closure) to add for it.
              if (out instanceof Promise && out !== DONE) out.catch((err: unknown) => (err as { code?: string })?.code === 'store_unavailable' && count(port));
              return out;
            };
          methods.set(p, m);
        }
        return m;
      },
    });
  };
  // Wrapped once: the ports are read on every store call.
  const ports = { kv: wrap(store.kv, 'kv'), ephemeral: wrap(store.ephemeral, 'ephemeral'), bus: wrap(store.bus, 'bus') };
  return new Proxy(store, {
    get(t, p, r) {
      if (p === 'kv' || p === 'ephemeral' || p === 'bus') return ports[p];
      const v = Reflect.get(t, p, r);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}
