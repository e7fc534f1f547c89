import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InstallationId } from '../../protocol/ids.js';
import { AttachmentRef } from '../../protocol/model.js';

/**
 * The attachment store's port. Two adapters: disk (embedded default, one process) and
 * S3 (N instances). One contract suite (blob-contract.ts) runs against both.
 *
 * Keys are `<installationId>/<id>` (blobKey below): every object is scoped by installation.
 */
export interface BlobMeta {
  installationId: string;
  conversationId: string;
  /** Sanitised display name (names.ts). */
  name: string;
  /** The sniffed type (sniff.ts), never the client's claim. */
  mime: string;
  /** Epoch ms by the service's clock; retention is counted from here. */
  uploadedAt: number;
  uploader: 'customer' | 'agent';
}

export interface PresignOptions {
  filename: string;
  ttlSec: number;
  /** Served as Content-Type; defaults to the type stored with the object. */
  contentType?: string;
}

export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /**
   * Stores the whole body or nothing: on failure no partial object remains.
   * A Readable of unknown length is spooled to a temp file by the S3 adapter (PutObject
   * needs ContentLength); an fs.ReadStream over a file is measured with stat instead.
   */
  put(key: string, body: Readable | Buffer, meta: BlobMeta): Promise<{ size: number }>;
  head(key: string): Promise<(BlobMeta & { size: number }) | null>;
  get(key: string): Promise<{ stream: Readable; meta: BlobMeta; size: number } | null>;
  /** S3 only: a presigned GET that the object store serves itself. */
  presignGet?(key: string, o: PresignOptions): Promise<string>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Keys stored before cutoffMs, for the sweeper. Disk compares meta.uploadedAt; S3
   * compares the object's LastModified (one listing call per 1000 objects, no HEAD per
   * object). Both are "time of upload", so for a service with a sane clock they agree.
   */
  listOlderThan(cutoffMs: number): AsyncIterable<string>;
}

// ---- keys ------------------------------------------------------------------------

/** 128 bits: ids are the only thing between a stranger and a file, so they are unguessable. */
export const ATTACHMENT_ID_BYTES = 16;

export const AttachmentId = AttachmentRef.shape.id;

export function newAttachmentId(): string {
  return randomBytes(ATTACHMENT_ID_BYTES).toString('base64url');
}

/** Object keys are `<installationId>/<id>`: nothing of one site is addressable from another. */
export function blobKey(installationId: string, id: string): string {
  return `${InstallationId.parse(installationId)}/${AttachmentId.parse(id)}`;
}

const KEY_RE = /^([A-Za-z0-9-]{1,64})\/([A-Za-z0-9_-]{16,64})$/;

/** Adapters call this on every key, so a key can never walk out of its directory or prefix. */
export function parseBlobKey(key: string): { installationId: string; id: string } {
  const m = KEY_RE.exec(key);
  if (!m) throw new InvalidBlobKeyError(key);
  return { installationId: m[1]!, id: m[2]! };
}

export class InvalidBlobKeyError extends Error {
  readonly code = 'invalid_blob_key';
  constructor(key: string) {
    super(`not an attachment key: ${JSON.stringify(key.slice(0, 80))}`);
    this.name = 'InvalidBlobKeyError';
  }
}
