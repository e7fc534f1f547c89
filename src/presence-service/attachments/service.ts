import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { servedContentType } from './sniff.js';
import type { AttachmentRef } from '../../protocol/model.js';
import type { AttachmentsDeps, AttachmentsContext } from './deps.js';
import { freshDownloadUrl, lookup, stableLink } from './lookup.js';
import { noLog } from './ports.js';
import { createRouter } from './routes.js';
import { downloadSigningKey } from './signed-url.js';
import { removeStaleSpools } from './spool.js';
import { createSweeper } from './sweeper.js';
import { storeBuffer, type StoreBufferInput, type StoreBufferResult } from './store-buffer.js';

export interface Attachments {
  /** Answers its own routes (/v1/attachments, /v1/attachments/<id>, /v1/files/<id>); false for others. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The ref and the stable link to put in a Jira comment; null if unknown or expired. */
  describe(installationId: string, attachmentId: string): Promise<(AttachmentRef & { conversationId: string; url: string }) | null>;
  /**
   * A fresh download link (<= DOWNLOAD_URL_TTL_SEC) for a participant the caller has
   * already checked; null if the id is malformed or belongs to another conversation.
   */
  downloadUrl(installationId: string, conversationId: string, attachmentId: string): Promise<{ url: string; expiresAt: string } | { expired: true } | null>;
  /** The stored bytes of a conversation's file, for the app to copy into Jira; null if unknown or another conversation's. */
  open(installationId: string, conversationId: string, attachmentId: string): Promise<{ stream: Readable; name: string; mime: string; size: number } | { expired: true } | null>;
  /** Stores bytes the service fetched itself (WhatsApp media) for a conversation; same rules as an upload. */
  storeBuffer(input: StoreBufferInput): Promise<StoreBufferResult>;
  sweep(): Promise<number>;
  /** Hourly sweeper (unref'd); on S3 it first puts the bucket lifecycle rule in place. */
  start(): void;
  stop(): void;
}

export function createAttachments(deps: AttachmentsDeps): Attachments {
  if (!Number.isSafeInteger(deps.maxUploadBytes) || deps.maxUploadBytes <= 0) throw new RangeError('maxUploadBytes must be a positive integer');
  const publicUrl = new URL(deps.publicUrl).toString().replace(/\/+$/, '');
  const ctx: AttachmentsContext = Object.freeze({
    ...deps,
    publicUrl,
    signingKey: downloadSigningKey(deps.signingKey),
    clock: deps.clock ?? Date.now,
    log: deps.log ?? noLog,
  });
  const blobs = ctx.blobs as typeof ctx.blobs & { ensureLifecycle?: (log: typeof ctx.log) => Promise<void> };
  const sweeper = createSweeper({
    blobs: ctx.blobs,
    clock: ctx.clock,
    log: ctx.log,
    beforeFirstSweep: blobs.ensureLifecycle ? () => blobs.ensureLifecycle!(ctx.log) : undefined,
    afterSweep: () => removeStaleSpools(ctx.spoolDir).then(() => {}),
  });

  return {
    handle: createRouter(ctx),

    async describe(installationId, attachmentId) {
      const found = await lookup(ctx, installationId, attachmentId);
      if (found.state !== 'ok') return null;
      const { name, size, mime, conversationId } = found.meta;
      return { id: attachmentId, name, size, mime, conversationId, url: stableLink(ctx, attachmentId) };
    },

    async downloadUrl(installationId, conversationId, attachmentId) {
      const found = await lookup(ctx, installationId, attachmentId);
      if (found.state === 'invalid') return null;
      if (found.state === 'expired') return { expired: true };
      if (found.meta.conversationId !== conversationId) return null;
      return freshDownloadUrl(ctx, installationId, attachmentId, found.meta);
    },

    async open(installationId, conversationId, attachmentId) {
      const found = await lookup(ctx, installationId, attachmentId);
      if (found.state === 'invalid') return null;
      if (found.state === 'expired') return { expired: true };
      if (found.meta.conversationId !== conversationId) return null;
      const blob = await ctx.blobs.get(found.key);
      if (!blob) return { expired: true };
      return { stream: blob.stream, name: found.meta.name, mime: servedContentType(found.meta.mime), size: blob.size };
    },

    storeBuffer: (input) => storeBuffer(ctx, input),
    sweep: sweeper.sweep,
    start: sweeper.start,
    stop: sweeper.stop,
  };
}
