/**
 * Every analytics limit in one place. GA4 figures are Google's documented ones:
 * @see https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events
 * @see https://support.google.com/analytics/answer/9267744 (event collection limits)
 * @see https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events
 */
/** "Requests can have a maximum of 25 events." */
export const GA4_MAX_EVENTS_PER_REQUEST = 25;
/** "Events can have a maximum of 25 parameters." */
export const GA4_MAX_PARAMS_PER_EVENT = 25;
/** Event names and parameter names: at most 40 characters. */
export const GA4_MAX_NAME_CHARS = 40;
/** Parameter values: at most 100 characters (standard properties). */
export const GA4_MAX_PARAM_VALUE_CHARS = 100;
/** "The total size of the POST body must be less than 130kB." */
export const GA4_MAX_BODY_BYTES = 130_000;
/** Events may be back-dated by at most 72 hours (timestamp_micros). */
export const GA4_MAX_BACKDATE_MS = 72 * 3600_000;

/** BigQuery: tabledata.insertAll recommends at most 500 rows per request. */
export const BQ_MAX_ROWS_PER_REQUEST = 500;

/** Events one invocation may buffer; more are dropped and counted (a handler makes a handful). */
export const MAX_EVENTS_PER_INVOCATION = 100;
/** Tries per flush within one invocation, and the waits between them (ms): invocations are short. */
export const FLUSH_BACKOFF_MS = [200, 800] as const;
/** One HTTP call to a sink gives up after this long. */
export const SINK_TIMEOUT_MS = 5_000;
/** Batches parked in Forge storage per sink while it is down; more are dropped and counted. */
export const MAX_PARKED_BATCHES = 20;
/** A parked batch older than this is dropped and counted (GA4 refuses events older than 72 h). */
export const MAX_PARKED_AGE_MS = 24 * 3600_000;
/** Parked batches one invocation retries before its own (keeps invocations short). */
export const PARKED_RETRIES_PER_FLUSH = 3;

/** Default "missed chat": no agent answer within this many minutes. */
export const DEFAULT_MISSED_AFTER_MINUTES = 5;
export const MAX_MISSED_AFTER_MINUTES = 24 * 60;
