/**
 * Finding and storing files: the lookup every read goes through (id shape, installation
 * scope, retention), the stable link, and the one place a judged file becomes an attachment.
 */
import type { Readable } from 'node:stream';
import type { AttachmentRef } from '../../protocol/model.js';
import { ATTACHMENT_RETENTION_MS } from '../../protocol/limits.js';
import type { StoreBufferInput, StoreBufferResult } from '../attachments-port.js';
import { AttachmentId, blobKey, newAttachmentId, type BlobMeta } from './blob-store.js';
import { sanitizeFileName } from './names.js';
import type { AttachmentsContext } from './service.js';
import { sniffBuffer, type SniffedType } from './sniff.js';

// ---- lookups ---------------------------------------------------------------------

export type Lookup =
  | { state: 'ok'; key: string; meta: BlobMeta & { size: number } }
  /** Past retention, or already swept. Ids are 128-bit random, so a well-formed id that is
   * not there was, in practice, one we handed out and have since deleted. */
  | { state: 'expired' }
  | { state: 'invalid' };

export function isExpired(ctx: AttachmentsContext, uploadedAt: number): boolean {
  return ctx.clock() - uploadedAt >= ATTACHMENT_RETENTION_MS;
}

export async function lookup(ctx: AttachmentsContext, installationId: string, id: string): Promise<Lookup> {
  if (!AttachmentId.safeParse(id).success || !/^[A-Za-z0-9-]{1,64}$/.test(installationId)) return { state: 'invalid' };
  const key = blobKey(installationId, id);
  const meta = await ctx.blobs.head(key);
  if (!meta || meta.installationId !== installationId) return { state: 'expired' };
  if (isExpired(ctx, meta.uploadedAt)) {
    // Do not wait for the sweeper to forget it.
    ctx.blobs.delete(key).catch(() => {});
    return { state: 'expired' };
  }
  return { state: 'ok', key, meta };
}

export function stableLink(ctx: AttachmentsContext, id: string): string {
  return `${ctx.publicUrl}/v1/attachments/${id}`;
}

// ---- storing -----------------------------------------------------------------------

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

/**
 * Stores bytes the service fetched itself (not a browser upload: no principal, no origin)
 * under the same rules as an upload: size limit, type judged by the bytes, name cleaned,
 * fresh random id, 7-day retention. The caller has already decided the conversation.
 */
export async function storeBuffer(ctx: AttachmentsContext, input: StoreBufferInput): Promise<StoreBufferResult> {
  if (input.bytes.length > ctx.maxUploadBytes) return { ok: false, code: 'too_large', message: 'the file is larger than the upload limit' };
  const sniffed = await sniffBuffer(input.bytes);
  if (!sniffed.ok) {
    return sniffed.reason === 'empty'
      ? { ok: false, code: 'empty', message: 'the file is empty' }
      : { ok: false, code: 'unsupported_type', message: "this file's type is not accepted" };
  }
  const { installationId, conversationId, name, bytes, uploader } = input;
  const ref = await storeNewBlob(ctx, {
    installationId,
    conversationId,
    name,
    type: sniffed.type,
    size: bytes.length,
    body: bytes,
    uploader,
    what: 'fetched bytes',
  });
  if (!ref) return { ok: false, code: 'unavailable', message: 'the file could not be stored' };
  return { ok: true, attachment: { ...ref, url: stableLink(ctx, ref.id) } };
}
