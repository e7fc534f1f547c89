import { randomBytes } from 'node:crypto';
import { InstallationId } from '../../protocol/ids.js';
import { AttachmentRef } from '../../protocol/model.js';

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
