/**
 * How the app's product-event handlers ask Forge to try again. Forge retries an event only
 * when the handler RETURNS an `InvocationError` (@forge/events), at most four times; a handler
 * that throws is not retried ("Retry product events",
 * https://developer.atlassian.com/platform/forge/events-reference/product_events/).
 * So each trigger catches its failure, logs its kind (never message text or payload) and
 * returns a retry request. The handlers are idempotent (relay marks, announce-before-write),
 * so a retry after a partial success is harmless.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';

/** First retry after this many seconds, doubling each time: 2, 4, 8, 16 (Forge allows up to 900). */
export const EVENT_RETRY_FIRST_AFTER_S = 2;

export interface RetryableEvent {
  retryContext?: { retryCount?: number };
}

export function retryLater(trigger: string, event: RetryableEvent, err: unknown): InvocationError {
  const n = event.retryContext?.retryCount ?? 0;
  console.error(`${trigger} failed (attempt ${n + 1}): ${err instanceof Error ? err.name : typeof err}; asking Forge to retry`);
  return new InvocationError({ retryAfter: EVENT_RETRY_FIRST_AFTER_S * 2 ** n, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
}
