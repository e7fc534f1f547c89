/**
 * Attachments: the only content the presence service keeps, and only for 7 days.
 * See README.md beside this file for the routes, the accepted types and the choices made.
 */
export type { AttachmentPrincipal, BlobMeta, BlobStore, Log, LogLevel, PresignOptions } from './ports.js';
export type { AttachmentsDeps } from './deps.js';
export type { Attachments } from './service.js';
export type { StoreBufferInput, StoreBufferResult } from './store-buffer.js';
export type { S3BlobStore, S3BlobStoreOptions } from './s3.js';
export { createAttachments } from './service.js';
export { createDiskBlobStore } from './disk.js';
export { createS3BlobStore, LIFECYCLE_RULE_ID } from './s3.js';
export { SWEEP_INTERVAL_MS } from './sweeper.js';
export { ALLOWED_TYPES_TEXT } from './sniff.js';
