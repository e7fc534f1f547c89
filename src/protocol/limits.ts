/**
 * Limits that both ends of a wire must agree on. Service-internal limits (rate
 * buckets, connection caps, retention sweeps) live beside the code that enforces them,
 * but anything a client must respect to be accepted is named here, once.
 */
export const PROTOCOL_VERSION = 1;

/** A WebSocket frame larger than this is closed with 1009 (message too big). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** The first frame of a socket must authenticate within this time, else close 1008. */
export const AUTH_TIMEOUT_MS = 5_000;
/** Server pings every socket this often; a socket silent for REAP_AFTER_MS is dropped. */
export const HEARTBEAT_INTERVAL_MS = 30_000;
export const REAP_AFTER_MS = 60_000;

/** Longest chat message text, in UTF-16 code units (Jira comments allow far more). */
export const MAX_MESSAGE_CHARS = 10_000;
/** Identity tokens issued to anonymous visitors carry at least this much entropy. */
export const VISITOR_TOKEN_BYTES = 24; // 192 bits, base64url
/** Site-signed identity JWTs may live at most this long (exp - iat), and are refused once this old (now - iat). */
export const MAX_IDENTITY_JWT_TTL_SEC = 60 * 60;
/** How far a site's clock may run ahead of ours: an `iat` later than now + this is refused. */
export const IDENTITY_JWT_CLOCK_SKEW_SEC = 60;

/** Webtrigger calls outside this window (either side of now) are replays. */
export const SIGNATURE_WINDOW_SEC = 300;

/**
 * A closed chat: the customer's next message within this many minutes reopens it (same
 * request, transitioned back); later, a new chat starts. A project setting; this is the
 * default (a day: "thanks, one more thing" the next morning still belongs to the case).
 */
export const DEFAULT_REOPEN_WINDOW_MINUTES = 24 * 60;
export const MAX_REOPEN_WINDOW_MINUTES = 30 * 24 * 60;
/** Longest last-message preview on the dashboard, in characters. */
export const DASHBOARD_PREVIEW_CHARS = 120;

/** Attachments: default size cap and retention. */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Presigned or signed download links live at most this long. */
export const DOWNLOAD_URL_TTL_SEC = 300;

/** Agent tickets (Forge -> presence service -> agent socket) are single use and short. */
export const AGENT_TICKET_TTL_MS = 60_000;
/** Agent grants (app -> agent page -> presence service) are good for one short exchange. */
export const AGENT_GRANT_TTL_SEC = 60;
/** Projects one grant or ticket may name. */
export const MAX_GRANT_PROJECTS = 200;

/** History pages fetched from Jira through the app. */
export const HISTORY_PAGE_SIZE = 50;

/**
 * Project settings. The settings page checks these before saving (it must not bundle
 * zod), the schemas in model.ts and schedule.ts enforce them: one definition for both.
 */
export const MAX_DISPLAY_NAME_CHARS = 255;
/** An agent search in the settings (prefix of a name or an email). */
export const MAX_AGENT_QUERY_CHARS = 100;
/** Agents one search answers with. */
export const MAX_FOUND_AGENTS = 20;
export const MAX_EMAIL_CHARS = 255;
/** One answer to a custom pre-chat field. */
export const MAX_PRECHAT_ANSWER_CHARS = 1000;
/** A closed chat's rating comment (issue 15): it goes to JSM's request feedback, nowhere else. */
export const MAX_RATING_COMMENT_CHARS = 1000;
/** JSM's request feedback (CSAT) takes an integer rating from 1 to 5. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** Automatic assignment (issue 15): open auto-assigned chats per agent unless the project says otherwise. */
export const DEFAULT_AGENT_CAPACITY = 3;
/** Also bounds how many slot keys a claim may try. */
export const MAX_AGENT_CAPACITY = 20;
export const MAX_TEAM_NAME_CHARS = 80;
export const MAX_WIDGET_TEXT_CHARS = 500;
export const MAX_FIELD_LABEL_CHARS = 100;
export const MAX_PRECHAT_FIELDS = 10;
export const MAX_ALLOWED_ORIGINS = 50;
export const MAX_ORIGIN_CHARS = 255;
export const MAX_INTERVALS_PER_DAY = 8;
export const MAX_EXCEPTION_LABEL_CHARS = 100;
/** Colours are "#RRGGBB"; times of day "HH:MM" from 00:00 to 24:00; dates "YYYY-MM-DD". */
export const HEX_COLOUR_PATTERN = /^#[0-9a-fA-F]{6}$/;
export const TIME_OF_DAY_PATTERN = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Projects one `usage` webtrigger call carries (two events each, within the app's 100 per invocation); more are split over calls. */
export const MAX_USAGE_PROJECTS_PER_CALL = 50;
/** One project's widget views in one flush interval; beyond it the count is clipped (a million loads a minute is no real site). */
export const MAX_USAGE_COUNT = 1_000_000;
/** `view` frames one customer socket may have counted (several tabs share one socket); more are ignored. */
export const MAX_VIEWS_PER_SOCKET = 50;
