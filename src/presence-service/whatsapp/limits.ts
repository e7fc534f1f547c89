/** WhatsApp Cloud API constants, named once. */

/** Graph API version used for every call (Meta supports each version for about two years). */
export const GRAPH_API_VERSION = 'v21.0';
/** Webhook deliveries are small JSON batches; anything larger is not Meta. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** Meta redelivers for up to about a day; message ids are remembered a little longer. */
export const DEDUPE_TTL_MS = 3 * 24 * 60 * 60 * 1000;
/** One Graph request (send, media lookup, media download). */
export const GRAPH_TIMEOUT_MS = 15_000;
/** The longest verification challenge echoed back (Meta sends a short number). */
export const MAX_CHALLENGE_CHARS = 200;
/** Meta's error code for free text outside the 24-hour customer service window. */
export const OUTSIDE_WINDOW_ERROR = 131047;
/** Meta's error code when a template's parameters do not match its placeholders. */
export const TEMPLATE_PARAMS_ERROR = 132000;
/** Meta's error code when the template (in that language) does not exist. */
export const TEMPLATE_MISSING_ERROR = 132001;
/** Templates listed per page (Meta pages with cursors; an agent picks from the first page). */
export const TEMPLATE_PAGE_SIZE = 100;
/** WhatsApp text messages are limited to 4096 characters. */
export const MAX_WHATSAPP_TEXT_CHARS = 4096;
/**
 * A delivery is answered once Jira has its messages. A short hiccup is bridged here (the
 * app call is retried after these pauses, while Meta waits for the answer); a longer
 * outage gets a 503, the dedupe claim is released, and Meta redelivers later.
 */
export const INBOUND_RETRY_DELAYS_MS: readonly number[] = Object.freeze([500, 2_000]);
