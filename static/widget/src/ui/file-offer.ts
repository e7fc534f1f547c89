/**
 * Files the visitor offers (picker, paste, drop) pass the protocol's early check: a
 * refused one is never shown as a message, the visitor is told why (issue 11).
 */
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../../../src/protocol/limits.js';
import { formatBytes, refuseUpload } from '../../../../src/protocol/upload-types.js';
import type { Controller } from '../controller.js';
import type { Strings } from '../i18n.js';

/** Sends the acceptable files; returns the message for the first refused one, or null. */
export function offerFiles(files: readonly File[], ctl: Controller, t: Strings): string | null {
  let notice: string | null = null;
  for (const f of files) {
    const name = f.name || 'file';
    const why = refuseUpload({ name, size: f.size, type: f.type });
    if (why === null) ctl.sendFile(f);
    else notice ??= why === 'too_large' ? t.fileTooLarge(name, formatBytes(DEFAULT_MAX_UPLOAD_BYTES)) : why === 'empty' ? t.fileEmpty(name) : t.fileType(name);
  }
  return notice;
}
