/** The port every analytics sink implements (ga4.ts, bigquery.ts). */
import type { AnalyticsEvent } from './events.js';

export type SinkName = 'ga4' | 'bigquery';

/**
 * `unavailable`: try again later (network, 429, 5xx). `invalid`: the sink refused these
 * events and would again; they are dropped and counted, never retried.
 */
export class SinkError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

export interface Sink {
  readonly name: SinkName;
  /** Sends every event or throws a SinkError. Must be safe to repeat (events carry stable ids). */
  send(events: readonly AnalyticsEvent[]): Promise<void>;
}
