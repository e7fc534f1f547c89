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
  // 201 { attachment }, or { error: { code, message } } (src/presence-service/attachments/http.ts)
  const body = (await res.json().catch(() => null)) as { attachment?: AttachmentRef; error?: { code?: string; message?: string } } | null;
  if (!res.ok || !body?.attachment) throw new Error(body?.error?.message ?? `upload failed (${res.status})`);
  const ref = body.attachment;
  if (typeof ref.id !== 'string') throw new Error('upload answer has no attachment id');
  return { id: ref.id, name: ref.name ?? file.name, size: ref.size ?? file.size, mime: ref.mime ?? (file.type || 'application/octet-stream') };
}
