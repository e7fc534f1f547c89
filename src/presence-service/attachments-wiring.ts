/** Builds the attachments module (attachments/) from the service configuration. */
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { AttachmentsHost, AttachmentsPort } from './attachments-port.js';
import type { BlobStore } from './attachments/blob-store.js';
import { createDiskBlobStore } from './attachments/disk.js';
import { createS3BlobStore } from './attachments/s3.js';
import { createAttachments } from './attachments/service.js';

export function createAttachmentsFromConfig(config: Config, host: AttachmentsHost, log: Logger, clock: () => number): AttachmentsPort {
  const blobs: BlobStore =
    config.blobStore === 's3'
      ? createS3BlobStore({
          bucket: config.s3.bucket!,
          region: config.s3.region,
          ...(config.s3.endpoint ? { endpoint: config.s3.endpoint } : {}),
          forcePathStyle: config.s3.forcePathStyle,
          ...(config.s3.accessKeyId && config.s3.secretAccessKey
            ? { credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey } }
            : {}),
          streamChecksums: config.s3.streamChecksums ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED',
          // The brief asks for server-side encryption on every object; real S3 honours it, s3rver ignores it.
          serverSideEncryption: 'AES256',
        })
      : createDiskBlobStore({ dir: join(config.dataDir, 'attachments') });
  return createAttachments({
    blobs,
    publicUrl: config.publicUrl,
    maxUploadBytes: config.maxUploadBytes,
    signingKey: Buffer.from(config.secretKey),
    clock,
    ...host,
    log: (level, msg, fields) => log[level](msg, fields),
  });
}
