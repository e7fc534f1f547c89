/**
 * What clients may offer as an attachment, so they can restrict the file picker and
 * refuse a wrong type or size before uploading (issue 11: refused files looked sent).
 * The service decides by the bytes (presence-service/attachments/sniff.ts, which lists
 * the same types); this is the early, friendly check, never the security boundary.
 */
import { DEFAULT_MAX_UPLOAD_BYTES } from './limits.js';

/** Accepted MIME types and the file-name endings a picker shows for them. */
export const ACCEPTED_UPLOAD_TYPES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg', '.jpe'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
  'application/pdf': ['.pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'text/plain': ['.txt', '.log', '.csv', '.md'],
});

/** The `accept` attribute for a file input: every type and ending above. */
export const UPLOAD_ACCEPT_ATTRIBUTE = Object.entries(ACCEPTED_UPLOAD_TYPES)
  .flatMap(([mime, exts]) => [mime, ...exts])
  .join(',');

const ENDINGS = new Set(Object.values(ACCEPTED_UPLOAD_TYPES).flat());

export type UploadRefusal = 'too_large' | 'unsupported_type' | 'empty';

/**
 * Why a file would be refused, or null. Browsers report no type for many text files
 * (.log, .md), so an accepted type or an accepted ending is enough.
 */
export function refuseUpload(file: { name: string; size: number; type: string }, maxBytes = DEFAULT_MAX_UPLOAD_BYTES): UploadRefusal | null {
  if (file.size === 0) return 'empty';
  if (file.size > maxBytes) return 'too_large';
  const dot = file.name.lastIndexOf('.');
  const ending = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
  const typeOk = file.type !== '' && file.type in ACCEPTED_UPLOAD_TYPES;
  // Either is enough (.csv arrives as text/csv, .md as text/markdown or nothing): the service reads the bytes.
  return typeOk || ENDINGS.has(ending) ? null : 'unsupported_type';
}

/** "10 MB" for a byte count (decimal-free for the round limits used here). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
