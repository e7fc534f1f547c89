/**
 * Builds the attachments module (the AttachmentsPort of ../attachments-port.ts) from its
 * deps: files.ts finds and stores files, routes.ts lists its HTTP routes (upload.ts, download.ts),
 * sweeper.ts deletes what is past retention.
 */
import type { LogLevel } from '../config.js';
import type { AttachmentsHost, AttachmentsPort } from '../attachments-port.js';
import type { BlobStore } from './blob-store.js';
import { downloadSigningKey, freshDownloadUrl } from './download.js';
import { lookup, stableLink, storeBuffer } from './files.js';
import { attachmentRoutes } from './routes.js';
import { servedContentType } from './sniff.js';
import { removeStaleSpools } from './spool.js';
import { createSweeper } from './sweeper.js';

export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;
export const noLog: Log = () => {};

export interface AttachmentsDeps extends AttachmentsHost {
  blobs: BlobStore;
  /** Base URL the service is reached at, e.g. "https://chat.example.com" (no trailing path). */
  publicUrl: string;
  maxUploadBytes: number;
  /** The service's master secret (>= 32 bytes); download links use a key derived from it (HKDF). */
  signingKey: Buffer;
  clock?: () => number;
  /** Where uploads are spooled while they are checked (default: the OS temp dir). */
  spoolDir?: string;
  log?: Log;
}

/** Deps with defaults filled, as the route handlers see them. */
export interface AttachmentsContext extends Required<Omit<AttachmentsDeps, 'allowOrigin' | 'spoolDir'>> {
  allowOrigin?: AttachmentsDeps['allowOrigin'];
  spoolDir?: string;
}

export function createAttachments(deps: AttachmentsDeps): AttachmentsPort {
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
    routes: attachmentRoutes(ctx),

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
