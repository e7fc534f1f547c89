/**
 * Recognises the retry request a product-event handler *returns*: `new InvocationError(options)`
 * from @forge/events, which (3.0.8, pinned) returns the plain object
 * `{ _retry: true, retryOptions: { retryAfter, retryReason, retryData? } }` from its
 * constructor "to make it transferrable" (its CHANGELOG, 0.6.1), so that object is the contract.
 *
 * Atlassian's "Retry product events" (https://developer.atlassian.com/platform/forge/events-reference/product_events/):
 * "You can request a retry for an Atlassian app event trigger by returning an InvocationError
 * object"; "You can only retry an event for a maximum of four times"; retryAfter is in seconds;
 * "The maximum retryAfter value is 900 seconds (15 minutes)"; retryReason is one of
 * FUNCTION_UPSTREAM_RATE_LIMITED, FUNCTION_RETRY_REQUEST. A retry request with another reason
 * or without a numeric retryAfter is malformed here (docs silent: strict) and not retried.
 */
import { EVENT_RETRY_AFTER_MAX_S, EVENT_RETRY_AFTER_MIN_S } from './limits.js';

/** The reasons the docs let an app give (InvocationErrorCode has more, for the platform's own retries). */
export const APP_RETRY_REASONS = ['FUNCTION_UPSTREAM_RATE_LIMITED', 'FUNCTION_RETRY_REQUEST'] as const;
export type AppRetryReason = (typeof APP_RETRY_REASONS)[number];

export type RetryRequest =
  { kind: 'none' } | { kind: 'retry'; retryAfterS: number; retryReason: AppRetryReason; retryData?: unknown } | { kind: 'malformed'; why: string };

export function retryRequestOf(returned: unknown): RetryRequest {
  if (returned === null || typeof returned !== 'object' || (returned as { _retry?: unknown })._retry !== true) return { kind: 'none' };
  const o = (returned as { retryOptions?: unknown }).retryOptions;
  if (o === null || typeof o !== 'object') return { kind: 'malformed', why: 'retryOptions missing' };
  const { retryAfter, retryReason, retryData } = o as { retryAfter?: unknown; retryReason?: unknown; retryData?: unknown };
  if (typeof retryAfter !== 'number' || !Number.isFinite(retryAfter)) return { kind: 'malformed', why: 'retryAfter is not a number of seconds' };
  if (!APP_RETRY_REASONS.includes(retryReason as AppRetryReason))
    return { kind: 'malformed', why: `retryReason must be one of ${APP_RETRY_REASONS.join(', ')}` };
  const retryAfterS = Math.min(EVENT_RETRY_AFTER_MAX_S, Math.max(EVENT_RETRY_AFTER_MIN_S, retryAfter));
  return { kind: 'retry', retryAfterS, retryReason: retryReason as AppRetryReason, ...(retryData !== undefined ? { retryData } : {}) };
}
