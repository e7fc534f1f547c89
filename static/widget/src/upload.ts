import type { AttachmentRef } from '../../../src/protocol/model.js';
import { sessionRequestId } from './ids.js';

export class UploadError extends Error {
  constructor(
    readonly code: 'too_large' | 'unsupported_type' | 'http' | 'network' | 'bad_response',
    readonly status = 0,
  ) {
    super(code);
  }
}

/**
 * POST the file to the presence service (XHR, because fetch has no upload progress).
 * The service answers with the stored attachment's reference.
 */
export function uploadFile(origin: string, token: string, conversationId: string, file: File, onProgress: (fraction: number) => void): Promise<AttachmentRef> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = `conversationId=${encodeURIComponent(conversationId)}&name=${encodeURIComponent(file.name || 'file')}`;
    xhr.open('POST', `${origin}/v1/attachments?${q}`);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('X-Request-Id', sessionRequestId);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new UploadError('network'));
    xhr.onload = () => {
      if (xhr.status === 413) return reject(new UploadError('too_large', 413));
      if (xhr.status === 415) return reject(new UploadError('unsupported_type', 415));
      if (xhr.status < 200 || xhr.status > 299) return reject(new UploadError('http', xhr.status));
      try {
        const body = JSON.parse(xhr.responseText);
        // Accept `{id,...}`, `{attachment:{id,...}}` or `{attachmentId}`: the service owns the exact shape.
        const ref = body.attachment ?? body;
        const id = ref.id ?? ref.attachmentId;
        if (typeof id !== 'string') throw new Error('no id');
        resolve({ id, name: ref.name ?? file.name, size: ref.size ?? file.size, mime: ref.mime ?? (file.type || 'application/octet-stream') });
      } catch {
        reject(new UploadError('bad_response', xhr.status));
      }
    };
    xhr.send(file);
  });
}
