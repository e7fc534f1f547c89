/**
 * The one seam between the service and its attachments module (attachments/): what the
 * service calls (AttachmentsPort, implemented by attachments/service.ts) and what it
 * offers the module in return (AttachmentsHost: who is calling, may they see a
 * conversation, may this website upload).
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { AttachmentRef } from '../protocol/model.js';
import type { Route } from './http/router.js';

/** Who an authenticated HTTP request speaks for (auth/principals.ts maps Bearer tokens to it). */
export interface Principal {
  kind: 'customer' | 'agent';
  installationId: string;
  accountId: string;
}

export interface AttachmentsHost {
  /** Bearer token -> principal; null when missing or invalid. */
  authenticate(req: IncomingMessage): Promise<Principal | null>;
  /** May this principal see this conversation (customer: their own; agent: their site's)? */
  mayAccess(principal: Principal, conversationId: string, requestId?: string): Promise<boolean>;
  /** Browser uploads only from the project's allowed origins; absent = any origin. */
  allowOrigin?(installationId: string, conversationId: string, origin: string): Promise<boolean>;
}

export interface StoreBufferInput {
  installationId: string;
  conversationId: string;
  /** Display name as the sender gave it; cleaned and made to agree with the sniffed type. */
  name: string;
  bytes: Buffer;
  uploader: 'customer' | 'agent';
}

export type StoreBufferResult =
  { ok: true; attachment: AttachmentRef & { url: string } } | { ok: false; code: 'empty' | 'too_large' | 'unsupported_type' | 'unavailable'; message: string };

export interface AttachmentsPort {
  /** Its routes (/v1/attachments, /v1/attachments/<id>, /v1/files/<id>) for the service's router. */
  readonly routes: readonly Route[];
  /** The ref and the stable link to put in a Jira comment; null if unknown or expired. */
  describe(installationId: string, attachmentId: string): Promise<(AttachmentRef & { conversationId: string; url: string }) | null>;
  /**
   * A fresh download link (<= DOWNLOAD_URL_TTL_SEC) for a participant the caller has
   * already checked; null if the id is malformed or belongs to another conversation.
   */
  downloadUrl(installationId: string, conversationId: string, attachmentId: string): Promise<{ url: string; expiresAt: string } | { expired: true } | null>;
  /** The stored bytes of a conversation's file, for the app to copy into Jira; null if unknown or another conversation's. */
  open(
    installationId: string,
    conversationId: string,
    attachmentId: string,
  ): Promise<{ stream: Readable; name: string; mime: string; size: number } | { expired: true } | null>;
  /** Stores bytes the service fetched itself (WhatsApp media) for a conversation; same rules as an upload. */
  storeBuffer(input: StoreBufferInput): Promise<StoreBufferResult>;
  /** Deletes every file past retention now; resolves to how many. */
  sweep(): Promise<number>;
  /** Hourly sweeper (unref'd); on S3 it first puts the bucket lifecycle rule in place. */
  start(): void;
  stop(): void;
}
