/**
 * The one Forge Remote call whose answer is bytes, not JSON: the app's backend fetches a
 * chat file from the presence service to attach it to the JSM request in Jira.
 *
 * Why the app pulls (and the service does not push): a Forge invocation's payload is at
 * most 5 MB (front-end invoke requests 500 KB) while chat files may be MAX_UPLOAD_BYTES
 * (10 MiB), so bytes cannot ride in a webtrigger or resolver payload; an outbound call
 * from the function (egress, here Forge Remote) has no such cap, and the function then
 * uploads to Jira with requestJira.
 * https://developer.atlassian.com/platform/forge/limits-invocation/
 *
 * POST <REMOTE_PREFIX>/attachment-content {conversationId, attachmentId}, backend FIT only.
 * 200: the bytes, Content-Type = the sniffed type, ATTACHMENT_NAME_HEADER = the cleaned
 * name, percent-encoded. 404 not_found (unknown / other conversation), 410 expired.
 */
import { z } from 'zod';
import { ConversationId } from './ids.js';

export const ATTACHMENT_CONTENT_CALL = 'attachment-content';
export const ATTACHMENT_NAME_HEADER = 'x-attachment-name';

export const AttachmentContentRequest = z.object({
  conversationId: ConversationId,
  attachmentId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});
export type AttachmentContentRequest = z.infer<typeof AttachmentContentRequest>;
