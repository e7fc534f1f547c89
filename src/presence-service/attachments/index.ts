/**
 * Attachments: the only content the presence service keeps, and only for 7 days.
 * See README.md beside this file for the routes, the accepted types and the choices made.
 */
export type { BlobMeta, BlobStore, PresignOptions } from './blob-store.js';
export type { AttachmentsDeps, Log } from './service.js';
export type { S3BlobStore, S3BlobStoreOptions } from './s3.js';
export { createAttachments } from './service.js';
export { createDiskBlobStore } from './disk.js';
export { createS3BlobStore } from './s3.js';
