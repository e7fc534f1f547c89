import { ATTACHMENT_RETENTION_MS, DOWNLOAD_URL_TTL_SEC } from '../../protocol/limits.js';
import type { AttachmentsContext } from './deps.js';
import { AttachmentId, blobKey } from './keys.js';
import type { BlobMeta } from './ports.js';
import { signDownload } from './signed-url.js';
import { servedContentType } from './sniff.js';

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

/** A fresh short-lived link: presigned by S3 where the store can, else signed by us. */
export async function freshDownloadUrl(ctx: AttachmentsContext, installationId: string, id: string, meta: BlobMeta): Promise<{ url: string; expiresAt: string }> {
  const now = ctx.clock();
  if (ctx.blobs.presignGet) {
    const url = await ctx.blobs.presignGet(blobKey(installationId, id), { filename: meta.name, ttlSec: DOWNLOAD_URL_TTL_SEC, contentType: servedContentType(meta.mime) });
    return { url, expiresAt: new Date(now + DOWNLOAD_URL_TTL_SEC * 1000).toISOString() };
  }
  const link = signDownload(ctx.signingKey, installationId, id, now);
  return { url: ctx.publicUrl + link.path, expiresAt: new Date(link.expiresAtSec * 1000).toISOString() };
}

export function stableLink(ctx: AttachmentsContext, id: string): string {
  return `${ctx.publicUrl}/v1/attachments/${id}`;
}
