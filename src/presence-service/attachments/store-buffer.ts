import type { AttachmentRef } from '../../protocol/model.js';
import type { AttachmentsContext } from './deps.js';
import { stableLink } from './lookup.js';
import { sniffBuffer } from './sniff.js';
import { storeNewBlob } from './store-new.js';

export interface StoreBufferInput {
  installationId: string;
  conversationId: string;
  /** Display name as the sender gave it; cleaned and made to agree with the sniffed type. */
  name: string;
  bytes: Buffer;
  uploader: 'customer' | 'agent';
}

export type StoreBufferResult =
  | { ok: true; attachment: AttachmentRef & { url: string } }
  | { ok: false; code: 'empty' | 'too_large' | 'unsupported_type' | 'unavailable'; message: string };

/**
 * Stores bytes the service fetched itself (not a browser upload: no principal, no origin)
 * under the same rules as an upload: size limit, type judged by the bytes, name cleaned,
 * fresh random id, 7-day retention. The caller has already decided the conversation.
 */
export async function storeBuffer(ctx: AttachmentsContext, input: StoreBufferInput): Promise<StoreBufferResult> {
  if (input.bytes.length > ctx.maxUploadBytes) return { ok: false, code: 'too_large', message: 'the file is larger than the upload limit' };
  const sniffed = await sniffBuffer(input.bytes);
  if (!sniffed.ok) {
    return sniffed.reason === 'empty' ? { ok: false, code: 'empty', message: 'the file is empty' } : { ok: false, code: 'unsupported_type', message: "this file's type is not accepted" };
  }
  const { installationId, conversationId, name, bytes, uploader } = input;
  const ref = await storeNewBlob(ctx, { installationId, conversationId, name, type: sniffed.type, size: bytes.length, body: bytes, uploader, what: 'fetched bytes' });
  if (!ref) return { ok: false, code: 'unavailable', message: 'the file could not be stored' };
  return { ok: true, attachment: { ...ref, url: stableLink(ctx, ref.id) } };
}
