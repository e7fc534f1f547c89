import type { AttachmentRef } from '../../protocol/model.js';
import type { AttachmentsContext } from './deps.js';
import { blobKey, newAttachmentId } from './keys.js';
import { stableLink } from './lookup.js';
import { sanitizeFileName } from './names.js';
import { sniffBuffer } from './sniff.js';

export interface StoreBufferInput {
  cloudId: string;
  conversationId: string;
  /** Display name as the sender gave it; cleaned and made to agree with the sniffed type. */
  name: string;
  bytes: Buffer;
  uploader: 'customer' | 'agent';
}

export type StoreBufferResult =
  | { ok: true; attachment: AttachmentRef & { url: string } }
  | { ok: false; code: 'empty' | 'too_large' | 'unsupported_type' | 'unavailable'; message: string };

/**
 * Stores bytes the service fetched itself (not a browser upload: no principal, no origin)
 * under the same rules as an upload: size limit, type judged by the bytes, name cleaned,
 * fresh random id, 7-day retention. The caller has already decided the conversation.
 */
export async function storeBuffer(ctx: AttachmentsContext, input: StoreBufferInput): Promise<StoreBufferResult> {
  if (input.bytes.length > ctx.maxUploadBytes) return { ok: false, code: 'too_large', message: 'the file is larger than the upload limit' };
  const sniffed = await sniffBuffer(input.bytes);
  if (!sniffed.ok) {
    return sniffed.reason === 'empty' ? { ok: false, code: 'empty', message: 'the file is empty' } : { ok: false, code: 'unsupported_type', message: "this file's type is not accepted" };
  }
  const id = newAttachmentId();
  const key = blobKey(input.cloudId, id);
  const ref: AttachmentRef = { id, name: sanitizeFileName(input.name, sniffed.type), size: input.bytes.length, mime: sniffed.type.mime };
  try {
    await ctx.blobs.put(key, input.bytes, {
      cloudId: input.cloudId,
      conversationId: input.conversationId,
      name: ref.name,
      mime: ref.mime,
      uploadedAt: ctx.clock(),
      uploader: input.uploader,
    });
  } catch (err) {
    await ctx.blobs.delete(key).catch(() => {});
    ctx.log('error', 'attachments: storing fetched bytes failed', { cloudId: input.cloudId, store: ctx.blobs.kind, error: (err as Error).name });
    return { ok: false, code: 'unavailable', message: 'the file could not be stored' };
  }
  ctx.log('info', 'attachments: stored', { cloudId: input.cloudId, conversationId: input.conversationId, id, size: ref.size, mime: ref.mime });
  return { ok: true, attachment: { ...ref, url: stableLink(ctx, id) } };
}
