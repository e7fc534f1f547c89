import { createReadStream } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ConversationId } from '../../protocol/ids.js';
import type { AttachmentsContext } from './service.js';
import { sendJson } from '../http/body.js';
import { requestIdOf } from '../request-id.js';
import { corsHeaders, formatBytes, refusal } from './http.js';
import { ALLOWED_TYPES_TEXT, sniffFile, TextProbe } from './sniff.js';
import { SpoolLimitError, spoolToTemp, type Spooled } from './spool.js';
import { storeNewBlob } from './files.js';
import { describeIssue } from '../../protocol/issues.js';

/** The raw name may be long and messy (it is cleaned, not rejected), but not unbounded. */
const MAX_RAW_NAME_CHARS = 1024;

const UploadQuery = z.object({
  conversationId: ConversationId,
  name: z.string().min(1, 'name is required').max(MAX_RAW_NAME_CHARS, `name is longer than ${MAX_RAW_NAME_CHARS} characters`),
});

/**
 * POST /v1/attachments?conversationId=SUP-12&name=<file name>, raw bytes as the body.
 * Everything that can be refused without the body (auth, origin, access, declared size)
 * is refused before a byte is read; then the body is spooled under the size limit, judged
 * by its bytes, renamed to agree with them, and stored under a fresh random id. Nothing
 * is left behind on any failure: the spool file always goes, a failed put is deleted.
 */
export async function handleUpload(ctx: AttachmentsContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const origin = req.headers.origin;
  let cors: OutgoingHttpHeaders = corsHeaders(origin);

  const principal = await ctx.authenticate(req);
  if (!principal) throw refusal('unauthenticated', 'A valid Bearer token is required to upload.', { ...cors, 'WWW-Authenticate': 'Bearer' });

  const q = UploadQuery.safeParse({ conversationId: query.get('conversationId') ?? undefined, name: query.get('name') ?? undefined });
  if (!q.success) {
    throw refusal('invalid', describeIssue(q.error.issues[0], 'query'), cors);
  }
  const { conversationId, name } = q.data;

  // The website allowlist guards customers' uploads (the widget runs on those sites). An
  // agent is authenticated by their socket's httpToken, which only the Custom UI that
  // Forge vouched for holds; their page's origin (a Forge CDN / host origin) is not a
  // customer website and must not need to be on the project's list.
  if (principal.kind === 'customer' && origin && ctx.allowOrigin && !(await ctx.allowOrigin(principal.installationId, conversationId, origin))) {
    cors = corsHeaders(undefined); // the browser must not even read why
    throw refusal('origin_not_allowed', 'This website may not upload to this conversation.', cors);
  }
  if (!(await ctx.mayAccess(principal, conversationId, requestIdOf(res)))) {
    throw refusal('forbidden', 'You are not a participant of this conversation.', cors);
  }

  const tooLarge = `The file is larger than ${formatBytes(ctx.maxUploadBytes)}.`;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > ctx.maxUploadBytes) throw refusal('too_large', tooLarge, cors);

  const text = new TextProbe();
  let spooled: Spooled;
  try {
    spooled = await spoolToTemp(req, { limit: ctx.maxUploadBytes, dir: ctx.spoolDir, onChunk: (c) => text.push(c) });
  } catch (err) {
    if (err instanceof SpoolLimitError) throw refusal('too_large', tooLarge, cors);
    // The client went away or the disk failed; if anyone is still listening, say so.
    ctx.log('warn', 'attachments: upload not received', { error: (err as Error).name });
    throw refusal('invalid', 'The upload did not arrive completely.', cors);
  }

  try {
    const sniffed = await sniffFile(spooled.path, spooled.size, text);
    if (!sniffed.ok) {
      if (sniffed.reason === 'empty') throw refusal('empty', 'The file is empty.', cors);
      const why = sniffed.reason === 'markup' ? 'HTML, SVG and XML files cannot be attached. ' : "This file's type is not accepted. ";
      throw refusal('unsupported_type', why + ALLOWED_TYPES_TEXT, cors);
    }

    const ref = await storeNewBlob(ctx, {
      installationId: principal.installationId,
      conversationId,
      name,
      type: sniffed.type,
      size: spooled.size,
      body: createReadStream(spooled.path),
      uploader: principal.kind,
      what: 'an upload',
    });
    if (!ref) throw refusal('unavailable', 'The file could not be stored. Please try again.', cors);
    sendJson(res, 201, { attachment: ref }, cors);
  } finally {
    await spooled.dispose();
  }
}
