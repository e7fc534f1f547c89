/**
 * What the service needs from the attachments module (built separately in attachments/),
 * and what it offers it: who is calling (authenticate) and whether they may see a
 * conversation (mayAccess).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { AttachmentRef } from '../protocol/model.js';

export type Principal = { kind: 'customer' | 'agent'; installationId: string; accountId: string };

export interface AttachmentsPort {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  describe(installationId: string, attachmentId: string): Promise<(AttachmentRef & { conversationId: string; url: string }) | null>;
  downloadUrl(installationId: string, conversationId: string, attachmentId: string): Promise<{ url: string; expiresAt: string } | { expired: true } | null>;
  /** The stored file for a conversation (the app copies it into Jira); null: unknown or another conversation's. */
  open?(installationId: string, conversationId: string, attachmentId: string): Promise<{ stream: Readable; name: string; mime: string; size: number } | { expired: true } | null>;
  /** Bytes the service fetched itself (WhatsApp media), stored for a conversation. Optional: added later. */
  storeBuffer?(input: { installationId: string; conversationId: string; name: string; bytes: Buffer; uploader: 'customer' | 'agent' }): Promise<
    { ok: true; attachment: AttachmentRef & { url: string } } | { ok: false; code: string; message: string }
  >;
  start?(): void;
  stop?(): void;
}

export interface AttachmentsHost {
  authenticate(req: IncomingMessage): Promise<Principal | null>;
  mayAccess(principal: Principal, conversationId: string): Promise<boolean>;
  /** Browser uploads only from the project's allowed origins. */
  allowOrigin(installationId: string, conversationId: string, origin: string): Promise<boolean>;
}
