import type { IncomingMessage } from 'node:http';
import type { AttachmentPrincipal, BlobStore, Log } from './ports.js';

export interface AttachmentsDeps {
  blobs: BlobStore;
  /** Base URL the service is reached at, e.g. "https://chat.example.com" (no trailing path). */
  publicUrl: string;
  maxUploadBytes: number;
  /** The service's master secret (>= 32 bytes); download links use a key derived from it (HKDF). */
  signingKey: Buffer;
  clock?: () => number;
  /** Bearer token -> principal; null when missing or invalid. */
  authenticate(req: IncomingMessage): Promise<AttachmentPrincipal | null>;
  /** May this principal see this conversation (customer: their own; agent: their site's)? */
  mayAccess(p: AttachmentPrincipal, conversationId: string): Promise<boolean>;
  /** The project's origin allowlist for uploads from browsers; absent = any origin. */
  allowOrigin?(installationId: string, conversationId: string, origin: string): Promise<boolean>;
  /** Where uploads are spooled while they are checked (default: the OS temp dir). */
  spoolDir?: string;
  log?: Log;
}

/** Deps with defaults filled, as the route handlers see them. */
export interface AttachmentsContext extends Required<Omit<AttachmentsDeps, 'allowOrigin' | 'spoolDir'>> {
  allowOrigin?: AttachmentsDeps['allowOrigin'];
  spoolDir?: string;
}
