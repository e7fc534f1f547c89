/** Limits and timings of the local Forge host, in one place. */

/** A Forge Invocation Token lives about as long as a Forge Remote call may take. */
export const FIT_LIFETIME_S = 25;
/**
 * Product events arrive asynchronously, possibly minutes late (Forge promises delivery, not
 * timing). The host holds every event this long before delivering it, so nothing — app or
 * test — can rely on a handler having run by the time the REST call that caused it returns.
 * Overridden by the host option `eventDelayMs` or the environment variable below.
 */
export const EVENT_DELAY_DEFAULT_MS = 2500;
export const EVENT_DELAY_ENV = 'FORGE_EVENT_DELAY_MS';
/** An upper bound for the configured delay (the docs' "minutes", capped for a sandbox). */
export const EVENT_DELAY_MAX_MS = 15 * 60_000;
/** "You can only retry an event for a maximum of four times" (product events page). */
export const EVENT_MAX_RETRIES = 4;
/** InvocationError retryAfter, seconds: @forge/events raises <= 0 to 1; the docs cap it at 900. */
export const EVENT_RETRY_AFTER_MIN_S = 1;
export const EVENT_RETRY_AFTER_MAX_S = 900;
/** Backoff of the platform's own retries (function timeouts); their timing is undocumented. */
export const EVENT_RETRY_BASE_MS = 200;
/** Request bodies: webtriggers, bridge calls, Jira-like forms. */
export const MAX_WEBTRIGGER_BODY_BYTES = 1024 * 1024;
export const MAX_BRIDGE_BODY_BYTES = 512 * 1024;
export const MAX_FORM_BODY_BYTES = 64 * 1024;
/** Custom UI frames remembered for bridge calls (oldest forgotten first). */
export const MAX_UI_FRAMES = 2000;
/** kvs as Forge documents it. */
export const KVS_MAX_KEY_LENGTH = 500;
export const KVS_MAX_VALUE_BYTES = 240 * 1024;
export const KVS_DEFAULT_QUERY_LIMIT = 10;
export const KVS_MAX_QUERY_LIMIT = 100;
/** Forge stops an invocation after 25 s (resolvers, webtriggers) or 55 s (event triggers). */
export const INVOCATION_TIMEOUT_MS = 25_000;
export const TRIGGER_TIMEOUT_MS = 55_000;
/** Personal data reporting: "Each request allows up to 90 accounts to be reported on." */
export const PRIVACY_REPORT_MAX_ACCOUNTS = 90;
