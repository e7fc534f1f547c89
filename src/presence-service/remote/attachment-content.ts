/**
 * POST /forge/v1/attachment-content: the app's backend fetches a chat file to attach it
 * to the JSM request (src/protocol/remote-attachments.ts says why the app pulls). The
 * installation comes from the backend FIT; the file must belong to the named conversation.
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AttachmentContentRequest, ATTACHMENT_NAME_HEADER } from '../../protocol/remote-attachments.js';
import { describeIssue } from '../../protocol/issues.js';
import type { Ctx } from '../context.js';
import { ServiceError } from '../errors.js';

export async function sendAttachmentContent(ctx: Ctx, installationId: string, raw: unknown, res: ServerResponse): Promise<void> {
  const q = AttachmentContentRequest.safeParse(raw ?? {});
  if (!q.success) throw new ServiceError('invalid', describeIssue(q.error.issues[0], 'body'));
  if (!ctx.attachments) throw new ServiceError('not_found', 'attachments are not enabled');
  const found = await ctx.attachments.open(installationId, q.data.conversationId, q.data.attachmentId);
  if (!found) throw new ServiceError('not_found', 'no such attachment in this conversation');
  if ('expired' in found) throw new ServiceError('expired', 'the attachment has expired');
  res.writeHead(200, {
    'Content-Type': found.mime,
    'Content-Length': String(found.size),
    [ATTACHMENT_NAME_HEADER]: encodeURIComponent(found.name),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  await pipeline(found.stream, res);
}
