import { ReadStream, createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ATTACHMENT_RETENTION_MS, DOWNLOAD_URL_TTL_SEC } from '../../protocol/limits.js';
import { decodePercent } from '../http/percent.js';
import { parseBlobKey, type BlobMeta, type BlobStore } from './blob-store.js';
import { contentDisposition } from './names.js';
import type { Log } from './service.js';
import { spoolToTemp } from './spool.js';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * 'WHEN_REQUIRED' for S3-compatible servers that store aws-chunked framing verbatim
   * (s3rver does: a streamed PutObject with the SDK's default checksums comes back with
   * the chunk headers in the bytes). 'WHEN_SUPPORTED' is the SDK default, fine on AWS.
   */
  streamChecksums: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';
  serverSideEncryption?: 'AES256' | 'aws:kms' | null;
  /**
   * Every object lives under this prefix, so the lifecycle rule can be scoped to it and
   * never touches anything else in a shared bucket. Default "attachments/".
   */
  keyPrefix?: string;
}

export const LIFECYCLE_RULE_ID = 'jsm-chat-attachments-retention';
const RETENTION_DAYS = Math.ceil(ATTACHMENT_RETENTION_MS / 86_400_000);
const LIST_PAGE = 1000;

/** Metadata travels as x-amz-meta-* headers, which must be ASCII: the name is percent-encoded. */
const M = { cloud: 'cloud-id', conversation: 'conversation-id', name: 'name', uploadedAt: 'uploaded-at', uploader: 'uploader' } as const;

export type S3BlobStore = BlobStore & { ensureLifecycle(log: Log): Promise<void> };

export function createS3BlobStore(o: S3BlobStoreOptions): S3BlobStore {
  const prefix = o.keyPrefix ?? 'attachments/';
  if (!/^([A-Za-z0-9_-]+\/)*$/.test(prefix)) throw new RangeError('keyPrefix must be empty or end with "/" (e.g. "attachments/")');
  const client = new S3Client({
    region: o.region,
    endpoint: o.endpoint,
    forcePathStyle: o.forcePathStyle,
    credentials: o.credentials,
    requestChecksumCalculation: o.streamChecksums,
    responseChecksumValidation: o.streamChecksums,
  });
  const Bucket = o.bucket;
  const objectKey = (key: string) => {
    parseBlobKey(key);
    return prefix + key;
  };

  async function putBody(Key: string, body: Buffer | Readable, length: number, meta: BlobMeta): Promise<void> {
    await client.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: body,
        ContentLength: length,
        ContentType: meta.mime,
        ...(o.serverSideEncryption ? { ServerSideEncryption: o.serverSideEncryption } : {}),
        Metadata: {
          [M.cloud]: meta.installationId,
          [M.conversation]: meta.conversationId,
          [M.name]: encodeURIComponent(meta.name),
          [M.uploadedAt]: String(meta.uploadedAt),
          [M.uploader]: meta.uploader,
        },
      }),
    );
  }

  function metaFrom(h: { Metadata?: Record<string, string>; ContentType?: string }): BlobMeta | null {
    const m = h.Metadata ?? {};
    const uploadedAt = Number(m[M.uploadedAt]);
    const uploader = m[M.uploader];
    if (!m[M.cloud] || !m[M.conversation] || !m[M.name] || !Number.isFinite(uploadedAt) || (uploader !== 'customer' && uploader !== 'agent')) return null;
    const name = decodePercent(m[M.name]!);
    if (name === null) return null;
    return { installationId: m[M.cloud]!, conversationId: m[M.conversation]!, name, mime: h.ContentType ?? 'application/octet-stream', uploadedAt, uploader };
  }

  return {
    kind: 's3',

    async put(key, body, meta) {
      const Key = objectKey(key);
      try {
        if (Buffer.isBuffer(body)) {
          await putBody(Key, body, body.length, meta);
          return { size: body.length };
        }
        // PutObject needs a length up front (no lib-storage multipart here): a file stream
        // is measured, anything else is spooled to a temp file first.
        if (body instanceof ReadStream && typeof body.path === 'string') {
          const size = (await stat(body.path)).size;
          await putBody(Key, body, size, meta);
          return { size };
        }
        const spooled = await spoolToTemp(body);
        try {
          await putBody(Key, createReadStream(spooled.path), spooled.size, meta);
          return { size: spooled.size };
        } finally {
          await spooled.dispose();
        }
      } catch (err) {
        await client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => {});
        throw err;
      }
    },

    async head(key) {
      try {
        const h = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        const meta = metaFrom(h);
        return meta ? { ...meta, size: h.ContentLength ?? 0 } : null;
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    async get(key) {
      try {
        const g = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
        const meta = metaFrom(g);
        const stream = g.Body as Readable | undefined;
        if (!meta || !stream) {
          stream?.destroy();
          return null;
        }
        return { stream, meta, size: g.ContentLength ?? 0 };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    async presignGet(key, p) {
      const expiresIn = Math.min(Math.max(1, Math.floor(p.ttlSec)), DOWNLOAD_URL_TTL_SEC);
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket,
          Key: objectKey(key),
          ResponseContentDisposition: contentDisposition(p.filename),
          ...(p.contentType ? { ResponseContentType: p.contentType } : {}),
          ResponseCacheControl: 'private, no-store',
        }),
        { expiresIn },
      );
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },

    async *listOlderThan(cutoffMs) {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken, MaxKeys: LIST_PAGE }));
        for (const obj of page.Contents ?? []) {
          if (!obj.Key || !obj.LastModified || obj.LastModified.getTime() >= cutoffMs) continue;
          const key = obj.Key.slice(prefix.length);
          try {
            parseBlobKey(key);
          } catch {
            continue; // not one of ours
          }
          yield key;
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    /**
     * Adds (or refreshes) one expiry rule scoped to the prefix, keeping the bucket's other
     * rules: PutBucketLifecycleConfiguration replaces the whole configuration. Where the
     * server or the credentials do not allow it, it logs the rule for an operator to apply
     * and carries on: the sweeper deletes on time either way; the rule is a second guard.
     */
    async ensureLifecycle(log) {
      const rule: LifecycleRule = { ID: LIFECYCLE_RULE_ID, Status: 'Enabled', Filter: { Prefix: prefix }, Expiration: { Days: RETENTION_DAYS } };
      try {
        let rules: LifecycleRule[] = [];
        try {
          rules = (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? [];
        } catch (err) {
          if (errorName(err) !== 'NoSuchLifecycleConfiguration') throw err;
        }
        const others = rules.filter((r) => r.ID !== LIFECYCLE_RULE_ID);
        await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [...others, rule] } }));
        log('info', 'attachments: bucket lifecycle rule in place', { bucket: Bucket, rule });
      } catch (err) {
        log('warn', 'attachments: could not set the bucket lifecycle rule; apply it by hand (the hourly sweeper still deletes files after 7 days)', {
          bucket: Bucket,
          error: errorName(err),
          rule,
        });
      }
    },
  };
}

function errorName(err: unknown): string {
  return (err as { name?: string } | null)?.name ?? 'Error';
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
