import type { Readable } from 'node:stream';
import type { AttachmentRef } from '../../protocol/model.js';
import type { AttachmentsContext } from './deps.js';
import { blobKey, newAttachmentId } from './keys.js';
import type { BlobMeta } from './ports.js';
import { sanitizeFileName } from './names.js';
import type { SniffedType } from './sniff.js';

export interface NewBlob {
  installationId: string;
  conversationId: string;
  /** The name as the sender gave it; cleaned here to agree with the sniffed type. */
  name: string;
  type: SniffedType;
  size: number;
  body: Readable | Buffer;
  uploader: BlobMeta['uploader'];
  /** For the failure log line: 'an upload', 'fetched bytes'. */
  what: string;
}

/**
 * The one place a judged file becomes an attachment: fresh random id, cleaned name, put
 * with its metadata. A failed put is deleted so nothing half-written stays; the failure is
 * logged and null returned for the caller to answer in its own terms.
 */
export async function storeNewBlob(ctx: AttachmentsContext, f: NewBlob): Promise<AttachmentRef | null> {
  const id = newAttachmentId();
  const key = blobKey(f.installationId, id);
  const ref: AttachmentRef = { id, name: sanitizeFileName(f.name, f.type), size: f.size, mime: f.type.mime };
  try {
    await ctx.blobs.put(key, f.body, {
      installationId: f.installationId,
      conversationId: f.conversationId,
      name: ref.name,
      mime: ref.mime,
      uploadedAt: ctx.clock(),
      uploader: f.uploader,
    });
  } catch (err) {
    await ctx.blobs.delete(key).catch(() => {});
    ctx.log('error', `attachments: storing ${f.what} failed`, { installationId: f.installationId, store: ctx.blobs.kind, error: (err as Error).name });
    return null;
  }
  ctx.log('info', 'attachments: stored', { installationId: f.installationId, conversationId: f.conversationId, id, size: ref.size, mime: ref.mime });
  return ref;
}
