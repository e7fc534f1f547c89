import type { AttachmentRef } from '../../../src/protocol/model.js';

/**
 * Upload a file to the presence service (files live there for 7 days, never in Forge).
 * The bearer token came in the socket's auth.ok; it is never put in the URL.
 */
export async function uploadAttachment(origin: string, token: string, conversationId: string, file: File): Promise<AttachmentRef> {
  const url = `${origin}/v1/attachments?conversationId=${encodeURIComponent(conversationId)}&name=${encodeURIComponent(file.name)}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': file.type || 'application/octet-stream' },
    body: file,
  });
  const body = (await res.json().catch(() => null)) as { attachment?: AttachmentRef; message?: string } | (AttachmentRef & { message?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.message ?? `upload failed (${res.status})`);
  // the service answers the AttachmentRef, possibly wrapped as { attachment }
  const ref = 'attachment' in body && body.attachment ? body.attachment : (body as AttachmentRef);
  if (typeof ref.id !== 'string') throw new Error('upload answer has no attachment id');
  return { id: ref.id, name: ref.name ?? file.name, size: ref.size ?? file.size, mime: ref.mime ?? (file.type || 'application/octet-stream') };
}
