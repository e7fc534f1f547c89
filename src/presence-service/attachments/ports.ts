import type { Readable } from 'node:stream';

/**
 * The attachment store's port. Two adapters: disk (embedded default, one process) and
 * S3 (N instances). One contract suite (blob-contract.ts) runs against both.
 *
 * Keys are `<installationId>/<id>` (see keys.ts): every object is scoped by installation.
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

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export const noLog: Log = () => {};

/** The thing an authenticated request speaks for (the server maps Bearer tokens to it). */
export interface AttachmentPrincipal {
  kind: 'customer' | 'agent';
  installationId: string;
  accountId: string;
}
