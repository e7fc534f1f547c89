/** Limits of the stand-in, matching Jira Cloud where Jira documents one. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** multipart uploads (attachTemporaryFile): Jira Cloud's default attachment limit is larger; ours matches the chat's 10 MiB file limit plus multipart framing. */
export const MAX_MULTIPART_BYTES = 11 * 1024 * 1024;
/** Entity (issue/comment) property values: Jira rejects values over 32 KB. */
export const MAX_PROPERTY_BYTES = 32768;
export const MAX_PROPERTY_KEY_LENGTH = 255;
export const DEFAULT_COMMENT_PAGE = 100;
export const MAX_COMMENT_PAGE = 100;
export const DEFAULT_SEARCH_PAGE = 50;
export const MAX_SEARCH_PAGE = 100;
export const MAX_SEARCH_PAGE_ID_ONLY = 5000;
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 100;
export const SEED_API_TOKEN = 'sandbox';
export const DATA_FILE = 'jsm.json';
